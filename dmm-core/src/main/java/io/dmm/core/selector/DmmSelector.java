package io.dmm.core.selector;

import io.dmm.api.spi.BusyPoller;
import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * DMM's Selector: holds routed channels of every stack at once, and the JDK's own channels (pipes,
 * UNIX-domain channels) as the JDK's selector does. Platform (kernel) delegates are registered
 * with an inner JDK selector, attached to their routed channel's {@link DmmSelectionKey};
 * fd-less delegates report readiness through {@link io.dmm.api.spi.ReadinessSource}, which queues
 * their key and wakes the inner selector. A select blocks only in the inner JDK select (so virtual
 * threads park), then reports the union of both, with the JDK's selected-key rules.
 *
 * <p>See the package description for the decisions.
 */
public final class DmmSelector extends AbstractSelector {
    private final Selector inner;
    private final SelectorProvider platform;
    private final Set<SelectionKey> keys = ConcurrentHashMap.newKeySet();
    private final Set<SelectionKey> publicKeys = Collections.unmodifiableSet(keys);
    private final Set<SelectionKey> selectedKeys = new HashSet<>();
    private final Set<SelectionKey> publicSelectedKeys = new UngrowableSet<>(selectedKeys);
    private final ReadinessSignals signals = new ReadinessSignals();
    private final SelectorBusyPoll busyPoll = new SelectorBusyPoll();
    /** {@link #mustNotSleep()} as the busy poll's test, made once: a select allocates nothing for it. */
    private final BooleanSupplier mustNotSleep = this::mustNotSleep;
    /** Set by {@link #wakeup()} until a select consumes it; tells a wakeup from a readiness signal. */
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    /** Whether a select may be blocked in the inner selector: readiness signals wake it only then. */
    private volatile boolean blocking;
    private boolean inSelect; // under this: a select from a select(Consumer) action
    /** Keys found ready in this select; selecting thread only. */
    private final List<DmmSelectionKey> round = new ArrayList<>();
    /** {@link #gather} as the inner select's action, made once: a select allocates nothing for it. */
    private final Consumer<SelectionKey> gatherer = this::gather;

    /**
     * @param provider the provider of the channels this selector holds (routed channels' provider)
     * @param platform the JDK's provider, for the inner selector
     */
    public DmmSelector(SelectorProvider provider, SelectorProvider platform) throws IOException {
        super(provider);
        this.platform = platform;
        this.inner = platform.openSelector();
    }

    private void ensureOpen() {
        if (!isOpen()) {
            throw new ClosedSelectorException();
        }
    }

    @Override
    public Set<SelectionKey> keys() {
        ensureOpen();
        return publicKeys;
    }

    @Override
    public Set<SelectionKey> selectedKeys() {
        ensureOpen();
        return publicSelectedKeys;
    }

    // ---------------------------------------------------------------- registration

    /**
     * Called by {@code channel.register} (holding the channel's registration lock). As with the
     * JDK since 11, a registration during a select takes effect at the next one. A JDK channel (a
     * pipe, a UNIX-domain channel) is registered as it is with the inner selector, which throws
     * {@link java.nio.channels.IllegalSelectorException} for a channel the JDK's selector refuses.
     */
    @Override
    protected SelectionKey register(AbstractSelectableChannel ch, int ops, Object att) {
        ensureOpen();
        DmmSelectionKey k = new DmmSelectionKey(this, ch);
        if (att != null) {
            k.attach(att);
        }
        DelegatingChannel dc = k.delegating();
        keys.add(k);
        dc.channelKeys().add(k); // before reading the delegates: see ChannelKeys.delegatesChanged
        try {
            k.interestOps(ops);
            k.syncDelegates();
            if (k.onPlatformChannel()) {
                k.holdChannel(platform);
            }
        } catch (RuntimeException e) {
            dc.channelKeys().remove(k);
            keys.remove(k);
            k.cancel();
            throw e;
        }
        return k;
    }

    /** Registers a platform delegate with the inner selector, attached to its outer key. */
    SelectionKey registerInner(SelectableChannel delegate, int ops, DmmSelectionKey outer)
            throws ClosedChannelException {
        return delegate.register(inner, ops, outer);
    }

    /**
     * Queues {@code key} for a look at its fd-less readiness; {@code wake}: also wake a select
     * blocked now (a readiness change), else the next select sees it (an interest change, which the
     * JDK also leaves to the next select).
     */
    void signal(DmmSelectionKey key, boolean wake) {
        if (signals.offer(key) && wake && blocking) {
            inner.wakeup();
        }
    }

    // ---------------------------------------------------------------- selection

    @Override
    public int selectNow() throws IOException {
        return lockAndSelect(null, -1L);
    }

    @Override
    public int select(long timeout) throws IOException {
        if (timeout < 0) {
            throw new IllegalArgumentException("Negative timeout");
        }
        return lockAndSelect(null, timeout);
    }

    @Override
    public int select() throws IOException {
        return lockAndSelect(null, 0L);
    }

    @Override
    public int select(Consumer<SelectionKey> action, long timeout) throws IOException {
        if (timeout < 0) {
            throw new IllegalArgumentException("Negative timeout");
        }
        return lockAndSelect(Objects.requireNonNull(action), timeout);
    }

    @Override
    public int select(Consumer<SelectionKey> action) throws IOException {
        return lockAndSelect(Objects.requireNonNull(action), 0L);
    }

    @Override
    public int selectNow(Consumer<SelectionKey> action) throws IOException {
        return lockAndSelect(Objects.requireNonNull(action), -1L);
    }

    /**
     * {@code timeout}: -1 do not block, 0 block until something happens, else at most that many ms.
     * Holds the selector's monitor, then its selected-key set's, for the whole select, as the JDK's
     * ({@code SelectorImpl.lockAndDoSelect}): programs synchronize on them to keep a select out, and
     * a select(Consumer) action runs holding both.
     */
    private int lockAndSelect(Consumer<SelectionKey> action, long timeout) throws IOException {
        synchronized (this) {
            ensureOpen();
            if (inSelect) {
                throw new IllegalStateException("select in progress");
            }
            inSelect = true;
            try {
                synchronized (publicSelectedKeys) {
                    return doSelect(action, timeout);
                }
            } finally {
                inSelect = false;
            }
        }
    }

    /**
     * Waits in the inner selector, looping only while it returned with nothing observed and no
     * reason to return (a readiness signal for a key that is not ready, or a stale inner wakeup):
     * a select(timeout) returns early only for a wakeup, an interrupt or readiness, as the JDK's
     * (Netty rebuilds a selector that returns early 512 times in a row).
     */
    private int doSelect(Consumer<SelectionKey> action, long timeout) throws IOException {
        long deadline = timeout > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout) : 0L;
        int updated = 0;
        while (true) {
            List<DmmSelectionKey> dying = retireCancelledKeys();
            boolean observed;
            boolean mustNotBlock = timeout < 0 || wakeupPending.get();
            if (!mustNotBlock && inner.keys().isEmpty() && busyPoll.spin(mustNotSleep, deadline)) {
                mustNotBlock = true; // the busy poll made a channel ready here, or a wakeup came
            }
            blocking = !mustNotBlock;
            try {
                if (!mustNotBlock && mustNotSleep()) {
                    // queued or still-ready fd-less keys, a wakeup that came before blocking was set
                    // (so it did not write the inner eventfd), or an interrupt: look, do not sleep
                    mustNotBlock = true;
                }
                long waitMs = mustNotBlock ? -1L : timeout == 0 ? 0L : remainingMillis(deadline);
                int n;
                if (waitMs < 0) {
                    n = inner.selectNow(gatherer);
                } else if (waitMs == 0) {
                    n = inner.select(gatherer);
                } else {
                    n = inner.select(gatherer, waitMs);
                }
                observed = n > 0;
            } finally {
                blocking = false;
            }
            deregister(dying); // their inner keys are gone now: the inner select flushed them
            observed |= signals.collect(round);
            dying = retireCancelledKeys(); // cancelled during the select: not reported, gone on return
            if (!dying.isEmpty()) {
                observed |= inner.selectNow(gatherer) > 0;
                deregister(dying);
            }
            updated = report(action);
            if (observed || timeout < 0 || wakeupPending.get() || Thread.currentThread().isInterrupted()
                    || (timeout > 0 && deadline - System.nanoTime() <= 0)) {
                wakeupPending.set(false);
                return updated;
            }
        }
    }

    /** Whether a select must look now rather than sleep: readiness queued, a wakeup, an interrupt. */
    private boolean mustNotSleep() {
        return signals.pending() || wakeupPending.get() || Thread.currentThread().isInterrupted();
    }

    /** The stack of a channel registered here can be polled before a select sleeps ({@link SelectorBusyPoll}). */
    void addBusyPoller(BusyPoller poller) {
        busyPoll.add(poller);
    }

    /**
     * Milliseconds left until {@code deadline}, rounded up (a wait must not end before it) and at
     * least 1 (0 would mean forever). No overflow for select(Long.MAX_VALUE).
     */
    private static long remainingMillis(long deadline) {
        long nanos = deadline - System.nanoTime();
        long ms = TimeUnit.NANOSECONDS.toMillis(nanos);
        return Math.max(1L, nanos % 1_000_000L == 0 ? ms : ms + 1);
    }

    /** Inner selection callback: adds an inner key's ready operations to its outer key's. */
    private void gather(SelectionKey innerKey) {
        DmmSelectionKey outer = (DmmSelectionKey) innerKey.attachment();
        int ready;
        try {
            ready = innerKey.readyOps();
        } catch (CancelledKeyException e) {
            // the delegate was closed by another thread during this select (the inner selector
            // hands over keys it found ready even if cancelled since): its outer key is cancelled
            // too, or the channel runs on another delegate now
            return;
        }
        if (!outer.isValid()) {
            return; // cancelled meanwhile; deregistered at the end of this select
        }
        if (outer.roundOps == 0) {
            round.add(outer);
        }
        outer.roundOps |= ready;
    }

    /**
     * Applies this select's readiness to the outer keys by the JDK's rules
     * ({@code SelectorImpl.processReadyEvents}): with an action, set readyOps and call it; else a key
     * already selected gets the new operations OR'ed (counted if any is new), another key is added
     * when its ready set meets its interest set.
     */
    private int report(Consumer<SelectionKey> action) {
        int count = 0;
        try {
            for (int i = 0; i < round.size(); i++) {
                DmmSelectionKey k = round.get(i);
                int r = k.roundOps & k.interestOpsUnchecked();
                k.roundOps = 0;
                if (!k.isValid()) {
                    continue;
                }
                if (action != null) {
                    k.readyOps(r);
                    if (r != 0) {
                        action.accept(k);
                        ensureOpen();
                        count++;
                    }
                } else if (r == 0) {
                    if (!selectedKeys.contains(k)) {
                        k.readyOps(0);
                    }
                } else if (selectedKeys.add(k)) { // one hash lookup for the common case, not two
                    k.readyOps(r);
                    count++;
                } else {
                    int old = k.readyOpsUnchecked();
                    if ((r & ~old) != 0) {
                        k.readyOps(old | r);
                        count++;
                    }
                }
            }
        } finally {
            for (DmmSelectionKey k : round) {
                k.roundOps = 0; // an action that threw leaves the rest unreported, ready for next time
            }
            round.clear();
        }
        return count;
    }

    /**
     * Takes the keys cancelled since the last look out of the selector: out of the key sets, and
     * their inner keys cancelled. Their channels still count them as registered until
     * {@link #deregister(List)}, which must follow an inner select: the inner selector deregisters the
     * cancelled inner keys there (and frees a closed delegate's descriptor, which only the JDK's own
     * selector can do). So once a routed channel is no longer registered, its delegates are not
     * either, and registering it again, with this or another selector, works.
     */
    private List<DmmSelectionKey> retireCancelledKeys() {
        Set<SelectionKey> cancelled = cancelledKeys();
        SelectionKey[] batch;
        synchronized (cancelled) {
            if (cancelled.isEmpty()) {
                return List.of();
            }
            batch = cancelled.toArray(new SelectionKey[0]);
            cancelled.clear();
        }
        // outside the set's lock: a thread holding a channel's key lock may be cancelling a key,
        // which takes the set's lock
        List<DmmSelectionKey> retired = new ArrayList<>(batch.length);
        for (SelectionKey k : batch) {
            retired.add(retire((DmmSelectionKey) k));
        }
        return retired;
    }

    private DmmSelectionKey retire(DmmSelectionKey k) {
        keys.remove(k);
        selectedKeys.remove(k);
        k.delegating().channelKeys().remove(k);
        k.cancelInner();
        return k;
    }

    /**
     * Removes retired keys from their channels (after an inner select flushed their inner keys);
     * then a JDK selector lets go of a JDK channel registered as it is last (see {@link DmmSelectionKey#holdChannel}).
     */
    private void deregister(List<DmmSelectionKey> retired) throws IOException {
        for (DmmSelectionKey k : retired) {
            deregister(k);
            k.letGoOfChannel();
        }
    }

    @Override
    public Selector wakeup() {
        wakeupPending.set(true);
        // Only a select sleeping in the inner selector needs its eventfd written: one still running
        // (busy polling, gathering) sees the flag, as it re-reads it after it sets blocking.
        if (blocking) inner.wakeup();
        return this;
    }

    /**
     * As the JDK's: wakes a select in progress, waits for it to end, then deregisters every key:
     * inner keys by closing the inner selector, then the keys the program holds.
     */
    @Override
    protected void implCloseSelector() throws IOException {
        wakeup();
        synchronized (this) {
            synchronized (publicSelectedKeys) {
                List<DmmSelectionKey> dying = new ArrayList<>(retireCancelledKeys());
                for (SelectionKey k : keys) {
                    dying.add(retire((DmmSelectionKey) k));
                }
                selectedKeys.clear();
                signals.clear();
                inner.close(); // deregisters every inner key, freeing closed delegates
                deregister(dying);
            }
        }
    }

    @Override
    public String toString() {
        return "DmmSelector[" + (isOpen() ? keys.size() + " keys" : "closed") + "]";
    }
}
