package io.dmm.core.channel;

import io.dmm.jdk.options.SocketOptionValues;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NetworkChannel;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Lock;

/**
 * A routed channel's socket options, the same for every face: before routing it answers for the
 * channel (remembering what is set, reporting the platform defaults of the face's kind), after it
 * forwards to the stack's channels (a server sets every listening member, and gets from the first).
 *
 * <p>The face's state lock is the one it holds while it publishes its legs and replays the pending
 * options on them ({@link #applyTo}): taking it here to choose between remembering and forwarding
 * means an option is either replayed or set on the leg, never lost in between. The JDK's checks
 * (null name, unsupported option, wrong value type) come first, before the channel's state, as
 * the JDK makes them.
 */
final class RoutedOptions {
    /** What a face is routed to: its legs, in route order, or null before routing. */
    @FunctionalInterface
    interface Legs {
        List<? extends Leg<? extends NetworkChannel>> routed();
    }

    private final PendingOptions pending;
    private final Channel face;
    private final Lock stateLock;
    private final Legs legs;

    /** The options of {@code face} (a channel of {@code kind}), whose state lock is {@code stateLock}. */
    RoutedOptions(PlatformDefaults.Kind kind, Channel face, Lock stateLock, Legs legs) {
        this.pending = new PendingOptions(kind);
        this.face = face;
        this.stateLock = stateLock;
        this.legs = legs;
    }

    /** The face's setOption. */
    <T> void set(SocketOption<T> name, T value) throws IOException {
        // the JDK's first checks, before the channel's state: null name, unsupported option, value type
        SocketOptionValues.checkSupported(name, supported());
        SocketOptionValues.checkType(name, value);
        List<? extends Leg<? extends NetworkChannel>> routed;
        stateLock.lock();
        try {
            routed = openLegs();
            if (routed == null) {
                pending.remember(name, value);
                return;
            }
        } finally {
            stateLock.unlock();
        }
        for (Leg<? extends NetworkChannel> l : routed) {
            l.ch.setOption(name, value);
        }
    }

    /** The face's getOption. */
    @SuppressWarnings("unchecked")
    <T> T get(SocketOption<T> name) throws IOException {
        SocketOptionValues.checkSupported(name, supported()); // null name, unsupported option: first
        List<? extends Leg<? extends NetworkChannel>> routed;
        stateLock.lock();
        try {
            routed = openLegs();
            if (routed == null) {
                return (T) pending.valueOf(name);
            }
        } finally {
            stateLock.unlock();
        }
        return routed.getFirst().ch.getOption(name);
    }

    /** The face's supportedOptions: the platform's of its kind before routing, the first leg's after. */
    Set<SocketOption<?>> supported() {
        List<? extends Leg<? extends NetworkChannel>> routed = legs.routed();
        return routed != null ? routed.getFirst().ch.supportedOptions() : pending.supported();
    }

    /** Replays the remembered options on a new leg's channel; the face holds its state lock. */
    void applyTo(NetworkChannel ch) throws IOException {
        pending.applyTo(ch);
    }

    /**
     * Remembers SO_OOBINLINE for the Socket adaptor when not routed yet (true), as every pending
     * option; false when routed, for the face to set it on the stack's socket.
     */
    boolean rememberOobInline(boolean on) throws IOException {
        stateLock.lock();
        try {
            if (legs.routed() != null) {
                return false;
            }
            closedSocketCheck();
            pending.remember(pending.oobInline(), on);
            return true;
        } finally {
            stateLock.unlock();
        }
    }

    /** The remembered SO_OOBINLINE (default off) when not routed yet; null when routed. */
    Boolean pendingOobInline() throws IOException {
        stateLock.lock();
        try {
            if (legs.routed() != null) {
                return null;
            }
            closedSocketCheck();
            return (Boolean) pending.valueOf(pending.oobInline());
        } finally {
            stateLock.unlock();
        }
    }

    /** Under the state lock: the legs, or null before routing; a closed face throws. */
    private List<? extends Leg<? extends NetworkChannel>> openLegs() throws ClosedChannelException {
        if (!face.isOpen()) {
            throw new ClosedChannelException();
        }
        return legs.routed();
    }

    /** The Socket adaptor's words for a closed socket (its option calls are java.net's). */
    private void closedSocketCheck() throws SocketException {
        if (!face.isOpen()) {
            throw new SocketException("Socket is closed");
        }
    }
}
