package io.dmm.core.selector;

import io.dmm.api.spi.BusyPoller;
import io.dmm.api.spi.ReadinessSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectionKey;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A channel's key with a {@link DmmSelector}: a routed channel's, or a JDK channel's (see
 * {@link PlatformChannel}). It carries the interest set and attachment
 * the program sees, and beneath it one key per delegate: an inner JDK key (attached to this key) for
 * a platform channel, or the delegate itself when it is an fd-less {@link ReadinessSource}. Before
 * routing there is nothing beneath; {@link #syncDelegates()} fills it in when the channel is routed,
 * so the program's key, interest set and attachment survive routing and connect fallback.
 */
public final class DmmSelectionKey extends AbstractSelectionKey {
    private static final ReadinessSource[] NO_SOURCES = {};

    private final DmmSelector selector;
    private final SelectableChannel channel;
    private final DelegatingChannel delegating;
    private volatile int interestOps;
    private volatile int readyOps;
    /** Inner JDK keys, one per platform delegate; guarded by this. */
    private final List<SelectionKey> innerKeys = new ArrayList<>(1);
    /** fd-less delegates; replaced whole under this, read without a lock by the selecting thread. */
    private volatile ReadinessSource[] sources = NO_SOURCES;
    /** Whether this key waits in its selector's signal queue (so it is queued once). */
    final AtomicBoolean signalled = new AtomicBoolean();
    /** For a JDK channel registered as it is: see {@link #holdChannel}; null for a routed channel. */
    private Selector holder;
    /** Whether the selector watches this key for fd-less readiness; selecting thread only. */
    boolean watched;
    /** Ready operations gathered for this key in the current select; selecting thread only. */
    int roundOps;

    DmmSelectionKey(DmmSelector selector, SelectableChannel channel) {
        this.selector = selector;
        this.channel = channel;
        this.delegating = channel instanceof DelegatingChannel dc ? dc : new PlatformChannel(channel);
    }

    @Override
    public SelectableChannel channel() {
        return channel;
    }

    @Override
    public Selector selector() {
        return selector;
    }

    DelegatingChannel delegating() {
        return delegating;
    }

    /** Whether this key's channel is a JDK channel registered as it is (its inner key is on the channel itself). */
    boolean onPlatformChannel() {
        return delegating instanceof PlatformChannel;
    }

    /**
     * Registers this key's JDK channel with a JDK selector of its own (interest 0, never selected),
     * closed by {@link #letGoOfChannel()} once this key left the channel. Only a JDK selector frees a
     * closed channel's descriptor (when it lets go of the channel and no other key holds it), and
     * the inner selector alone does not: when the channel is closed during a select, the inner one
     * lets go of it as that select returns, while this key still holds it. The holder always lets
     * go after this key. It costs a selector's descriptors (two on Linux) per registration; a
     * holder shared by several channels could let go of one of them early when it is closed while
     * the holder lets go of another.
     */
    void holdChannel(SelectorProvider platform) {
        try {
            Selector s = platform.openSelector();
            synchronized (this) {
                holder = s;
            }
            channel.register(s, 0);
        } catch (ClosedChannelException e) {
            // closed meanwhile: its close cancels this key next, as the JDK's selector's key
        } catch (IOException e) { // no descriptor left for the holder
            throw new UncheckedIOException(e);
        }
    }

    /** After this key left its channel: the holder lets go of the channel, freeing it if closed. */
    void letGoOfChannel() throws IOException {
        Selector s;
        synchronized (this) {
            s = holder;
            holder = null;
        }
        if (s != null) {
            s.close();
        }
    }

    private void ensureValid() {
        if (!isValid()) {
            throw new CancelledKeyException();
        }
    }

    @Override
    public int interestOps() {
        ensureValid();
        return interestOps;
    }

    @Override
    public SelectionKey interestOps(int ops) {
        ensureValid();
        if ((ops & ~channel.validOps()) != 0) {
            throw new IllegalArgumentException("Invalid interest ops: " + ops);
        }
        synchronized (this) {
            setInterest(ops);
        }
        return this;
    }

    @Override
    public int interestOpsOr(int ops) {
        ensureValid();
        if ((ops & ~channel.validOps()) != 0) {
            throw new IllegalArgumentException("Invalid interest ops: " + ops);
        }
        synchronized (this) {
            int old = interestOps;
            setInterest(old | ops);
            return old;
        }
    }

    @Override
    public int interestOpsAnd(int ops) {
        ensureValid();
        synchronized (this) {
            int old = interestOps;
            setInterest(old & ops);
            return old;
        }
    }

    /**
     * Under this. As with the JDK, the change is seen by the next select, not one in progress: inner
     * keys queue it themselves; fd-less delegates are queued for a recheck without a wakeup.
     */
    private void setInterest(int ops) {
        interestOps = ops;
        for (SelectionKey ik : innerKeys) {
            try {
                ik.interestOps(ops & ik.channel().validOps());
            } catch (CancelledKeyException e) {
                // the delegate was closed under us: the routed channel is closing or falling back,
                // and the next syncDelegates() drops this inner key
            }
        }
        if (sources.length > 0 || delegating.readyOpsBeforeRouting() != 0) {
            selector.signal(this, false);
        }
    }

    @Override
    public int readyOps() {
        ensureValid();
        return readyOps;
    }

    int readyOpsUnchecked() {
        return readyOps;
    }

    void readyOps(int ops) {
        readyOps = ops;
    }

    int interestOpsUnchecked() {
        return interestOps;
    }

    /**
     * The fd-less delegates' readiness now, and the channel's own before it is routed, within the
     * interest set (0 if there are none).
     */
    int fdlessReadyOps() {
        ReadinessSource[] s = sources;
        int r = s.length == 0 ? delegating.readyOpsBeforeRouting() : 0; // a channel with sources is routed
        for (ReadinessSource src : s) {
            r |= src.readyOps();
        }
        return r & interestOps;
    }

    /** An fd-less delegate's readiness may have changed: have the selector look, waking it. */
    void signal() {
        if (isValid()) {
            selector.signal(this, true);
        }
    }

    /**
     * Brings the keys beneath in line with the channel's current delegates: registers new platform
     * delegates with the inner selector (with this key's interest set), listens to new fd-less
     * ones, and drops those the channel no longer runs on (a connect that fell back).
     *
     * @throws java.nio.channels.IllegalSelectorException if a delegate is neither a platform channel
     *         nor a {@link ReadinessSource}
     */
    synchronized void syncDelegates() {
        if (!isValid()) {
            return;
        }
        List<SelectableChannel> now = delegating.selectableDelegates();
        innerKeys.removeIf(ik -> {
            if (!ik.isValid() || !now.contains(ik.channel())) {
                ik.cancel();
                return true;
            }
            return false;
        });
        List<ReadinessSource> kept = new ArrayList<>(sources.length);
        boolean added = false;
        for (ReadinessSource s : sources) {
            if (now.contains((SelectableChannel) s)) {
                kept.add(s);
            }
        }
        for (SelectableChannel d : now) {
            if (d instanceof ReadinessSource rs) {
                if (!kept.contains(rs)) {
                    rs.setReadinessListener(delegating.channelKeys());
                    BusyPoller poller = rs.busyPoller();
                    if (poller != null) selector.addBusyPoller(poller);
                    kept.add(rs);
                    added = true;
                }
            } else if (!hasInnerKeyFor(d)) {
                SelectionKey ik = registerInner(d);
                if (ik != null) {
                    innerKeys.add(ik);
                }
            }
        }
        sources = kept.isEmpty() ? NO_SOURCES : kept.toArray(NO_SOURCES);
        if (added || delegating.readyOpsBeforeRouting() != 0) {
            selector.signal(this, true); // it may be ready already
        }
    }

    private boolean hasInnerKeyFor(SelectableChannel d) {
        for (SelectionKey ik : innerKeys) {
            if (ik.channel() == d) {
                return true;
            }
        }
        return false;
    }

    /** Null when the delegate or the selector closed meanwhile: closing cancels this key anyway. */
    private SelectionKey registerInner(SelectableChannel d) {
        try {
            return selector.registerInner(d, interestOps & d.validOps(), this);
        } catch (ClosedChannelException | ClosedSelectorException e) {
            return null;
        }
    }

    /**
     * Cancels the keys beneath. Called by the selector after this key was deregistered, so the
     * inner selector's next select deregisters the delegates and frees a closed one's descriptor.
     */
    synchronized void cancelInner() {
        for (SelectionKey ik : innerKeys) {
            ik.cancel();
        }
        innerKeys.clear();
        sources = NO_SOURCES;
    }

    @Override
    public String toString() {
        return "DmmSelectionKey[channel=" + channel + ", interest=" + interestOps + ", ready=" + readyOps
                + (isValid() ? "" : ", cancelled") + "]";
    }
}
