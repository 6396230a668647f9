package io.dmm.api.testing;

import io.dmm.api.spi.AsynchronousGroup;
import java.nio.channels.AsynchronousChannelGroup;

/** {@link AsynchronousGroup}s for tests of stacks without DMM's core, which makes the real ones. */
public final class TestGroups {
    private TestGroups() {
    }

    /**
     * The platform's default group, for a stack whose asynchronous channels are the platform's (they
     * run their handlers on the platform's threads): handing a handler to this group is a test error.
     */
    public static AsynchronousGroup platformDefault() {
        return platform(null);
    }

    /** The platform group {@code platform}, as {@link #platformDefault()}. */
    public static AsynchronousGroup platform(AsynchronousChannelGroup platform) {
        return new AsynchronousGroup() {
            @Override
            public AsynchronousChannelGroup platform() {
                return platform;
            }

            @Override
            public boolean mayInvokeDirectly() {
                throw new AssertionError("a platform channel's handlers run on the platform's threads");
            }

            @Override
            public void execute(Runnable task) {
                throw new AssertionError("a platform channel's handlers run on the platform's threads");
            }
        };
    }
}
