package io.dmm.core;

import io.dmm.core.channel.AsyncGroupChannels;
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
    /** The routed channels in this group, which the platform group does not know (see there). */
    private final AsyncGroupChannels channels;

    DmmAsynchronousChannelGroup(DmmAsynchronousChannelProvider provider, AsynchronousChannelGroup platform) {
        super(provider);
        this.platform = platform;
        this.channels = AsyncGroupChannels.over(platform);
    }

    /** The platform group that stacks open their channels in. */
    AsynchronousChannelGroup platform() {
        return platform;
    }

    @Override
    public boolean isShutdown() {
        return channels.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return platform.isTerminated();
    }

    /** As the JDK's: terminates once the last channel closed (the platform group is shut down then). */
    @Override
    public void shutdown() {
        channels.shutdown();
    }

    @Override
    public void shutdownNow() throws java.io.IOException {
        channels.shutdownNow();
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
