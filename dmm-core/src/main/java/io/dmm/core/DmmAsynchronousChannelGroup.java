package io.dmm.core;

import java.nio.channels.AsynchronousChannelGroup;
import java.util.concurrent.TimeUnit;

/**
 * A group made through DMM's provider: the platform's group (its threads run the handlers, the
 * platform's channels live in it), reporting DMM's provider. The JDK opens channels of a group
 * with {@code group.provider()} ({@code AsynchronousSocketChannel.open(group)}), so a group that
 * reported the platform's provider would give the program unrouted channels.
 */
final class DmmAsynchronousChannelGroup extends AsynchronousChannelGroup {
    private final AsynchronousChannelGroup platform;

    DmmAsynchronousChannelGroup(DmmAsynchronousChannelProvider provider, AsynchronousChannelGroup platform) {
        super(provider);
        this.platform = platform;
    }

    /** The platform group that stacks open their channels in. */
    AsynchronousChannelGroup platform() {
        return platform;
    }

    @Override
    public boolean isShutdown() {
        return platform.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return platform.isTerminated();
    }

    @Override
    public void shutdown() {
        platform.shutdown();
    }

    @Override
    public void shutdownNow() throws java.io.IOException {
        platform.shutdownNow();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return platform.awaitTermination(timeout, unit);
    }

    @Override
    public String toString() {
        return "DMM " + platform;
    }
}
