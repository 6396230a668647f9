package io.dmm.core.selector;

import io.dmm.api.spi.ReadinessListener;
import io.dmm.api.spi.ReadinessSource;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link DmmSelectionKey}s of one routed channel (one per DMM selector it is registered with):
 * the hook through which the channel tells its keys that its delegates changed, and the readiness
 * listener its fd-less delegates call, fanned out to every key.
 *
 * <p>Copy-on-write: registrations are rare, readiness events frequent and from any thread.
 */
public final class ChannelKeys implements ReadinessListener {
    private final CopyOnWriteArrayList<DmmSelectionKey> keys = new CopyOnWriteArrayList<>();

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

    /** From an fd-less delegate: every selector holding this channel should look at it again. */
    @Override
    public void readinessChanged(ReadinessSource source) {
        for (DmmSelectionKey k : keys) {
            k.signal();
        }
    }

    /** True when no selector holds this channel. */
    public boolean isEmpty() {
        return keys.isEmpty();
    }
}
