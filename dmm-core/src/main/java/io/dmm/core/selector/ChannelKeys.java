package io.dmm.core.selector;

import io.dmm.api.spi.ReadinessListener;
import io.dmm.api.spi.ReadinessSource;
import java.nio.channels.Selector;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link DmmSelectionKey}s of one routed channel (one per DMM selector it is registered with):
 * the hook through which the channel tells its keys that its delegates changed, and the readiness
 * listener its fd-less delegates call, fanned out to every key (and to the channel's own private
 * selector, if it waits in one: a multi-stack server's blocking accept).
 *
 * <p>Copy-on-write: registrations are rare, readiness events frequent and from any thread.
 */
public final class ChannelKeys implements ReadinessListener {
    private final CopyOnWriteArrayList<DmmSelectionKey> keys = new CopyOnWriteArrayList<>();
    private volatile Selector alsoWake;

    void add(DmmSelectionKey key) {
        keys.add(key);
    }

    void remove(DmmSelectionKey key) {
        keys.remove(key);
    }

    /**
     * The channel's delegates changed: every key registers the new ones with its selector and drops
     * the old. Called by the channel after publishing them; a key registered concurrently reads the
     * delegates after adding itself here, so one of the two sees the change.
     */
    public void delegatesChanged() {
        for (DmmSelectionKey k : keys) {
            k.syncDelegates();
        }
    }

    /**
     * The channel is going into blocking mode, which {@code AbstractSelectableChannel} allows once
     * every key is cancelled, even before a select deregistered them (the JDK's HttpServer does
     * {@code key.cancel(); channel.configureBlocking(true)}). The delegates must be allowed too: their
     * inner keys under cancelled keys are cancelled now rather than at the next select, which still
     * deregisters them.
     */
    public void cancelledKeysReleaseDelegates() {
        for (DmmSelectionKey k : keys) {
            if (!k.isValid()) {
                k.cancelInner();
            }
        }
    }

    /**
     * Also wake {@code selector} on every readiness change: the channel's own selector for its
     * platform delegates, so that one wait covers its fd-less delegates too. Null for none.
     */
    public void alsoWake(Selector selector) {
        alsoWake = selector;
    }

    /** From an fd-less delegate: every selector holding this channel should look at it again. */
    @Override
    public void readinessChanged(ReadinessSource source) {
        for (DmmSelectionKey k : keys) {
            k.signal();
        }
        Selector s = alsoWake;
        if (s != null) {
            s.wakeup();
        }
    }

    /** True when no selector holds this channel. */
    public boolean isEmpty() {
        return keys.isEmpty();
    }
}
