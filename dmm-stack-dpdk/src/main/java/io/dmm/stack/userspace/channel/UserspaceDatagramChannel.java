package io.dmm.stack.userspace.channel;

import io.dmm.api.spi.BusyPoller;
import io.dmm.api.spi.ReadinessListener;
import io.dmm.api.spi.ReadinessSource;
import io.dmm.jdk.net.ChannelDatagramSocket;
import io.dmm.jdk.net.TimedDatagramChannel;
import io.dmm.jdk.options.SocketOptionValues;
import io.dmm.stack.userspace.StackLock;
import io.dmm.stack.userspace.udp.UdpSocket;
import io.dmm.stack.userspace.wire.Ipv4Address;
import java.io.InterruptedIOException;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.MembershipKey;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A UDP channel of the userspace stack (IPv4; dual-stack when of family INET6), with the JDK's
 * {@code sun.nio.ch.DatagramChannelImpl} semantics: implicit bind on first send/receive/connect,
 * connected channels read/write and receive only from their peer (and see ICMP port unreachable as
 * {@link java.net.PortUnreachableException}, thrown by the engine), blocking and non-blocking modes.
 *
 * <p>IPv4 multicast: {@link #join} returns {@link MembershipKey}s with the JDK's rules (see
 * {@link MembershipKeys}); the channel hears a group's datagrams only through its own memberships,
 * as the JDK's channels on Linux (IP_MULTICAST_ALL off). IP_MULTICAST_IF, IP_MULTICAST_TTL (1 by
 * default), IP_MULTICAST_LOOP (on by default), IP_TOS and SO_BROADCAST act on what is sent. The
 * instance has one interface: a join through any NetworkInterface with an IPv4 address joins on it,
 * and IP_MULTICAST_IF picks the source address of datagrams to groups only when its interface has
 * one of the instance's addresses.
 */
public class UserspaceDatagramChannel extends DatagramChannel implements ReadinessSource, TimedDatagramChannel {
    static final Set<SocketOption<?>> OPTIONS = Set.of(
            StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR,
            StandardSocketOptions.SO_REUSEPORT, StandardSocketOptions.SO_BROADCAST, StandardSocketOptions.IP_TOS,
            StandardSocketOptions.IP_MULTICAST_IF, StandardSocketOptions.IP_MULTICAST_TTL, StandardSocketOptions.IP_MULTICAST_LOOP);

    /** The largest UDP payload over IPv4: bounds the scratch buffer of scattering reads and gathering writes. */
    private static final int MAX_DATAGRAM = 65507;
    /**
     * How long a blocking send waits before retrying when the device had no transmit buffer: the
     * engine signals no "transmit buffer free" event for UDP (a socket is always writable).
     */
    private static final long SEND_RETRY_NANOS = 50_000L;
    /**
     * How long a blocking send keeps retrying before it gives up: the engine cannot tell "no
     * transmit buffer now" from "no route", and a send must not block forever on the latter.
     */
    private static final long SEND_GIVE_UP_NANOS = 100_000_000L;

    /** What the receive loop returns to read(), which wants no source address. */
    private static final SocketAddress RECEIVED = new SocketAddress() {
        private static final long serialVersionUID = 1L;
    };

    private final StackAccess access;
    /** The address rules of the channel's family (IPv4, or dual-stack). */
    private final SocketAddresses addresses;
    private final StackLock stackLock;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Signal signal;
    private volatile InetSocketAddress localAddress;
    private volatile InetSocketAddress remoteAddress;
    private volatile ChannelDatagramSocket socket;
    private final Object adaptorLock = new Object();

    // guarded by the stack lock
    private UdpSocket sock;
    private boolean released;
    /** The address bound before connect, restored by disconnect. */
    private InetSocketAddress boundAddress;
    private int remoteIp;
    private int sendBufferSize;
    private int receiveBufferSize;
    private boolean reuseAddress;
    private boolean reusePort;
    private boolean broadcast;
    private int trafficClass;
    private NetworkInterface multicastInterface;
    private int multicastTtl = 1;
    private boolean multicastLoop = true;
    /** The channel's multicast memberships; null until the first join. */
    private MembershipKeys memberships;

    // scratch for scattering reads (under readLock) and gathering writes (under writeLock); grown on demand
    private ByteBuffer readScratch;
    private ByteBuffer writeScratch;
    /** False for a java.net.DatagramSocket's channel: an interrupt does not close it (see openForDatagramSocket). */
    private final boolean interruptible;

    /** An IPv4 (INET) channel. */
    public UserspaceDatagramChannel(SelectorProvider provider, StackAccess access) {
        this(provider, access, StandardProtocolFamily.INET, true);
    }

    private UserspaceDatagramChannel(SelectorProvider provider, StackAccess access, ProtocolFamily family,
                                     boolean interruptible) {
        super(provider);
        this.interruptible = interruptible;
        this.addresses = SocketAddresses.of(family);
        this.access = Objects.requireNonNull(access);
        this.stackLock = access.lock();
        this.signal = new Signal();
        stackLock.lock();
        try {
            signal.refresh(); // writable from the start
        } finally {
            stackLock.unlock();
        }
    }

    /** An IPv4 channel. */
    public static UserspaceDatagramChannel open(SelectorProvider provider, StackAccess access) throws IOException {
        return open(provider, access, StandardProtocolFamily.INET);
    }

    /** The factory a stack instance calls: INET, or INET6 and null for a dual-stack channel (see SocketAddresses). */
    public static UserspaceDatagramChannel open(SelectorProvider provider, StackAccess access, ProtocolFamily family)
            throws IOException {
        access.ensureOpen();
        return new UserspaceDatagramChannel(provider, access, family, true);
    }

    /**
     * The channel behind a java.net.DatagramSocket, as the JDK's {@code openUninterruptibleDatagramChannel}:
     * interrupting a platform thread blocked in its receive neither closes it nor wakes the thread,
     * which keeps its interrupt status; a virtual thread's receive ends with InterruptedIOException
     * (the socket adaptor then closes the socket, as the JDK's does).
     */
    public static UserspaceDatagramChannel openForDatagramSocket(SelectorProvider provider, StackAccess access)
            throws IOException {
        return openForDatagramSocket(provider, access, StandardProtocolFamily.INET);
    }

    /** As {@link #openForDatagramSocket(SelectorProvider, StackAccess)}, of {@code family} as {@link #open}. */
    public static UserspaceDatagramChannel openForDatagramSocket(SelectorProvider provider, StackAccess access,
                                                                 ProtocolFamily family) throws IOException {
        access.ensureOpen();
        return new UserspaceDatagramChannel(provider, access, family, false);
    }

    private final class Signal extends ChannelSignal {
        Signal() {
            super(stackLock, UserspaceDatagramChannel.this);
        }

        @Override
        int computeReadyOps() {
            if (released || !isOpen()) return 0;
            UdpSocket s = sock;
            // unbound: a send would bind and not block, as an unbound kernel socket polls writable
            if (s == null) return SelectionKey.OP_WRITE;
            return s.readyOps() & (SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
    }

    @Override
    public int readyOps() {
        return signal.readyOps();
    }

    @Override
    public void setReadinessListener(ReadinessListener listener) {
        signal.setListener(listener);
    }

    @Override
    public BusyPoller busyPoller() {
        return access.busyPoller();
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) throw new ClosedChannelException();
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public DatagramSocket socket() {
        ChannelDatagramSocket s = socket;
        if (s == null) {
            // not the read/accept lock: a thread blocked in a read must not block socket()
            synchronized (adaptorLock) {
                s = socket;
                if (s == null) socket = s = ChannelDatagramSocket.of(this);
            }
        }
        return s;
    }

    @Override
    public boolean isConnected() {
        return remoteAddress != null;
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        return localAddress;
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        ensureOpen();
        return remoteAddress;
    }

    // ------------------------------------------------------------------ bind / connect

    @Override
    public DatagramChannel bind(SocketAddress local) throws IOException {
        readLock.lock();
        try {
            writeLock.lock();
            try {
                stackLock.lock();
                try {
                    ensureOpen();
                    if (localAddress != null) throw new AlreadyBoundException();
                    bindLocked(local);
                } finally {
                    stackLock.unlock();
                }
            } finally {
                writeLock.unlock();
            }
        } finally {
            readLock.unlock();
        }
        return this;
    }

    private void bindLocked(SocketAddress local) throws IOException {
        InetSocketAddress isa = addresses.checkLocal(local);
        access.ensureOpen();
        int ip = addresses.bindableDatagramIp(isa, access.ip());
        UdpSocket s = access.udp().open(ip, isa.getPort(), reuseAddress, reusePort, receiveBufferSize);
        s.setNotification(signal);
        sock = s;
        applySendingOptions();
        if (memberships != null) s.setMemberships(memberships.memberships());
        // as the JDK (which reads the address back from the socket): no host name kept
        boundAddress = localAddress = addresses.bound(isa, s.localPort());
        signal.refresh();
    }

    @Override
    public DatagramChannel connect(SocketAddress remote) throws IOException {
        return connect(remote, true);
    }

    @Override
    public void connectSocket(SocketAddress remote) throws IOException {
        connect(remote, false);
    }

    @Override
    public boolean isBound() {
        return localAddress != null;
    }

    /** What the java.net adaptor binds for bind(null): 0.0.0.0, or the JDK's choice for a dual-stack channel. */
    @Override
    public InetAddress anyLocalAddress() {
        return addresses.adaptorWildcard();
    }

    /**
     * java.net's joinGroup, as the JDK's DatagramSocket adaptor: the group must be a multicast
     * address, the interface defaults to IP_MULTICAST_IF's (else "any"), and joining twice is
     * SocketException("Already a member of group").
     */
    @Override
    public void joinGroup(SocketAddress group, NetworkInterface netIf) throws IOException {
        InetAddress g = checkGroup(group);
        NetworkInterface ni = netIf != null ? netIf : adaptorInterface();
        if (!isOpen()) throw new SocketException("Socket is closed");
        synchronized (adaptorLock) {
            stackLock.lock();
            try {
                if (memberships != null && memberships.find(g, ni, null) != null) {
                    throw new SocketException("Already a member of group");
                }
            } finally {
                stackLock.unlock();
            }
            innerJoin(g, ni, null);
        }
    }

    /** java.net's leaveGroup, as the JDK's adaptor: SocketException("Not a member of group") when not joined. */
    @Override
    public void leaveGroup(SocketAddress group, NetworkInterface netIf) throws IOException {
        InetAddress g = checkGroup(group);
        NetworkInterface ni = netIf != null ? netIf : adaptorInterface();
        if (!isOpen()) throw new SocketException("Socket is closed");
        synchronized (adaptorLock) {
            UserspaceMembershipKey key;
            stackLock.lock();
            try {
                key = memberships == null ? null : memberships.find(g, ni, null);
            } finally {
                stackLock.unlock();
            }
            if (key == null) throw new SocketException("Not a member of group");
            key.drop();
        }
    }

    private static InetAddress checkGroup(SocketAddress group) throws SocketException {
        if (!(group instanceof InetSocketAddress isa)) throw new IllegalArgumentException("Unsupported address type");
        InetAddress g = isa.getAddress();
        if (g == null) throw new IllegalArgumentException("Unresolved address");
        if (!g.isMulticastAddress()) throw new SocketException("Not a multicast address");
        return g;
    }

    /** The adaptor's interface when none is given: IP_MULTICAST_IF's, else null for "any" (the JDK's placeholder). */
    private NetworkInterface adaptorInterface() throws SocketException {
        stackLock.lock();
        try {
            if (!isOpen()) throw new SocketException("Socket is closed");
            return multicastInterface;
        } finally {
            stackLock.unlock();
        }
    }

    /**
     * Connects; {@code check} false lets a connected channel connect to another peer, as
     * java.net.DatagramSocket allows (its adaptor's use).
     */
    DatagramChannel connect(SocketAddress remote, boolean check) throws IOException {
        InetSocketAddress isa = addresses.check(remote);
        readLock.lock();
        try {
            writeLock.lock();
            try {
                stackLock.lock();
                try {
                    ensureOpen();
                    if (check && remoteAddress != null) throw new AlreadyConnectedException();
                    if (isa.getPort() == 0) throw new SocketException("Can't connect to port 0");
                    if (sock == null) bindLocked(null);
                    int ip = addresses.destinationIp(isa, access.ip());
                    checkBroadcast(ip);
                    sock.connect(ip, isa.getPort());
                    remoteIp = ip;
                    remoteAddress = isa;
                    int localIp = sock.localIp();
                    if (localIp == Ipv4Address.ANY) localIp = access.ip().sourceAddressFor(ip);
                    localAddress = SocketAddresses.of(localIp, sock.localPort());
                    flushLocked();
                    signal.refresh();
                } finally {
                    stackLock.unlock();
                }
            } finally {
                writeLock.unlock();
            }
        } finally {
            readLock.unlock();
        }
        return this;
    }

    /** Drops the datagrams queued before connect, as the JDK does: afterwards only the peer's are seen. */
    private void flushLocked() {
        ByteBuffer buf = scratch(false, 1);
        while (true) {
            buf.clear();
            try {
                if (!sock.receive(buf)) return;
            } catch (IOException e) {
                // a socket that failed with its stack throws for good: nothing left to drop
                if (sock.failed()) return;
                // an error queued before connect concerns the old, unconnected socket: dropped with its datagrams
            }
        }
    }

    @Override
    public DatagramChannel disconnect() throws IOException {
        readLock.lock();
        try {
            writeLock.lock();
            try {
                stackLock.lock();
                try {
                    if (!isOpen() || remoteAddress == null) return this;
                    sock.disconnect();
                    remoteAddress = null;
                    localAddress = boundAddress;
                    signal.refresh();
                } finally {
                    stackLock.unlock();
                }
            } finally {
                writeLock.unlock();
            }
        } finally {
            readLock.unlock();
        }
        return this;
    }

    // ------------------------------------------------------------------ receive / read

    @Override
    public SocketAddress receive(ByteBuffer dst) throws IOException {
        if (dst.isReadOnly()) throw new IllegalArgumentException("Read-only buffer");
        return implReceive(dst, false, false, 0L);
    }

    /**
     * A blocking receive bounded by {@code timeoutNanos} (0 or less: unbounded), for the
     * DatagramSocket adaptor: SocketTimeoutException("Receive timed out") when it passes.
     * IllegalBlockingModeException in non-blocking mode.
     */
    @Override
    public SocketAddress receive(ByteBuffer dst, long timeoutNanos) throws IOException {
        if (dst.isReadOnly()) throw new IllegalArgumentException("Read-only buffer");
        return implReceive(dst, false, true, timeoutNanos);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst);
        if (dst.isReadOnly()) throw new IllegalArgumentException("Read-only buffer");
        int pos = dst.position();
        return implReceive(dst, true, false, 0L) == null ? 0 : dst.position() - pos;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, dsts.length);
        readLock.lock();
        try {
            long room = 0;
            for (int i = offset; i < offset + length; i++) room += dsts[i].remaining();
            ByteBuffer buf = scratch(false, (int) Math.min(room, MAX_DATAGRAM));
            if (implReceive(buf, true, false, 0L) == null) return 0;
            buf.flip();
            long n = buf.remaining();
            for (int i = offset; i < offset + length && buf.hasRemaining(); i++) {
                ByteBuffer d = dsts[i];
                int k = Math.min(d.remaining(), buf.remaining());
                d.put(d.position(), buf, buf.position(), k);
                d.position(d.position() + k);
                buf.position(buf.position() + k);
            }
            return n;
        } finally {
            readLock.unlock();
        }
    }

    /**
     * The source of the datagram received into {@code dst} ({@link #RECEIVED} for reads, which
     * need none), or null when none (non-blocking).
     */
    private SocketAddress implReceive(ByteBuffer dst, boolean mustBeConnected, boolean mustBlock, long timeoutNanos)
            throws IOException {
        readLock.lock();
        try {
            ensureOpen();
            boolean blocking = isBlocking();
            if (mustBlock && !blocking) throw new IllegalBlockingModeException();
            SocketAddress sender = null;
            boolean interruptKept = false;
            try {
                if (blocking && interruptible) begin();
                stackLock.lock();
                try {
                    ensureOpen();
                    if (remoteAddress == null && mustBeConnected) throw new NotYetConnectedException();
                    if (sock == null) bindLocked(null);
                } finally {
                    stackLock.unlock();
                }
                if (blocking) signal.reader = Thread.currentThread();
                boolean timed = timeoutNanos > 0;
                long deadline = timed ? System.nanoTime() + timeoutNanos : 0L;
                long spin = access.spinNanos();
                while (true) {
                    int observed;
                    stackLock.lock();
                    try {
                        if (!isOpen() || released) break;
                        try {
                            if (sock.receive(dst)) {
                                // read() needs no source: a connected channel's reads allocate nothing
                                sender = mustBeConnected ? RECEIVED : SocketAddresses.of(sock.lastSourceIp(), sock.lastSourcePort());
                            }
                        } finally {
                            signal.refresh();
                        }
                        observed = signal.version();
                    } finally {
                        stackLock.unlock();
                    }
                    if (sender != null || !blocking) break;
                    if (timed && deadline - System.nanoTime() <= 0) throw new SocketTimeoutException("Receive timed out");
                    if (!interruptible && Thread.currentThread().isInterrupted()) {
                        if (Thread.currentThread().isVirtual()) throw new InterruptedIOException();
                        interruptKept = Thread.interrupted(); // set again below; a set status would not let the thread park
                    }
                    signal.await(observed, spin, timed, deadline);
                }
            } finally {
                if (blocking) {
                    signal.reader = null;
                    if (interruptible) end(sender != null);
                }
                if (interruptKept) Thread.currentThread().interrupt();
            }
            if (blocking && !interruptible && sender == null && !isOpen()) throw new AsynchronousCloseException();
            return sender;
        } finally {
            readLock.unlock();
        }
    }

    // ------------------------------------------------------------------ send / write

    @Override
    public int send(ByteBuffer src, SocketAddress target) throws IOException {
        Objects.requireNonNull(src);
        InetSocketAddress isa = addresses.check(target);
        return implSend(src, isa, false);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src);
        return implSend(src, null, false);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        writeLock.lock();
        try {
            long total = 0;
            for (int i = offset; i < offset + length; i++) total += srcs[i].remaining();
            // one datagram: gathered into scratch without moving the sources until it is sent
            ByteBuffer buf = scratch(true, (int) Math.min(total, MAX_DATAGRAM + 1));
            buf.clear();
            for (int i = offset; i < offset + length && buf.hasRemaining(); i++) {
                ByteBuffer s = srcs[i];
                int k = Math.min(s.remaining(), buf.remaining());
                buf.put(buf.position(), s, s.position(), k);
                buf.position(buf.position() + k);
            }
            buf.flip();
            int n = implSend(buf, null, false);
            if (n > 0) {
                int left = n;
                for (int i = offset; i < offset + length && left > 0; i++) {
                    ByteBuffer s = srcs[i];
                    int k = Math.min(s.remaining(), left);
                    s.position(s.position() + k);
                    left -= k;
                }
            }
            return n;
        } finally {
            writeLock.unlock();
        }
    }

    /** The DatagramSocket adaptor's send: blocking, one datagram. */
    @Override
    public void blockingSend(ByteBuffer src, InetSocketAddress target) throws IOException {
        implSend(src, target, true);
    }

    /** Sends {@code src} to {@code target}, or to the connected peer when target is null (write). */
    int implSend(ByteBuffer src, InetSocketAddress target, boolean mustBlock) throws IOException {
        writeLock.lock();
        try {
            ensureOpen();
            boolean blocking = isBlocking();
            if (mustBlock && !blocking) throw new IllegalBlockingModeException();
            int n = 0;
            boolean completed = false;
            try {
                if (blocking && interruptible) begin();
                int dstIp;
                int dstPort;
                stackLock.lock();
                try {
                    ensureOpen();
                    InetSocketAddress remote = remoteAddress;
                    if (target == null && remote == null) throw new NotYetConnectedException();
                    if (sock == null) bindLocked(null); // before the address checks, as the JDK binds first
                    if (target == null) {
                        dstIp = remoteIp;
                        dstPort = remote.getPort();
                    } else if (remote != null) {
                        if (!target.equals(remote)) throw new AlreadyConnectedException();
                        dstIp = remoteIp;
                        dstPort = remote.getPort();
                    } else {
                        if (target.getPort() == 0) throw new SocketException("Can't send to port 0");
                        dstIp = addresses.destinationIp(target, access.ip());
                        dstPort = target.getPort();
                        checkBroadcast(dstIp);
                    }
                } finally {
                    stackLock.unlock();
                }
                if (blocking) signal.writer = Thread.currentThread();
                long spin = access.spinNanos();
                long giveUp = System.nanoTime() + SEND_GIVE_UP_NANOS;
                while (true) {
                    int observed;
                    stackLock.lock();
                    try {
                        if (!isOpen() || released) break;
                        n = sock.send(src, dstIp, dstPort);
                        signal.refresh();
                        observed = signal.version();
                    } finally {
                        stackLock.unlock();
                    }
                    if (n > 0 || !src.hasRemaining()) {
                        completed = true;
                        break;
                    }
                    if (!blocking) break;
                    if (System.nanoTime() - giveUp > 0) {
                        throw new SocketException("Datagram not sent: no route to " + target(dstIp, dstPort)
                                + " or no transmit buffer");
                    }
                    signal.await(observed, spin, true, System.nanoTime() + SEND_RETRY_NANOS);
                }
            } finally {
                if (blocking) {
                    signal.writer = null;
                    if (interruptible) end(completed);
                }
            }
            return n;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Linux refuses a send or connect to a broadcast address (the limited one or a subnet's) with
     * EACCES unless SO_BROADCAST is set, which the JDK throws as BindException("Permission denied").
     * Under the stack lock.
     */
    private void checkBroadcast(int dstIp) throws BindException {
        if (!broadcast && access.ip().isBroadcastAddress(dstIp)) throw new BindException("Permission denied");
    }

    private static String target(int ip, int port) {
        return Ipv4Address.toString(ip) + ":" + port;
    }

    private ByteBuffer scratch(boolean write, int size) {
        ByteBuffer b = write ? writeScratch : readScratch;
        if (b == null || b.capacity() < size) {
            b = ByteBuffer.allocateDirect(Math.max(size, 2048));
            if (write) writeScratch = b;
            else readScratch = b;
        }
        b.clear().limit(size);
        return b;
    }

    // ------------------------------------------------------------------ options

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return OPTIONS;
    }

    @Override
    public <T> DatagramChannel setOption(SocketOption<T> name, T value) throws IOException {
        SocketOptionValues.checkSupported(name, OPTIONS);
        SocketOptionValues.checkType(name, value);
        stackLock.lock();
        try {
            ensureOpen();
            Object v = SocketOptionValues.checkRange(name, value);
            if (name == StandardSocketOptions.SO_SNDBUF) sendBufferSize = (Integer) v;
            else if (name == StandardSocketOptions.SO_RCVBUF) {
                receiveBufferSize = OptionValues.datagramReceiveBuffer((Integer) v); // takes effect at bind
            }
            else if (name == StandardSocketOptions.SO_REUSEADDR) reuseAddress = (Boolean) v;
            else if (name == StandardSocketOptions.SO_REUSEPORT) reusePort = (Boolean) v; // takes effect at bind
            else if (name == StandardSocketOptions.SO_BROADCAST) broadcast = (Boolean) v;
            else if (name == StandardSocketOptions.IP_MULTICAST_IF) multicastInterface = checkInterface((NetworkInterface) v);
            else if (name == StandardSocketOptions.IP_MULTICAST_TTL) multicastTtl = (Integer) v;
            else if (name == StandardSocketOptions.IP_MULTICAST_LOOP) multicastLoop = (Boolean) v;
            else trafficClass = (Integer) v;
            applySendingOptions();
        } finally {
            stackLock.unlock();
        }
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(SocketOption<T> name) throws IOException {
        SocketOptionValues.checkSupported(name, OPTIONS);
        stackLock.lock();
        try {
            ensureOpen();
            Object v;
            if (name == StandardSocketOptions.SO_SNDBUF) v = OptionValues.bufferSize(sendBufferSize);
            else if (name == StandardSocketOptions.SO_RCVBUF) v = OptionValues.bufferSize(receiveBufferSize);
            else if (name == StandardSocketOptions.SO_REUSEADDR) v = reuseAddress;
            else if (name == StandardSocketOptions.SO_REUSEPORT) v = reusePort;
            else if (name == StandardSocketOptions.SO_BROADCAST) v = broadcast;
            else if (name == StandardSocketOptions.IP_MULTICAST_IF) v = multicastInterface;
            else if (name == StandardSocketOptions.IP_MULTICAST_TTL) v = multicastTtl;
            else if (name == StandardSocketOptions.IP_MULTICAST_LOOP) v = multicastLoop;
            else v = trafficClass;
            return (T) v;
        } finally {
            stackLock.unlock();
        }
    }

    /** Under the stack lock: the socket sends with the channel's TOS and multicast options. */
    private void applySendingOptions() {
        UdpSocket s = sock;
        if (s == null) return;
        s.setTrafficClass(trafficClass);
        s.setMulticastSending(multicastTtl, multicastLoop, interfaceSource(multicastInterface));
    }

    /** As the JDK for an IPv4 socket: the interface must have an IPv4 address. */
    private static NetworkInterface checkInterface(NetworkInterface ni) throws IOException {
        if (firstIpv4(ni) == null) throw new IOException("Network interface not configured for IPv4");
        return ni;
    }

    private static Inet4Address firstIpv4(NetworkInterface ni) {
        for (var e = ni.getInetAddresses(); e.hasMoreElements(); ) {
            if (e.nextElement() instanceof Inet4Address a) return a;
        }
        return null;
    }

    /** The address of {@code ni} that is one of the instance's, to send from; 0 (the interface decides) if none. */
    private int interfaceSource(NetworkInterface ni) {
        if (ni == null) return 0;
        for (var e = ni.getInetAddresses(); e.hasMoreElements(); ) {
            if (e.nextElement() instanceof Inet4Address a && access.ip().isLocalAddress(Ipv4Address.of(a))) {
                return Ipv4Address.of(a);
            }
        }
        return 0;
    }

    // ------------------------------------------------------------------ multicast

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf) throws IOException {
        return innerJoin(group, interf, null);
    }

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf, InetAddress source) throws IOException {
        Objects.requireNonNull(source);
        return innerJoin(group, interf, source);
    }

    /** The JDK's checks in its order, then the existing key or a new one; {@code interf} null only from the adaptor. */
    private MembershipKey innerJoin(InetAddress group, NetworkInterface interf, InetAddress source) throws IOException {
        if (!group.isMulticastAddress()) throw new IllegalArgumentException("Group not a multicast address");
        if (!(group instanceof Inet4Address)) {
            throw new IllegalArgumentException("Only IPv6 sockets can join IPv6 multicast group");
        }
        if (source != null) {
            if (source.isAnyLocalAddress()) throw new IllegalArgumentException("Source address is a wildcard address");
            if (source.isMulticastAddress()) throw new IllegalArgumentException("Source address is multicast address");
            if (source.getClass() != group.getClass()) {
                throw new IllegalArgumentException("Source address is different type to group");
            }
        }
        stackLock.lock();
        try {
            ensureOpen();
            if (memberships == null) {
                memberships = new MembershipKeys(access.multicast());
                if (sock != null) sock.setMemberships(memberships.memberships());
            } else {
                UserspaceMembershipKey existing = memberships.find(group, interf, source);
                if (existing != null) return existing;
            }
            if (interf != null && firstIpv4(interf) == null) throw new IOException("Network interface not configured for IPv4");
            UserspaceMembershipKey key = new UserspaceMembershipKey(this, group, interf, source);
            memberships.add(key);
            return key;
        } finally {
            stackLock.unlock();
        }
    }

    void drop(UserspaceMembershipKey key) {
        stackLock.lock();
        try {
            if (!key.isValid()) return;
            key.invalidate();
            memberships.remove(key);
        } finally {
            stackLock.unlock();
        }
    }

    /** The JDK's checks of a source to block (the key's own checks come first, in the key). */
    void block(UserspaceMembershipKey key, InetAddress source) {
        stackLock.lock();
        try {
            if (!key.isValid()) throw new IllegalStateException("key is no longer valid");
            if (source.isAnyLocalAddress()) throw new IllegalArgumentException("Source address is a wildcard address");
            if (source.isMulticastAddress()) throw new IllegalArgumentException("Source address is multicast address");
            if (source.getClass() != key.group().getClass()) {
                throw new IllegalArgumentException("Source address is different type to group");
            }
            memberships.block(key, source);
        } finally {
            stackLock.unlock();
        }
    }

    void unblock(UserspaceMembershipKey key, InetAddress source) {
        stackLock.lock();
        try {
            if (!key.isValid()) throw new IllegalStateException("key is no longer valid");
            memberships.unblock(key, source);
        } finally {
            stackLock.unlock();
        }
    }

    // ------------------------------------------------------------------ close

    @Override
    protected void implCloseSelectableChannel() {
        stackLock.lock();
        try {
            if (!released) {
                released = true;
                if (memberships != null) memberships.closeAll();
                if (sock != null) sock.close();
            }
            signal.refresh();
        } finally {
            stackLock.unlock();
        }
        signal.wake();
    }

    @Override
    protected void implConfigureBlocking(boolean block) {
        // nothing to configure (blocking is this channel's, never the engine's), but as the JDK's,
        // wait for a receive or send in progress to finish first
        readLock.lock();
        try {
            writeLock.lock();
            writeLock.unlock();
        } finally {
            readLock.unlock();
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSuperclass().getName()).append('[');
        if (!isOpen()) {
            sb.append("closed");
        } else {
            sb.append(remoteAddress != null ? "connected" : "unconnected");
            if (localAddress != null) sb.append(" local=").append(localAddress);
            if (remoteAddress != null) sb.append(" remote=").append(remoteAddress);
        }
        return sb.append(']').toString();
    }
}
