package io.dmm.core;

import io.dmm.core.channel.StackGroup;
import io.dmm.jdk.async.HandlerThreads;
import java.nio.channels.AsynchronousChannelGroup;
import java.util.concurrent.TimeUnit;

/**
 * A group made through DMM's provider: the platform's group (its threads run the handlers of the
 * platform's channels, which live in it) and threads of the group's own making for the handlers of
 * other stacks' channels ({@link StackGroup}), reporting DMM's provider. The JDK opens channels of a group
 * with {@code group.provider()} ({@code AsynchronousSocketChannel.open(group)}), so a group that
 * reported the platform's provider would give the program unrouted channels.
 */
final class DmmAsynchronousChannelGroup extends AsynchronousChannelGroup {
    private final AsynchronousChannelGroup platform;
    /** What routed channels of this group hold and hand to stacks; keeps the lifecycle of all of them. */
    private final StackGroup channels;

    DmmAsynchronousChannelGroup(DmmAsynchronousChannelProvider provider, AsynchronousChannelGroup platform,
                                HandlerThreads threads) {
        super(provider);
        this.platform = platform;
        this.channels = StackGroup.of(platform, threads);
    }

    /** The group that routed channels hold and stacks open their channels in. */
    StackGroup stackGroup() {
        return channels;
    }

    @Override
    public boolean isShutdown() {
        return channels.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return channels.isTerminated();
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
        return channels.awaitTermination(timeout, unit);
    }

    @Override
    public String toString() {
        return "DMM " + platform;
    }
}
