package io.dmm.core;

import io.dmm.api.DmmSockets;
import io.dmm.core.channel.StackGroup;
import io.dmm.core.runtime.DmmRuntime;
import io.dmm.jdk.async.HandlerThreads;
import io.dmm.jdk.platform.PlatformChannels;
import java.io.IOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.IllegalChannelGroupException;
import java.nio.channels.ShutdownChannelGroupException;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * DMM as the JVM's {@link AsynchronousChannelProvider}: with
 * {@code -Djava.nio.channels.spi.AsynchronousChannelProvider=io.dmm.core.DmmAsynchronousChannelProvider}
 * (set by the agent) {@code AsynchronousSocketChannel.open()} and
 * {@code AsynchronousServerSocketChannel.open()} give routed channels (routed at connect and bind
 * by the JVM-wide policy, with the hints of the opener's {@link io.dmm.api.RouteScope}).
 *
 * <p>Groups are the platform's underneath: the thread pools that run completion handlers have
 * nothing to do with routing, and the platform's channels (the kernel stack's) can only live in the
 * platform's groups. A group made here wraps one ({@link DmmAsynchronousChannelGroup}, so that
 * {@code AsynchronousSocketChannel.open(group)}, which asks the group's provider, comes back here),
 * and the group ({@link StackGroup}: the platform group, or the default group, and the threads that
 * run the handlers of stacks that are not the platform's) is handed to the stack that opens the
 * routed channel's real channel.
 *
 * <p>The JDK creates this inside {@code AsynchronousChannelProvider.provider()}, so the constructor
 * does nothing: the platform provider and the policy are looked up at first use.
 */
public final class DmmAsynchronousChannelProvider extends AsynchronousChannelProvider {
    /** Whether an open here made the platform's default group (see makeDefaultGroup). */
    private static volatile boolean defaultGroupMade;
    private final DmmRuntime runtime;

    /** Called by the JDK; channels use the JVM-wide runtime ({@link DmmRuntime#global()}). */
    public DmmAsynchronousChannelProvider() {
        this.runtime = null;
    }

    /** Channels routed by {@code runtime} (tests, embedding). */
    public DmmAsynchronousChannelProvider(DmmRuntime runtime) {
        this.runtime = java.util.Objects.requireNonNull(runtime, "runtime");
    }

    private DmmRuntime runtime() {
        return runtime != null ? runtime : DmmRuntime.global();
    }

    @Override
    public AsynchronousChannelGroup openAsynchronousChannelGroup(int nThreads, ThreadFactory threadFactory)
            throws IOException {
        return new DmmAsynchronousChannelGroup(this,
                PlatformChannels.asyncProvider().openAsynchronousChannelGroup(nThreads, threadFactory),
                HandlerThreads.fixed(nThreads, threadFactory));
    }

    @Override
    public AsynchronousChannelGroup openAsynchronousChannelGroup(ExecutorService executor, int initialSize)
            throws IOException {
        return new DmmAsynchronousChannelGroup(this,
                PlatformChannels.asyncProvider().openAsynchronousChannelGroup(executor, initialSize),
                HandlerThreads.over(executor));
    }

    @Override
    public AsynchronousServerSocketChannel openAsynchronousServerSocketChannel(AsynchronousChannelGroup group)
            throws IOException {
        return runtime().openAsynchronousServerSocketChannel(this, stackGroup(group), DmmSockets.currentHints());
    }

    @Override
    public AsynchronousSocketChannel openAsynchronousSocketChannel(AsynchronousChannelGroup group)
            throws IOException {
        return runtime().openAsynchronousSocketChannel(this, stackGroup(group), DmmSockets.currentHints());
    }

    /**
     * Makes the platform's default group, as the JDK makes it at the first open of a channel in it,
     * if no open has made it yet: a bad {@code java.nio.channels.DefaultThreadPool.*} property then
     * fails this open with the JDK's error (and every later one, as on the JDK), not a later connect
     * or bind. A platform channel opened in the default group makes it; once made, nothing is done.
     */
    private static void makeDefaultGroup() throws IOException {
        if (!defaultGroupMade) {
            PlatformChannels.openAsynchronousSocketChannel(null).close();
            defaultGroupMade = true;
        }
    }

    /**
     * The group routed channels of {@code group} hold (null: the default group, whose platform group
     * is made now if it is not yet). As the platform: a group of another provider is an
     * IllegalChannelGroupException, a shut-down group a ShutdownChannelGroupException, at open rather
     * than later at connect.
     */
    private static StackGroup stackGroup(AsynchronousChannelGroup group) throws IOException {
        if (group == null) {
            makeDefaultGroup();
            return StackGroup.defaultGroup();
        }
        StackGroup g;
        if (group instanceof DmmAsynchronousChannelGroup dmm) {
            if (dmm.isShutdown()) { // before its platform group is: that waits for the last channel
                throw new ShutdownChannelGroupException();
            }
            g = dmm.stackGroup();
        } else if (group.provider().getClass() == PlatformChannels.asyncProvider().getClass()) {
            // a platform group handed to this provider directly; by class, since the platform's
            // create() makes a new provider object each time and any of them takes the others' groups
            g = StackGroup.foreign(group);
        } else {
            throw new IllegalChannelGroupException();
        }
        if (g.platform().isShutdown()) {
            throw new ShutdownChannelGroupException();
        }
        return g;
    }
}
