package io.dmm.core.selector;

import java.nio.channels.SelectableChannel;
import java.util.List;

/**
 * A channel that runs on other channels chosen later: DMM's routed channels. What
 * {@link DmmSelector} needs from them: which channels carry them now, and a place to keep their
 * keys so that they can say when that changes.
 */
public interface DelegatingChannel {
    /**
     * The stack channels that carry this channel now, each fully set up (options, blocking mode):
     * none before routing, one for clients, datagrams and accepted channels, every listening member
     * for a multi-stack server.
     */
    List<SelectableChannel> selectableDelegates();

    /**
     * This channel's keys with DMM selectors. The channel calls {@link ChannelKeys#delegatesChanged()}
     * after {@link #selectableDelegates()} changed (routed, or a connect fell back to another stack).
     */
    ChannelKeys channelKeys();

    /**
     * The operations this channel is ready for while nothing carries it yet (before routing), from
     * {@link java.nio.channels.SelectionKey}: an unrouted datagram channel can send at once, as
     * the JDK's unbound one is writable at once. 0 (the default) once routed, or when nothing is.
     * Read on every select while it is not 0: a volatile read, no allocation.
     */
    default int readyOpsBeforeRouting() {
        return 0;
    }
}
