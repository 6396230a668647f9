package io.dmm.stack.userspace.dpdk;

import io.dmm.api.spi.StackInstance;

/**
 * Run in a child JVM by {@link EalShutdownTest}: starts two instances on a ring link, prints the
 * EAL's runtime directory and exits without closing anything, so the shutdown hook has to.
 */
public final class EalShutdownProbe {
    private EalShutdownProbe() {
    }

    public static void main(String[] args) {
        StackInstance a = DpdkStacks.up("probe-a", "10.66.0.1/24", DpdkStacks.ringLink("probe"), null);
        StackInstance b = DpdkStacks.up("probe-b", "10.66.0.2/24", DpdkStacks.ringLink("probe"), null);
        System.out.println("RUNTIME-DIR " + Eal.runtimeDirectory());
        System.out.println("UP " + a.health() + " " + b.health());
        System.exit(0);
    }
}
