package io.dmm.stack.userspace;

import io.dmm.api.spi.StackInstance;
import io.dmm.api.spi.StackProvider;
import io.dmm.api.spi.StackSettings;
import io.dmm.stack.userspace.config.UserspaceSettingsReader;
import io.dmm.stack.userspace.time.Clock;

/**
 * Stack type {@code "userspace"}: DMM's own TCP/IP stack in Java, on an in-memory device (no DPDK,
 * no root, no NIC needed). Example entry:
 * <pre>{"name": "user0", "type": "userspace", "address": "198.51.100.1/24", "device": {"driver": "loopback"}}</pre>
 * Every key is described in docs/userspace-stack.md.
 */
public final class UserspaceStackProvider implements StackProvider {
    public static final String TYPE = "userspace";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public StackInstance create(StackSettings settings) {
        return UserspaceStack.start(UserspaceSettingsReader.read(settings), Clock.SYSTEM);
    }
}
