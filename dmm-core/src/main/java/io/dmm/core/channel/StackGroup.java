package io.dmm.core.channel;

import io.dmm.api.spi.AsynchronousGroup;
import io.dmm.jdk.async.HandlerThreads;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A group as DMM's routed asynchronous channels hold it and hand it to stacks: the platform group
 * (where the kernel stack's channels live and run their handlers), the threads that run the
 * handlers of other stacks' channels ({@link HandlerThreads}), and, for a group made by DMM's
 * provider, its routed channels ({@link AsyncGroupChannels}), so that shutdown and termination
 * cover all of them.
 */
public final class StackGroup implements AsynchronousGroup {
    private static volatile StackGroup defaultGroup;

    private final AsynchronousChannelGroup platform;
    private final HandlerThreads threads;
    /** The routed channels of a group made by DMM's provider; null for the default group and foreign ones. */
    private final AsyncGroupChannels channels;

    private StackGroup(AsynchronousChannelGroup platform, HandlerThreads threads, boolean counted) {
        this.platform = platform;
        this.threads = threads;
        this.channels = counted ? new AsyncGroupChannels(this) : null;
    }

    /** The group of a DMM group over {@code platform}, its handlers run by {@code threads}. */
    public static StackGroup of(AsynchronousChannelGroup platform, HandlerThreads threads) {
        return new StackGroup(platform, threads, true);
    }

    /** The StackGroup {@code group} is (DMM made it: routed channels hand only these to stacks); null: the default group. */
    public static StackGroup of(AsynchronousGroup group) {
        return group == null ? defaultGroup() : (StackGroup) group;
    }

    /**
     * A platform group handed to DMM's provider directly: its kernel channels are its own, other
     * stacks' handlers run on the default group's threads (the platform group's are out of reach).
     */
    public static StackGroup foreign(AsynchronousChannelGroup platform) {
        return new StackGroup(platform, defaultGroup().threads, false);
    }

    /** The default group: the platform's, and daemon threads made as the JDK's default group makes them. */
    public static StackGroup defaultGroup() {
        StackGroup g = defaultGroup;
        if (g == null) {
            synchronized (StackGroup.class) {
                g = defaultGroup;
                if (g == null) {
                    defaultGroup = g = new StackGroup(null, HandlerThreads.cached(DefaultThreads.factory()), false);
                }
            }
        }
        return g;
    }

    @Override
    public AsynchronousChannelGroup platform() {
        return platform;
    }

    @Override
    public boolean mayInvokeDirectly() {
        return threads.mayInvokeDirectly();
    }

    @Override
    public void execute(Runnable task) {
        threads.execute(task);
    }

    /**
     * A routed channel made in this group: one the program opens, or one a server of the group
     * accepted. A group shut down refuses both.
     *
     * @throws java.nio.channels.ShutdownChannelGroupException if the group is shut down
     */
    void joined(Closeable channel) {
        if (channels != null) {
            channels.join(channel);
        }
    }

    /** A routed channel of this group closed. */
    void left(Closeable channel) {
        if (channels != null) {
            channels.leave(channel);
        }
    }

    public boolean isShutdown() {
        return channels != null ? channels.isShutdown() : platform != null && platform.isShutdown();
    }

    /** As the JDK's: no new channels; terminates once the last channel closed. */
    public void shutdown() {
        channels.shutdown();
    }

    /** As the JDK's: shuts down and closes every channel. */
    public void shutdownNow() throws IOException {
        channels.shutdownNow();
    }

    /** The last channel closed after shutdown: the platform group and the handler threads end. */
    void terminate() {
        platform.shutdown();
        threads.shutdown();
    }

    /** After shutdownNow closed the channels: the platform group closes what is left of its own. */
    void terminateNow() throws IOException {
        threads.shutdown(); // not shutdownNow: the handlers the closes queued (AsynchronousCloseException) still run
        platform.shutdownNow();
    }

    public boolean isTerminated() {
        return platform.isTerminated() && threads.isTerminated();
    }

    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        return platform.awaitTermination(timeout, unit)
                && threads.awaitTermination(Math.max(0L, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    @Override
    public String toString() {
        return platform == null ? "default group" : platform.toString();
    }

    /** The default group's thread factory: the JDK's property if set, else daemon threads. */
    private static final class DefaultThreads {
        private static final String FACTORY_PROPERTY = "java.nio.channels.DefaultThreadPool.threadFactory";

        static ThreadFactory factory() {
            String name = System.getProperty(FACTORY_PROPERTY);
            if (name != null) {
                try {
                    Class<?> c = Class.forName(name, true, ClassLoader.getSystemClassLoader());
                    return (ThreadFactory) c.getConstructor().newInstance();
                } catch (ReflectiveOperationException | ClassCastException e) {
                    throw new Error(e); // as the JDK's ThreadPool does with a bad factory
                }
            }
            return Thread.ofPlatform().daemon().name("dmm-async-", 0).factory();
        }
    }
}
