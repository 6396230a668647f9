package io.dmm.core.channel;

import java.io.Closeable;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.ShutdownChannelGroupException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The routed asynchronous channels open in one group made by DMM's provider, so that the group keeps
 * the JDK's promises ({@link AsynchronousChannelGroup}): {@code shutdownNow()} closes every one, and
 * a group shut down terminates only once the last one is closed. The platform group underneath
 * cannot do it alone: it knows only the stacks' channels in it, not a routed channel that has none
 * yet (unrouted), nor the routed channel itself, which stays open when its stack channel is closed.
 *
 * <p>Routed channels find it by their platform group (the one they open stack channels in), which is
 * all they hold; a channel of the default group or of a platform group handed to DMM's provider
 * directly has none.
 */
public final class AsyncGroupChannels {
    private static final Map<AsynchronousChannelGroup, AsyncGroupChannels> BY_PLATFORM =
            Collections.synchronizedMap(new WeakHashMap<>());

    /** Weak: this object is a value of {@link #BY_PLATFORM}, which must not keep its key alive. */
    private final WeakReference<AsynchronousChannelGroup> platform;
    private final Set<Closeable> open = new HashSet<>(); // guarded by this
    private boolean shutdown;                            // guarded by this

    private AsyncGroupChannels(AsynchronousChannelGroup platform) {
        this.platform = new WeakReference<>(platform);
    }

    /** Starts keeping the routed channels of the DMM group over {@code platform}. */
    public static AsyncGroupChannels over(AsynchronousChannelGroup platform) {
        AsyncGroupChannels g = new AsyncGroupChannels(platform);
        BY_PLATFORM.put(platform, g);
        return g;
    }

    /**
     * A routed channel made in {@code platformGroup} (null: the default group): one the program opens,
     * or one a server of the group accepted. A group shut down refuses both, as the JDK's group
     * refuses to register any new channel then (an accept that completes after shutdown fails).
     *
     * @throws ShutdownChannelGroupException if the group is shut down
     */
    static void joined(AsynchronousChannelGroup platformGroup, Closeable channel) {
        AsyncGroupChannels g = platformGroup == null ? null : BY_PLATFORM.get(platformGroup);
        if (g != null) {
            g.join(channel);
        }
    }

    /** A routed channel of {@code platformGroup} closed. */
    static void left(AsynchronousChannelGroup platformGroup, Closeable channel) {
        AsyncGroupChannels g = platformGroup == null ? null : BY_PLATFORM.get(platformGroup);
        if (g != null) {
            g.leave(channel);
        }
    }

    private synchronized void join(Closeable channel) {
        if (shutdown) {
            throw new ShutdownChannelGroupException();
        }
        open.add(channel);
    }

    private void leave(Closeable channel) {
        boolean last;
        synchronized (this) {
            last = open.remove(channel) && shutdown && open.isEmpty();
        }
        if (last) {
            shutdownPlatform();
        }
    }

    public synchronized boolean isShutdown() {
        return shutdown;
    }

    /** No new channels; the platform group is shut down (to terminate) once the last channel closed. */
    public void shutdown() {
        boolean none;
        synchronized (this) {
            if (shutdown) {
                return;
            }
            shutdown = true;
            none = open.isEmpty();
        }
        if (none) {
            shutdownPlatform();
        }
    }

    /** Shuts down and closes every channel, as the JDK's group does, then the platform group's. */
    public void shutdownNow() throws IOException {
        List<Closeable> closing;
        synchronized (this) {
            shutdown = true;
            closing = List.copyOf(open);
        }
        for (Closeable c : closing) {
            try {
                c.close();
            } catch (IOException e) {
                // as the JDK's closeAllChannels: a channel that fails to close is left to the group's end
            }
        }
        AsynchronousChannelGroup p = platform.get();
        if (p != null) {
            p.shutdownNow();
        }
    }

    private void shutdownPlatform() {
        AsynchronousChannelGroup p = platform.get();
        if (p != null) {
            p.shutdown();
        }
    }
}
