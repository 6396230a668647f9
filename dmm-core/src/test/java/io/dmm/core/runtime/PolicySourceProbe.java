package io.dmm.core.runtime;

import io.dmm.api.DmmConfigException;
import io.dmm.api.DmmSockets;
import io.dmm.api.StackStats;
import java.util.stream.Collectors;

/**
 * Run in a child JVM by {@link GlobalPolicySourceTest}: makes the first DMM call and prints which
 * stacks the JVM-wide runtime got, or the configuration error (exit code 3).
 */
public final class PolicySourceProbe {
    private PolicySourceProbe() {
    }

    public static void main(String[] args) {
        try {
            System.out.println("STACKS " + DmmSockets.stats().stacks().stream().map(StackStats::name)
                    .collect(Collectors.joining(",")));
        } catch (DmmConfigException e) {
            System.out.println("CONFIG-ERROR " + e.getMessage());
            System.exit(3);
        }
    }
}
