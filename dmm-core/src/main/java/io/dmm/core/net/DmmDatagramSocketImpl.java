package io.dmm.core.net;

import io.dmm.api.DmmSockets;
import io.dmm.api.RouteHints;
import io.dmm.core.channel.RoutedDatagramChannel;
import io.dmm.core.runtime.DmmRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.DatagramSocketImpl;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The DatagramSocketImpl DMM's factory gives every {@code java.net.DatagramSocket} and
 * {@code MulticastSocket}: with a factory installed, JDK 17+ builds those on the legacy
 * java.net.NetMulticastSocket over this impl (without one, DatagramSocket opens a JDK channel
 * straight from sun.nio.ch.DefaultSelectorProvider, bypassing every SPI). The work is done by a
 * {@link RoutedDatagramChannel}'s own DatagramSocket adaptor, so receives (and SO_TIMEOUT) block in
 * the delegate JDK channel: virtual threads park, never pin.
 *
 * <p>Routing: a socket bound to a given address or port is routed at that bind as a receiver. The
 * wildcard, port-0 bind that {@code new DatagramSocket()} does is deferred ({@link #bind}), so a
 * UDP client is routed as a sender by the destination of its first send or connect. See
 * docs/drop-in.md.
 */
public final class DmmDatagramSocketImpl extends DatagramSocketImpl {
    /**
     * The thread's route hints when the socket object was made (one ThreadLocal read): a socket
     * constructed inside a RouteScope carries its hints even if it is first used after the scope.
     */
    private final RouteHints hints = DmmSockets.currentHints();
    private final Object lock = new Object();
    private volatile RoutedDatagramChannel channel;
    private volatile boolean closed;
    /**
     * Guards {@link #peeked}. Held across the blocking receive of a peek, so it is not {@link #lock}:
     * close() must never wait for a blocked receive.
     */
    private final ReentrantLock peekLock = new ReentrantLock();
    /** A datagram taken off the socket by peek/peekData, handed out by the next receive. Under peekLock. */
    private DatagramPacket peeked;
    /**
     * The constructor's bind to the wildcard address and port 0, not done yet: see {@link #bind}.
     * Under lock.
     */
    private boolean bindDeferred;

    public DmmDatagramSocketImpl() {
    }

    @Override
    protected void create() throws SocketException {
        synchronized (lock) {
            if (channel != null) {
                throw new SocketException("Already created");
            }
            try {
                RoutedDatagramChannel c = (RoutedDatagramChannel) DmmRuntime.global()
                        .openDatagramChannel(null, hints);
                c.forDatagramSocket(); // an interrupt must not close a java.net.DatagramSocket
                channel = c;
            } catch (IOException e) {
                throw SocketErrors.asSocketException(e);
            }
        }
    }

    /** The routed channel, for diagnostics and tests; null before use. */
    public RoutedDatagramChannel channel() {
        return channel;
    }

    private DatagramSocket adaptor() throws SocketException {
        RoutedDatagramChannel c = channel;
        if (c == null) {
            throw new SocketException("Socket not created");
        }
        if (closed || !c.isOpen()) {
            throw new SocketException("Socket closed");
        }
        return c.socket();
    }

    /**
     * {@code new DatagramSocket()} binds to the wildcard address and port 0 as it is constructed.
     * Routing there would route every UDP client as a receiver on an unknown port, so that bind is
     * deferred (as a TCP client's bind is): the first send or connect routes the socket as a
     * sender by its destination (and binds it, as the JDK does); a receive, a join or asking for the
     * local port binds it as the constructor would have, routing it as a receiver. Any other bind
     * routes at once.
     */
    @Override
    protected void bind(int lport, InetAddress laddr) throws SocketException {
        DatagramSocket a = adaptor();
        if (lport == 0 && (laddr == null || laddr.isAnyLocalAddress())) {
            synchronized (lock) {
                bindDeferred = true;
            }
            return;
        }
        a.bind(new InetSocketAddress(laddr, lport));
        localPort = a.getLocalPort();
    }

    /** Does the deferred bind now, unless a send or connect has routed (and bound) the socket. */
    private void bindIfDeferred() throws SocketException {
        synchronized (lock) {
            if (!bindDeferred) {
                return;
            }
            bindDeferred = false;
            RoutedDatagramChannel c = channel;
            if (c.stackName() == null) {
                DatagramSocket a = adaptor();
                a.bind(new InetSocketAddress(0));
                localPort = a.getLocalPort();
            }
        }
    }

    @Override
    protected void connect(InetAddress address, int port) throws SocketException {
        adaptor().connect(new InetSocketAddress(address, port));
    }

    @Override
    protected void disconnect() {
        try {
            adaptor().disconnect();
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void send(DatagramPacket p) throws IOException {
        boolean suspended = PendingInterrupt.suspend();
        try {
            adaptor().send(p);
        } catch (IOException e) {
            throw SocketErrors.forDatagram(e);
        } finally {
            PendingInterrupt.restore(suspended);
        }
    }

    @Override
    protected void receive(DatagramPacket p) throws IOException {
        peekLock.lock();
        try {
            if (peeked != null) {
                copy(peeked, p);
                peeked = null;
                return;
            }
        } finally {
            peekLock.unlock();
        }
        bindIfDeferred();
        boolean suspended = PendingInterrupt.suspend();
        try {
            adaptor().receive(p);
        } catch (java.net.SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            throw SocketErrors.forDatagram(e);
        } finally {
            PendingInterrupt.restore(suspended);
        }
    }

    /**
     * Channels cannot peek: the datagram is received into a private packet and kept for the next
     * {@link #receive}, which is what a caller of peek observes (NetMulticastSocket only peeks to
     * filter after connect, which a custom impl never triggers: its dataAvailable() is 0).
     */
    @Override
    protected int peekData(DatagramPacket p) throws IOException {
        DatagramPacket head = peek();
        copy(head, p);
        return head.getPort();
    }

    /**
     * The port of the next datagram's sender. The legacy contract also writes the sender's address
     * into {@code i}; an InetAddress cannot be changed from outside java.net, so only the port is
     * given — use {@link #peekData} (which fills a packet) for the address.
     */
    @Override
    protected int peek(InetAddress i) throws IOException {
        return peek().getPort();
    }

    private DatagramPacket peek() throws IOException {
        peekLock.lock();
        try {
            if (peeked == null) {
                bindIfDeferred();
                DatagramPacket head = new DatagramPacket(new byte[65536], 65536);
                boolean suspended = PendingInterrupt.suspend();
                try {
                    adaptor().receive(head);
                } catch (java.net.SocketTimeoutException e) {
                    throw e;
                } catch (IOException e) {
                    throw SocketErrors.forDatagram(e);
                } finally {
                    PendingInterrupt.restore(suspended);
                }
                peeked = head;
            }
            return peeked;
        } finally {
            peekLock.unlock();
        }
    }

    /**
     * Copies a peeked datagram into the caller's packet, truncated to the packet's length as a
     * receive truncates. Unlike the JDK's own receive, setLength also shrinks the packet's buffer
     * length (the field that keeps it is java.net's): reset the length before reusing the packet.
     */
    private static void copy(DatagramPacket from, DatagramPacket to) {
        int n = Math.min(from.getLength(), to.getLength());
        System.arraycopy(from.getData(), from.getOffset(), to.getData(), to.getOffset(), n);
        to.setLength(n);
        to.setSocketAddress(from.getSocketAddress());
    }

    @Override
    @Deprecated
    protected void setTTL(byte ttl) throws IOException {
        setTimeToLive(ttl & 0xff);
    }

    @Override
    @Deprecated
    protected byte getTTL() throws IOException {
        return (byte) getTimeToLive();
    }

    @Override
    protected void setTimeToLive(int ttl) throws IOException {
        set(StandardSocketOptions.IP_MULTICAST_TTL, ttl);
    }

    @Override
    protected int getTimeToLive() throws IOException {
        return get(StandardSocketOptions.IP_MULTICAST_TTL);
    }

    @Override
    protected void join(InetAddress group) throws IOException {
        joinGroup(new InetSocketAddress(group, 0), null);
    }

    @Override
    protected void leave(InetAddress group) throws IOException {
        leaveGroup(new InetSocketAddress(group, 0), null);
    }

    @Override
    protected void joinGroup(SocketAddress group, NetworkInterface netIf) throws IOException {
        bindIfDeferred();
        adaptor().joinGroup(group, netIf);
    }

    @Override
    protected void leaveGroup(SocketAddress group, NetworkInterface netIf) throws IOException {
        bindIfDeferred();
        adaptor().leaveGroup(group, netIf);
    }

    @Override
    protected void close() {
        RoutedDatagramChannel c;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            c = channel;
        }
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // DatagramSocketImpl.close declares nothing, and a closed channel has nothing left to free
            }
        }
    }

    @Override
    protected int getLocalPort() {
        RoutedDatagramChannel c = channel;
        if (c == null) {
            return localPort;
        }
        try {
            bindIfDeferred(); // a program asking for its port may be about to tell a peer: bind now
        } catch (SocketException e) {
            return 0; // as NetMulticastSocket answers when the impl fails
        }
        return Math.max(0, c.socket().getLocalPort());
    }

    // ---------------------------------------------------------------- options

    @Override
    protected Set<SocketOption<?>> supportedOptions() {
        RoutedDatagramChannel c = channel;
        return c == null ? Set.of() : c.supportedOptions();
    }

    @Override
    protected <T> void setOption(SocketOption<T> name, T value) throws IOException {
        Objects.requireNonNull(name);
        set(name, value);
    }

    @Override
    protected <T> T getOption(SocketOption<T> name) throws IOException {
        Objects.requireNonNull(name);
        return get(name);
    }

    private <T> void set(SocketOption<T> name, T value) throws SocketException {
        try {
            adaptor().getChannel().setOption(name, value);
        } catch (IOException e) {
            throw SocketErrors.asSocketException(e);
        }
    }

    private <T> T get(SocketOption<T> name) throws SocketException {
        try {
            return adaptor().getChannel().getOption(name);
        } catch (IOException e) {
            throw SocketErrors.asSocketException(e);
        }
    }

    @Override
    public void setOption(int opt, Object value) throws SocketException {
        DatagramSocket a = adaptor();
        switch (opt) {
            case SO_TIMEOUT -> a.setSoTimeout(LegacyOptions.intValue(value, "SO_TIMEOUT"));
            case SO_SNDBUF -> a.setSendBufferSize(LegacyOptions.positive(value, "SO_SNDBUF"));
            case SO_RCVBUF -> a.setReceiveBufferSize(LegacyOptions.positive(value, "SO_RCVBUF"));
            case SO_REUSEADDR -> a.setReuseAddress(LegacyOptions.booleanValue(value, "SO_REUSEADDR"));
            case SO_REUSEPORT -> LegacyOptions.setReusePort(channel, value);
            case SO_BROADCAST -> a.setBroadcast(LegacyOptions.booleanValue(value, "SO_BROADCAST"));
            case IP_TOS -> a.setTrafficClass(LegacyOptions.intValue(value, "IP_TOS"));
            // the legacy value is "loopback disabled"; the standard option says "loopback enabled"
            case IP_MULTICAST_LOOP -> set(StandardSocketOptions.IP_MULTICAST_LOOP,
                    !LegacyOptions.booleanValue(value, "IP_MULTICAST_LOOP"));
            case IP_MULTICAST_IF -> set(StandardSocketOptions.IP_MULTICAST_IF, interfaceOf(value));
            case IP_MULTICAST_IF2 -> {
                if (!(value instanceof NetworkInterface ni)) {
                    throw new SocketException("Bad value for IP_MULTICAST_IF2");
                }
                set(StandardSocketOptions.IP_MULTICAST_IF, ni);
            }
            default -> throw new SocketException("Unknown option " + opt);
        }
    }

    private static NetworkInterface interfaceOf(Object value) throws SocketException {
        if (!(value instanceof InetAddress ia)) {
            throw new SocketException("Bad value for IP_MULTICAST_IF");
        }
        NetworkInterface ni = NetworkInterface.getByInetAddress(ia);
        if (ni == null) {
            throw new SocketException("No network interface with address " + ia);
        }
        return ni;
    }

    @Override
    public Object getOption(int opt) throws SocketException {
        DatagramSocket a = adaptor();
        return switch (opt) {
            case SO_TIMEOUT -> a.getSoTimeout();
            case SO_SNDBUF -> a.getSendBufferSize();
            case SO_RCVBUF -> a.getReceiveBufferSize();
            case SO_REUSEADDR -> a.getReuseAddress();
            case SO_REUSEPORT -> LegacyOptions.getReusePort(channel);
            case SO_BROADCAST -> a.getBroadcast();
            case IP_TOS -> a.getTrafficClass();
            case SO_BINDADDR -> a.getLocalAddress();
            case IP_MULTICAST_LOOP -> !get(StandardSocketOptions.IP_MULTICAST_LOOP);
            // null when unset: MulticastSocket.getNetworkInterface substitutes its placeholder, as for the JDK's impl
            case IP_MULTICAST_IF2 -> get(StandardSocketOptions.IP_MULTICAST_IF);
            case IP_MULTICAST_IF -> {
                NetworkInterface ni = get(StandardSocketOptions.IP_MULTICAST_IF);
                InetAddress first = ni == null ? null : ni.inetAddresses().findFirst().orElse(null);
                yield first != null ? first : new InetSocketAddress(0).getAddress();
            }
            default -> throw new SocketException("Unknown option " + opt);
        };
    }

    @Override
    public String toString() {
        RoutedDatagramChannel c = channel;
        return "DmmDatagramSocketImpl[" + (c == null ? "new" : c.toString()) + "]";
    }
}
