package io.dmm.core.runtime;

import io.dmm.api.SocketInfo;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The open routed sockets of a runtime: the JVM's equivalent of {@code ss}. A channel registers
 * when it is opened and unregisters when it closes; listing asks each for its current state.
 * Registering costs one map insertion per socket; the per-socket byte counters are plain fields
 * updated with opaque writes (each is written by the one thread holding the channel's read or
 * write lock, and read by the management thread).
 */
public final class SocketTable {
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentHashMap<Long, Entry> open = new ConcurrentHashMap<>();

    /** What a routed channel says about itself for the table. */
    public interface Tracked {
        /** A row of the table: this socket's state now, with the entry's id, age and byte counts. */
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
        private final Tracked socket;
        private long bytesIn;
        private long bytesOut;

        private Entry(long id, Instant opened, Tracked socket) {
            this.id = id;
            this.opened = opened;
            this.socket = socket;
        }

        public long id() {
            return id;
        }

        public Instant opened() {
            return opened;
        }

        public void addIn(long n) {
            IN.setOpaque(this, (long) IN.getOpaque(this) + n);
        }

        public void addOut(long n) {
            OUT.setOpaque(this, (long) OUT.getOpaque(this) + n);
        }

        public long bytesIn() {
            return (long) IN.getOpaque(this);
        }

        public long bytesOut() {
            return (long) OUT.getOpaque(this);
        }
    }

    public Entry register(Tracked socket) {
        Entry e = new Entry(ids.incrementAndGet(), Instant.now(), socket);
        open.put(e.id, e);
        return e;
    }

    /** Idempotent. */
    public void unregister(Entry entry) {
        if (entry != null) {
            open.remove(entry.id);
        }
    }

    public int size() {
        return open.size();
    }

    /** Every open socket, oldest first. */
    public List<SocketInfo> list() {
        List<Entry> entries = new ArrayList<>(open.values());
        entries.sort(Comparator.comparingLong(Entry::id));
        List<SocketInfo> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            out.add(e.socket.describe(e));
        }
        return out;
    }
}
