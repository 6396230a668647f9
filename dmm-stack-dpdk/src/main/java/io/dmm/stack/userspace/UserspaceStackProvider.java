package io.dmm.stack.userspace;

import io.dmm.api.spi.StackInstance;
import io.dmm.api.spi.StackProvider;
import io.dmm.api.spi.StackSettings;
import io.dmm.stack.userspace.config.UserspaceConfig;
import io.dmm.stack.userspace.config.UserspaceSettingsReader;
import io.dmm.stack.userspace.dpdk.DpdkUnavailableException;
import io.dmm.stack.userspace.time.Clock;
import java.util.Set;

/**
 * Stack type {@code "userspace"}: DMM's own TCP/IP stack in Java, on an in-memory device (no DPDK,
 * no root, no NIC needed) or a DPDK port (docs/dpdk.md). Example entry:
 * <pre>{"name": "user0", "type": "userspace", "address": "198.51.100.1/24", "device": {"driver": "loopback"}}</pre>
 * Every key is described in docs/userspace-stack.md.
 */
public final class UserspaceStackProvider implements StackProvider {
    public static final String TYPE = "userspace";

    @Override
    public String type() {
        return TYPE;
    }

    /** {@link UserspaceSettingsReader#LOCAL_ONLY}: the EAL arguments, the DPDK port's devargs and the capture file. */
    @Override
    public Set<String> localOnlySettings() {
        return UserspaceSettingsReader.LOCAL_ONLY;
    }

    /**
     * Builds and starts the instance. Bad settings throw (the policy is refused); a DPDK device that
     * cannot be opened (DPDK missing, EAL or port failure) gives a DOWN instance saying why, so the
     * JVM and the other stacks go on and rules listing a fallback stack use it.
     */
    @Override
    public StackInstance create(StackSettings settings) {
        UserspaceConfig config = UserspaceSettingsReader.read(settings);
        try {
            return UserspaceStack.start(config, Clock.SYSTEM);
        } catch (DpdkUnavailableException e) {
            return new UnavailableStack(config.name(), TYPE, "userspace stack " + config.name() + " is DOWN: " + e.getMessage());
        }
    }
}
