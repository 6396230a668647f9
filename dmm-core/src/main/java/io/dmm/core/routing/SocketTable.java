package io.dmm.core.routing;

import io.dmm.api.SocketInfo;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The open routed sockets of a runtime: the JVM's equivalent of {@code ss}. A channel registers
 * when it is opened and unregisters when it closes; listing asks each for its current state.
 *
 * <p>Registering costs one entry and one set insertion per socket. The per-socket byte counters
 * are plain fields updated with opaque writes: no lock, no fence, nothing allocated. Each counter
 * has one writer at a time in the way channels are used (one reader and one writer thread per
 * connection; the asynchronous channels allow one pending read and one pending write); two threads
 * reading (or two writing) the same channel at once may lose one of their updates here, which the
 * per-stack counters do not.
 *
 * <p>The table holds its sockets weakly: a channel the program dropped without closing it is
 * collected as it would be without DMM, and its entry leaves the table at the next listing.
 */
public final class SocketTable {
    private final AtomicLong ids = new AtomicLong();
    private final Set<Entry> open = ConcurrentHashMap.newKeySet();

    /** What a routed channel says about itself for the table. */
    public interface Tracked {
        /**
         * A row of the table: this socket's state now, with the entry's id, age and byte counts.
         * Never blocks and never throws, also while the channel is being closed by another thread.
         */
        SocketInfo describe(Entry entry);
    }

    /** A registered socket: its id, when it was opened and its byte counters. */
    public static final class Entry {
        private static final VarHandle IN;
        private static final VarHandle OUT;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                IN = l.findVarHandle(Entry.class, "bytesIn", long.class);
                OUT = l.findVarHandle(Entry.class, "bytesOut", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final long id;
        private final Instant opened;
        private final WeakReference<Tracked> socket;
        private long bytesIn;
        private long bytesOut;

        private Entry(long id, Instant opened, Tracked socket) {
            this.id = id;
            this.opened = opened;
            this.socket = new WeakReference<>(socket);
        }

        public long id() {
            return id;
        }

        public Instant opened() {
            return opened;
        }

        /** Adds bytes the application read or received (n > 0). */
        public void addIn(long n) {
            IN.setOpaque(this, (long) IN.getOpaque(this) + n);
        }

        /** Adds bytes the application wrote or sent (n > 0). */
        public void addOut(long n) {
            OUT.setOpaque(this, (long) OUT.getOpaque(this) + n);
        }

        public long bytesIn() {
            return (long) IN.getOpaque(this);
        }

        public long bytesOut() {
            return (long) OUT.getOpaque(this);
        }

        // identity equality (ids are unique); the hash spreads the sequential ids
        @Override
        public int hashCode() {
            return Long.hashCode(id * 0x9E3779B97F4A7C15L);
        }

        @Override
        public boolean equals(Object o) {
            return this == o;
        }
    }

    /** Adds {@code socket}; the caller keeps the entry to count its bytes and to unregister. */
    public Entry register(Tracked socket) {
        Entry e = new Entry(ids.incrementAndGet(), Instant.now(), socket);
        open.add(e);
        return e;
    }

    /** Removes the entry; true if it was there (so a second call, or null, returns false). */
    public boolean unregister(Entry entry) {
        return entry != null && open.remove(entry);
    }

    /** Whether {@code entry} is in the table (registered, not yet unregistered). */
    public boolean contains(Entry entry) {
        return entry != null && open.contains(entry);
    }

    /** Registered sockets, including any the program dropped unclosed that the next listing will remove. */
    public int size() {
        return open.size();
    }

    /**
     * Every open socket, oldest first. A socket that closes while the table is being listed is
     * left out; one the program dropped without closing it, and that the GC has collected, leaves
     * the table here.
     */
    public List<SocketInfo> list() {
        List<Entry> entries = new ArrayList<>(open);
        entries.sort(Comparator.comparingLong(Entry::id));
        List<SocketInfo> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            Tracked t = e.socket.get();
            if (t == null) {
                open.remove(e);
                continue;
            }
            SocketInfo row = t.describe(e);
            if (open.contains(e)) {
                out.add(row);
            }
        }
        return out;
    }
}
