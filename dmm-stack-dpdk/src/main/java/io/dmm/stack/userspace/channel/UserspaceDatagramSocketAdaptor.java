package io.dmm.stack.userspace.channel;

import io.dmm.jdk.net.NoDatagramSocketImpl;
import io.dmm.jdk.net.SocketExceptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@link UserspaceDatagramChannel#socket()}: a java.net.DatagramSocket over the channel, as the JDK's
 * {@code sun.nio.ch.DatagramSocketAdaptor}; receive() honours SO_TIMEOUT. Blocking mode only for
 * send/receive. Multicast group membership is not supported by the userspace stack.
 */
final class UserspaceDatagramSocketAdaptor extends DatagramSocket {
    private final UserspaceDatagramChannel dc;
    private volatile int timeout;

    /*
     * DatagramPacket keeps the buffer length a receive may fill apart from the length received, but
     * only java.net can set the latter alone: setLength() shrinks both. So that a packet reused in a
     * receive loop keeps its capacity, as with the JDK's socket, the adaptor remembers the capacity of
     * the last packet it shrank and restores it when that packet comes back unchanged.
     */
    private DatagramPacket lastPacket;
    private byte[] lastData;
    private int lastOffset;
    private int lastReceived;
    private int lastCapacity;

    UserspaceDatagramSocketAdaptor(UserspaceDatagramChannel dc) {
        super(new NoDatagramSocketImpl());
        this.dc = dc;
    }

    @Override
    public void bind(SocketAddress local) throws SocketException {
        if (local != null) {
            if (!(local instanceof InetSocketAddress)) throw new UnsupportedAddressTypeException();
        } else {
            local = new InetSocketAddress(SocketAddresses.anyAddress(), 0);
        }
        try {
            dc.bind(local);
        } catch (Exception e) {
            throw SocketExceptions.toSocketException(e);
        }
    }

    @Override
    public void connect(InetAddress address, int port) {
        if (address == null) throw new IllegalArgumentException("Address can't be null");
        try {
            connectInternal(new InetSocketAddress(address, port));
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void connect(SocketAddress remote) throws SocketException {
        if (remote == null) throw new IllegalArgumentException("Address can't be null");
        if (!(remote instanceof InetSocketAddress isa)) throw new UnsupportedAddressTypeException();
        connectInternal(isa);
    }

    private void connectInternal(InetSocketAddress remote) throws SocketException {
        try {
            dc.connect(remote, false); // java.net lets a connected socket connect elsewhere
        } catch (ClosedChannelException e) {
            // ignored, as the JDK's adaptor does
        } catch (Exception e) {
            throw SocketExceptions.toSocketException(e);
        }
    }

    @Override
    public void disconnect() {
        try {
            dc.disconnect();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean isBound() {
        return dc.localAddress() != null;
    }

    @Override
    public boolean isConnected() {
        return dc.remoteAddress() != null;
    }

    @Override
    public InetAddress getInetAddress() {
        InetSocketAddress remote = dc.remoteAddress();
        return remote != null ? remote.getAddress() : null;
    }

    @Override
    public int getPort() {
        InetSocketAddress remote = dc.remoteAddress();
        return remote != null ? remote.getPort() : -1;
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return dc.remoteAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return isClosed() ? null : dc.localAddress();
    }

    @Override
    public void send(DatagramPacket p) throws IOException {
        // read the packet's fields once: no lock is held on it while the send may block
        byte[] data = p.getData();
        int off = p.getOffset();
        int len = p.getLength();
        InetAddress addr = p.getAddress();
        InetSocketAddress target;
        if (addr == null) {
            InetSocketAddress remote = dc.remoteAddress();
            if (remote == null) throw new IllegalArgumentException("Address not set");
            p.setAddress(remote.getAddress());
            p.setPort(remote.getPort());
            target = remote;
        } else {
            target = new InetSocketAddress(addr, p.getPort());
        }
        try {
            dc.implSend(ByteBuffer.wrap(data, off, len), target, true);
        } catch (AlreadyConnectedException e) {
            throw new IllegalArgumentException("Connected and packet address differ");
        } catch (ClosedChannelException e) {
            throw new SocketException("Socket closed", e);
        }
    }

    @Override
    public void receive(DatagramPacket p) throws IOException {
        byte[] data = p.getData();
        int off = p.getOffset();
        int capacity = p.getLength();
        synchronized (this) {
            if (p == lastPacket && data == lastData && off == lastOffset && capacity == lastReceived) {
                capacity = lastCapacity;
            }
        }
        ByteBuffer dst = ByteBuffer.wrap(data, off, capacity);
        SocketAddress sender;
        try {
            int t = timeout;
            sender = dc.receive(dst, t > 0 ? TimeUnit.MILLISECONDS.toNanos(t) : 0L);
        } catch (ClosedChannelException e) {
            if (e instanceof java.nio.channels.ClosedByInterruptException) throw e;
            throw new SocketException("Socket closed", e);
        }
        int received = dst.position() - off;
        p.setData(data, off, received);
        p.setSocketAddress(sender);
        synchronized (this) {
            lastPacket = p;
            lastData = data;
            lastOffset = off;
            lastReceived = received;
            lastCapacity = capacity;
        }
    }

    @Override
    public InetAddress getLocalAddress() {
        if (isClosed()) return null;
        InetSocketAddress local = dc.localAddress();
        return local == null ? SocketAddresses.anyAddress() : local.getAddress();
    }

    @Override
    public int getLocalPort() {
        if (isClosed()) return -1;
        InetSocketAddress local = dc.localAddress();
        return local != null ? local.getPort() : 0;
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        if (isClosed()) throw new SocketException("Socket is closed");
        if (timeout < 0) throw new IllegalArgumentException("timeout < 0");
        this.timeout = timeout;
    }

    @Override
    public int getSoTimeout() throws SocketException {
        if (isClosed()) throw new SocketException("Socket is closed");
        return timeout;
    }

    private void setOpt(SocketOption<?> name, Object value) throws SocketException {
        try {
            @SuppressWarnings("unchecked")
            SocketOption<Object> n = (SocketOption<Object>) name;
            dc.setOption(n, value);
        } catch (IOException e) {
            throw SocketExceptions.toSocketException(e);
        }
    }

    private <T> T getOpt(SocketOption<T> name) throws SocketException {
        try {
            return dc.getOption(name);
        } catch (IOException e) {
            throw SocketExceptions.toSocketException(e);
        }
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        if (size <= 0) throw new IllegalArgumentException("Invalid send size");
        setOpt(StandardSocketOptions.SO_SNDBUF, size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return getOpt(StandardSocketOptions.SO_SNDBUF);
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        if (size <= 0) throw new IllegalArgumentException("Invalid receive size");
        setOpt(StandardSocketOptions.SO_RCVBUF, size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return getOpt(StandardSocketOptions.SO_RCVBUF);
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        setOpt(StandardSocketOptions.SO_REUSEADDR, on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return getOpt(StandardSocketOptions.SO_REUSEADDR);
    }

    @Override
    public void setBroadcast(boolean on) throws SocketException {
        setOpt(StandardSocketOptions.SO_BROADCAST, on);
    }

    @Override
    public boolean getBroadcast() throws SocketException {
        return getOpt(StandardSocketOptions.SO_BROADCAST);
    }

    @Override
    public void setTrafficClass(int tc) throws SocketException {
        setOpt(StandardSocketOptions.IP_TOS, tc);
    }

    @Override
    public int getTrafficClass() throws SocketException {
        return getOpt(StandardSocketOptions.IP_TOS);
    }

    @Override
    public void close() {
        try {
            dc.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean isClosed() {
        return !dc.isOpen();
    }

    @Override
    public DatagramChannel getChannel() {
        return dc;
    }

    @Override
    public <T> DatagramSocket setOption(SocketOption<T> name, T value) throws IOException {
        dc.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return dc.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return dc.supportedOptions();
    }

    /** Multicast is not supported by the userspace stack. */
    @Override
    public void joinGroup(SocketAddress mcastaddr, NetworkInterface netIf) {
        throw new UnsupportedOperationException("multicast is not supported by the userspace stack");
    }

    /** Multicast is not supported by the userspace stack. */
    @Override
    public void leaveGroup(SocketAddress mcastaddr, NetworkInterface netIf) {
        throw new UnsupportedOperationException("multicast is not supported by the userspace stack");
    }
}
