package io.dmm.core.channel;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.ShutdownChannelGroupException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The routed asynchronous channels open in one group made by DMM's provider, so that the group keeps
 * the JDK's promises ({@link AsynchronousChannelGroup}): {@code shutdownNow()} closes every one, and
 * a group shut down terminates only once the last one is closed. The platform group underneath
 * cannot do it alone: it knows only the stacks' platform channels in it, not a routed channel that
 * has none yet (unrouted), nor the routed channel itself, which stays open when its stack channel is
 * closed, nor the channels of stacks that are not the platform's.
 */
final class AsyncGroupChannels {
    private final StackGroup group;
    private final Set<Closeable> open = new HashSet<>(); // guarded by this
    private boolean shutdown;                            // guarded by this

    AsyncGroupChannels(StackGroup group) {
        this.group = group;
    }

    /**
     * A routed channel made in the group. A group shut down refuses it, as the JDK's group refuses
     * to register any new channel then (an accept that completes after shutdown fails).
     *
     * @throws ShutdownChannelGroupException if the group is shut down
     */
    synchronized void join(Closeable channel) {
        if (shutdown) {
            throw new ShutdownChannelGroupException();
        }
        open.add(channel);
    }

    void leave(Closeable channel) {
        boolean last;
        synchronized (this) {
            last = open.remove(channel) && shutdown && open.isEmpty();
        }
        if (last) {
            group.terminate();
        }
    }

    synchronized boolean isShutdown() {
        return shutdown;
    }

    /** No new channels; the group terminates once the last channel closed. */
    void shutdown() {
        boolean none;
        synchronized (this) {
            if (shutdown) {
                return;
            }
            shutdown = true;
            none = open.isEmpty();
        }
        if (none) {
            group.terminate();
        }
    }

    /** Shuts down and closes every channel, as the JDK's group does, then what the group holds itself. */
    void shutdownNow() throws IOException {
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
        group.terminateNow();
    }
}
