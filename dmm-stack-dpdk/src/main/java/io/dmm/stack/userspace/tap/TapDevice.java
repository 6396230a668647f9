package io.dmm.stack.userspace.tap;

import io.dmm.stack.userspace.phy.Device;
import io.dmm.stack.userspace.phy.DeviceListener;
import io.dmm.stack.userspace.phy.RxHandler;
import io.dmm.stack.userspace.wire.EthernetFrame;
import io.dmm.stack.userspace.wire.VirtioNetHeader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Linux tap interface driven directly through {@code /dev/net/tun}: the userspace stack on one
 * end, the kernel's networking on the other, with no DPDK. Opened with {@code IFF_VNET_HDR}, so
 * every frame carries a {@link VirtioNetHeader} and the kernel does for us what a NIC would:
 *
 * <ul>
 *   <li><b>TSO</b>: a TCP frame of up to 64 KiB goes in one {@code write}; the kernel keeps it whole
 *       when it delivers it to a local socket, and cuts it into segments only if it forwards it.
 *       (DPDK 22.11's net_tap cuts it itself and makes one system call per segment.)</li>
 *   <li><b>Checksums</b> both ways: TCP and UDP checksums we send are left to the kernel
 *       ({@code NEEDS_CSUM}), and the tap asks the kernel for the same ({@code TUN_F_CSUM}), so
 *       frames the kernel made itself arrive with their data vouched for.</li>
 *   <li>No {@code SIGIO}: net_tap asks for a signal per received frame to skip empty polls, which
 *       costs the kernel a signal and this JVM an interrupted thread per frame.</li>
 * </ul>
 *
 * <p>Memory is one off-heap arena of slots: {@link #RX_SLOTS} receive slots (a burst's frames stay
 * readable until it ends, so the stack's GRO can merge them), {@link #TX_SLOTS} transmit slots and
 * one slot for a segmentation frame. A slot holds 6 spare bytes, the 10-byte header, then the
 * frame, so the frame starts 16 bytes in.
 *
 * <p>A submitted frame is queued, and written by {@link #txFlushAfterRelease()}, which the thread
 * that submitted it calls once it has released the instance's lock: a {@code write} to a tap runs
 * the receiving side's stack too, and holding the lock across it made every other thread spin or
 * yield for the lock (HTTP 64 B: 52–57k requests/s with the write under the lock, 66–68k without,
 * docs/benchmarks.md). One thread writes at a time (a transmit lock, taken with {@code tryLock}),
 * in submission order; a thread that finds it taken leaves its frames to the writer, which looks
 * again after letting go. A written slot goes back through a second queue, taken up by the next
 * {@link #txAcquire()}. A segmentation frame is written at submit, after the queue is drained.
 *
 * <p>The tap goes away with its last file descriptor unless an administrator made it persistent
 * ({@code ip tuntap add}). Not thread-safe but for {@link #txFlushAfterRelease()}, like every
 * {@link Device}: the instance's lock serialises the poll loop and application threads.
 */
public final class TapDevice implements Device {
    static final String TUN_PATH = "/dev/net/tun";
    static final int RX_SLOTS = 64;
    static final int TX_SLOTS = 64;
    /** The largest IPv4 packet a segmentation frame carries (IPv4's own limit). */
    static final int TSO_MAX_BYTES = 65_535;
    /** From a slot's start to its frame: 6 spare bytes and the virtio-net header. */
    static final int HEADROOM = 16;
    private static final int HEADER_AT = HEADROOM - VirtioNetHeader.LENGTH;
    private static final int IF_NAMESIZE = 16;
    private static final int IFREQ_SIZE = 40;

    // linux/if_tun.h, linux/sockios.h
    private static final long TUNSETIFF = 0x400454CAL;
    private static final long TUNSETOFFLOAD = 0x400454D0L;
    private static final long SIOCGIFFLAGS = 0x8913L;
    private static final long SIOCSIFFLAGS = 0x8914L;
    private static final long SIOCSIFMTU = 0x8922L;
    private static final int IFF_TAP = 0x0002;
    private static final int IFF_NO_PI = 0x1000;
    private static final int IFF_VNET_HDR = 0x4000;
    private static final int IFF_UP = 0x1;
    private static final int TUN_F_CSUM = 0x01;

    private final String name;
    private final String interfaceName;
    private final long mac;
    private final int mtu;
    private final int fd;
    private final Arena arena;
    private final MemorySegment memory;
    private final long base;
    private final MemorySegment errno;
    private final MemorySegment pollFd;
    private final int slotSize;
    private final long txBase;
    private final long tsoSlot;
    private final int[] txFree = new int[TX_SLOTS];
    private int txFreeCount;
    /** Submitted frames not yet written: slot and length; the head moves under the instance's lock. */
    private final int[] queuedSlot = new int[TX_SLOTS];
    private final int[] queuedLength = new int[TX_SLOTS];
    private volatile long queuedHead;
    /** Moved by the writer, under {@link #writing}. */
    private volatile long queuedTail;
    /** Written slots on their way back to {@link #txFree}: the writer adds, txAcquire takes. */
    private final int[] writtenSlot = new int[TX_SLOTS];
    private volatile long writtenHead;
    private long writtenTail;
    /** The transmit lock: one thread writes at a time, and close waits for it. */
    private final ReentrantLock writing = new ReentrantLock();
    /** The writer's errno: a receive under the instance's lock may run beside it. */
    private final MemorySegment writeErrno;
    private boolean tsoTaken;
    private final VirtioNetHeader vnet = new VirtioNetHeader();
    private DeviceListener listener;
    private volatile String failure;
    private volatile boolean closed;

    private long rxFrames, rxBytes, rxVouched, rxErrors, rxDropped;
    private long txFrames, txBytes, txTsoFrames, txErrors, txLinkDown, txFull;

    private TapDevice(String name, String interfaceName, long mac, int mtu, int fd) {
        this.name = name;
        this.interfaceName = interfaceName;
        this.mac = mac & 0xFFFF_FFFF_FFFFL;
        this.mtu = mtu;
        this.fd = fd;
        this.slotSize = align64(HEADROOM + EthernetFrame.HEADER_LENGTH + mtu);
        this.arena = Arena.ofShared();
        long bytes = (long) slotSize * (RX_SLOTS + TX_SLOTS) + align64(HEADROOM + EthernetFrame.HEADER_LENGTH + TSO_MAX_BYTES);
        this.memory = arena.allocate(bytes, 64);
        this.base = memory.address();
        this.txBase = (long) slotSize * RX_SLOTS;
        this.tsoSlot = txBase + (long) slotSize * TX_SLOTS;
        for (int i = 0; i < TX_SLOTS; i++) txFree[i] = TX_SLOTS - 1 - i;
        this.txFreeCount = TX_SLOTS;
        this.errno = Libc.errnoSegment(arena);
        this.writeErrno = Libc.errnoSegment(arena);
        this.pollFd = arena.allocate(8, 4);
        pollFd.set(ValueLayout.JAVA_INT, 0, fd);
        pollFd.set(ValueLayout.JAVA_SHORT, 4, Libc.POLLIN);
    }

    /**
     * Creates (or attaches to a persistent) tap named {@code interfaceName}, or one the kernel names
     * {@code dmmN} when it is null; brings it up with the MTU {@code mtu} where this process may.
     * Needs CAP_NET_ADMIN, unless the tap is persistent and its owner is this process's user.
     *
     * @throws IllegalStateException with the interface and the kernel's reason when it cannot
     */
    public static TapDevice open(String instance, String interfaceName, int mtu, long mac) {
        if (mtu < 68 || mtu > 65_535 - EthernetFrame.HEADER_LENGTH) {
            throw new IllegalArgumentException("tap MTU must be in [68, 65521]: " + mtu);
        }
        String requested = interfaceName == null ? "dmm%d" : interfaceName;
        try (Arena call = Arena.ofConfined()) {
            MemorySegment capture = Libc.errnoSegment(call);
            int fd = Libc.open(capture, call.allocateFrom(TUN_PATH), Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
            if (fd < 0) {
                int e = Libc.errno(capture);
                throw new IllegalStateException("cannot open " + TUN_PATH + " for the tap of instance " + instance + ": "
                        + Libc.describe(e) + (e == 2 ? " (modprobe tun)" : e == 13 || e == Libc.EPERM ? PRIVILEGE_HINT : ""));
            }
            try {
                MemorySegment ifr = call.allocate(IFREQ_SIZE);
                ifr.setString(0, requested);
                ifr.set(ValueLayout.JAVA_SHORT, IF_NAMESIZE, (short) (IFF_TAP | IFF_NO_PI | IFF_VNET_HDR));
                if (Libc.ioctl(capture, fd, TUNSETIFF, ifr) < 0) {
                    int e = Libc.errno(capture);
                    throw new IllegalStateException("cannot make the tap " + requested + " for instance " + instance + ": "
                            + Libc.describe(e) + (e == Libc.EPERM ? PRIVILEGE_HINT
                            : e == Libc.EBUSY ? " (another process has it open)"
                            : e == Libc.EINVAL ? " (an interface of that name exists and is no tap)" : ""));
                }
                String actual = ifr.getString(0);
                // ask for frames with their checksums left partial where the kernel made them: nothing to compute
                if (Libc.ioctl(capture, fd, TUNSETOFFLOAD, TUN_F_CSUM) < 0) {
                    throw new IllegalStateException("cannot set the offloads of tap " + actual + ": "
                            + Libc.describe(Libc.errno(capture)));
                }
                configure(call, capture, actual, mtu);
                return new TapDevice(instance + ".tap:" + actual, actual, mac, mtu, fd);
            } catch (RuntimeException | Error e) {
                Libc.close(fd);
                throw e;
            }
        }
    }

    private static final String PRIVILEGE_HINT = " (making a tap needs CAP_NET_ADMIN; an administrator can make a "
            + "persistent one for this user instead: ip tuntap add dev NAME mode tap user USER)";

    /**
     * Sets the interface's MTU to ours and brings it up, as DPDK's net_tap does; where this process
     * may not (a persistent tap given to an unprivileged user), the administrator's settings stand.
     */
    private static void configure(Arena call, MemorySegment capture, String iface, int mtu) {
        int s = Libc.socket(capture, Libc.AF_INET, Libc.SOCK_DGRAM, 0);
        if (s < 0) return;
        try {
            MemorySegment ifr = call.allocate(IFREQ_SIZE);
            ifr.setString(0, iface);
            ifr.set(ValueLayout.JAVA_INT, IF_NAMESIZE, mtu);
            Libc.ioctl(capture, s, SIOCSIFMTU, ifr);
            ifr.fill((byte) 0);
            ifr.setString(0, iface);
            if (Libc.ioctl(capture, s, SIOCGIFFLAGS, ifr) == 0) {
                short flags = ifr.get(ValueLayout.JAVA_SHORT, IF_NAMESIZE);
                ifr.set(ValueLayout.JAVA_SHORT, IF_NAMESIZE, (short) (flags | IFF_UP));
                Libc.ioctl(capture, s, SIOCSIFFLAGS, ifr);
            }
        } finally {
            Libc.close(s);
        }
    }

    private static int align64(int n) {
        return (n + 63) & ~63;
    }

    /** The kernel's name of the tap, e.g. {@code dmm0}. */
    public String interfaceName() {
        return interfaceName;
    }

    @Override public String name() { return name; }
    @Override public long macAddress() { return mac; }
    @Override public int mtu() { return mtu; }
    @Override public MemorySegment memory() { return memory; }
    @Override public int txCapacity() { return mtu + EthernetFrame.HEADER_LENGTH; }
    @Override public boolean holdsFramesForBurst() { return true; }
    @Override public int tsoMaxBytes() { return TSO_MAX_BYTES; }
    /** The kernel completes TCP and UDP checksums from {@code NEEDS_CSUM}; IPv4's the stack always fills. */
    @Override public boolean txChecksumOffload() { return true; }
    /** A tap says nothing when frames arrive: it is polled (the instance's poll loop, spinning sockets). */
    @Override public void setRxNotifier(Runnable notifier) {}
    @Override public void setListener(DeviceListener listener) { this.listener = listener; }

    @Override
    public int receive(RxHandler handler, int budget) {
        if (closed || failure != null) return 0;
        int n = 0;
        int limit = Math.min(budget, RX_SLOTS);
        try {
            // reads bounded too, not only frames handed over: a flood of frames we drop ends the burst
            for (int reads = 0; n < limit && reads < limit; reads++) {
                long slot = (long) slotSize * n;
                long got = Libc.read(errno, fd, base + slot + HEADER_AT, slotSize - HEADER_AT);
                if (got < 0) {
                    int e = Libc.errno(errno);
                    if (e == Libc.EAGAIN || e == Libc.EINTR) break;
                    if (fatal(e)) {
                        fail("read", e);
                        break;
                    }
                    rxErrors++;
                    break;
                }
                int length = (int) got - VirtioNetHeader.LENGTH;
                vnet.wrap(memory, slot + HEADER_AT);
                if (length < EthernetFrame.HEADER_LENGTH || vnet.gsoType() != VirtioNetHeader.GSO_NONE
                        || length > EthernetFrame.HEADER_LENGTH + mtu) {
                    rxDropped++;  // segmentation was not offered to the kernel; a frame over our MTU is none of ours
                    continue;
                }
                // NEEDS_CSUM: made by this host's kernel, its checksum left to be completed; DATA_VALID: verified
                boolean vouched = (vnet.flags() & (VirtioNetHeader.F_NEEDS_CSUM | VirtioNetHeader.F_DATA_VALID)) != 0;
                if (vouched) rxVouched++;
                rxFrames++;
                rxBytes += length;
                n++;
                handler.frame(memory, slot + HEADROOM, length, vouched);
            }
        } finally {
            if (n > 0) handler.endOfBurst();
        }
        return n;
    }

    @Override
    public boolean rxPending() {
        if (closed || failure != null) return false;
        pollFd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
        return Libc.poll(errno, pollFd, 1, 0) > 0 && (pollFd.get(ValueLayout.JAVA_SHORT, 6) & Libc.POLLIN) != 0;
    }

    @Override
    public long txAcquire() {
        takeBackWritten();
        if (txFreeCount == 0 && queuedTail != queuedHead && !closed) {
            // more frames in one hold of the lock than buffers: write them now, under it, as before
            writing.lock();
            try {
                writeQueued();
            } finally {
                writing.unlock();
            }
            takeBackWritten();
        }
        if (closed || txFreeCount == 0) {
            txFull++;
            return -1;
        }
        return txBuffer(txFree[--txFreeCount]);
    }

    @Override
    public long txAcquireSegmented() {
        if (closed || tsoTaken) return -1;
        tsoTaken = true;
        return tsoSlot + HEADROOM;
    }

    @Override
    public void txRelease(long offset) {
        long slotStart = offset - HEADROOM;
        if (slotStart == tsoSlot) {
            tsoTaken = false;
            return;
        }
        if (slotStart < txBase || slotStart >= tsoSlot || (slotStart - txBase) % slotSize != 0) {
            throw new IllegalArgumentException("offset " + offset + " is no transmit buffer of " + name);
        }
        txFree[txFreeCount++] = txSlot(offset);
    }

    @Override
    public void txSubmit(long offset, int length) {
        if (length < EthernetFrame.HEADER_LENGTH || length > txCapacity()) {
            txRelease(offset);
            throw new IllegalArgumentException("frame of " + length + " bytes on " + name + " (capacity " + txCapacity() + ")");
        }
        TxOffload.ordinary(memory, offset, length, vnet.wrap(memory, offset - VirtioNetHeader.LENGTH));
        long head = queuedHead;
        int i = (int) (head & (TX_SLOTS - 1));
        queuedSlot[i] = txSlot(offset);
        queuedLength[i] = length;
        queuedHead = head + 1;  // publishes the entry (a slot is queued at most once: at most TX_SLOTS are)
    }

    @Override
    public void txFlushAfterRelease() {
        while (queuedTail != queuedHead) {
            if (!writing.tryLock()) return;  // the writer looks again after letting go
            try {
                writeQueued();
            } finally {
                writing.unlock();
            }
        }
    }

    /** The offset of transmit slot {@code slot}'s frame, as {@link #txAcquire()} hands it out. */
    private long txBuffer(int slot) {
        return txBase + (long) slotSize * slot + HEADROOM;
    }

    /** The transmit slot of a frame at {@code offset} from {@link #txAcquire()}. */
    private int txSlot(long offset) {
        return (int) ((offset - HEADROOM - txBase) / slotSize);
    }

    /** Takes the slots the writer is done with back into the free list (under the instance's lock). */
    private void takeBackWritten() {
        while (writtenTail != writtenHead) txFree[txFreeCount++] = writtenSlot[(int) (writtenTail++ & (TX_SLOTS - 1))];
    }

    /** Writes the queued frames in order and hands their slots back. Under {@link #writing}. */
    private void writeQueued() {
        for (long tail = queuedTail; tail != queuedHead; ) {
            int i = (int) (tail & (TX_SLOTS - 1));
            int slot = queuedSlot[i];
            if (!closed) write(txBuffer(slot), queuedLength[i]);
            long w = writtenHead;
            writtenSlot[(int) (w & (TX_SLOTS - 1))] = slot;
            writtenHead = w + 1;
            queuedTail = ++tail;
        }
    }

    @Override
    public void txSubmitSegmented(long offset, int length, int segmentSize) {
        if (offset - HEADROOM != tsoSlot || length < EthernetFrame.HEADER_LENGTH + 40
                || length > EthernetFrame.HEADER_LENGTH + TSO_MAX_BYTES || segmentSize <= 0 || segmentSize > 0xFFFF) {
            txRelease(offset);
            throw new IllegalArgumentException("TSO frame of " + length + " bytes, segments of " + segmentSize + " on " + name);
        }
        TxOffload.segmented(memory, offset, length, segmentSize, vnet.wrap(memory, offset - VirtioNetHeader.LENGTH));
        writing.lock();
        try {
            writeQueued();  // the frames submitted before this one go first
            txTsoFrames++;
            write(offset, length);
        } finally {
            writing.unlock();
        }
        txRelease(offset);
    }

    private void write(long offset, int length) {
        if (failure != null) {
            txErrors++;
            return;
        }
        long wrote = Libc.write(writeErrno, fd, base + offset - VirtioNetHeader.LENGTH, length + VirtioNetHeader.LENGTH);
        if (wrote >= 0) {
            txFrames++;
            txBytes += length;
            return;
        }
        int e = Libc.errno(writeErrno);
        if (e == Libc.EIO) {
            txLinkDown++;  // the kernel's side of the tap is down: as a NIC without carrier, the frame is lost
        } else if (fatal(e)) {
            fail("write", e);
        } else {
            txErrors++;
        }
    }

    @Override
    public void txFlush() {
        // frames are written once the instance's lock is released (txFlushAfterRelease), not here
    }

    /** Errors after which the tap carries nothing more: its interface was deleted. */
    private static boolean fatal(int e) {
        return e == Libc.EBADFD || e == Libc.ENODEV || e == Libc.ENXIO || e == Libc.EBADF;
    }

    private void fail(String call, int e) {
        if (failure != null) return;
        failure = "tap " + interfaceName + " went away: " + call + ": " + Libc.describe(e);
        DeviceListener l = listener;
        if (l != null) l.deviceFailed(failure);
    }

    @Override
    public void probe() {
        // a tap reports its end with the error of the next read or write; there is no link state to ask
        // from here once its interface has moved to another namespace
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("rx_frames", rxFrames);
        m.put("rx_bytes", rxBytes);
        m.put("rx_checksum_vouched", rxVouched);
        m.put("rx_errors", rxErrors);
        m.put("rx_dropped", rxDropped);
        m.put("tx_frames", txFrames);
        m.put("tx_bytes", txBytes);
        m.put("tx_tso_frames", txTsoFrames);
        m.put("tx_errors", txErrors);
        m.put("tx_link_down", txLinkDown);
        m.put("tx_full", txFull);
        m.put("tso", 1L);
        return m;
    }

    @Override
    public void close() {
        writing.lock();  // a writer outside the instance's lock is done with the fd and the memory
        try {
            if (closed) return;
            closed = true;
            Libc.close(fd);
            arena.close();
        } finally {
            writing.unlock();
        }
    }
}
