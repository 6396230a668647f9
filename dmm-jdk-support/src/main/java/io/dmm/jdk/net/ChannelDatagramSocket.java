package io.dmm.jdk.net;

import static java.net.StandardSocketOptions.IP_TOS;
import static java.net.StandardSocketOptions.SO_BROADCAST;
import static java.net.StandardSocketOptions.SO_RCVBUF;
import static java.net.StandardSocketOptions.SO_REUSEADDR;
import static java.net.StandardSocketOptions.SO_SNDBUF;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.Set;

/**
 * {@link DatagramChannel#socket()} for every DMM DatagramChannel: a java.net.DatagramSocket over the
 * channel with the behaviour of the JDK's {@code sun.nio.ch.DatagramSocketAdaptor}. send and
 * receive go to the channel's timed calls ({@link TimedDatagramChannel}) with this socket's SO_TIMEOUT.
 */
public final class ChannelDatagramSocket extends DatagramSocket {
    private final DatagramChannel dc;
    private final TimedDatagramChannel timed;
    private final AdaptorOptions options;

    /*
     * DatagramPacket keeps the buffer length a receive may fill apart from the length received, but
     * only java.net can set the latter alone: setLength() shrinks both. Where java.net is open to DMM
     * (PacketLengths) the adaptor sets the length received alone, as the JDK's socket does. Where it
     * is not, so that a packet reused in a receive loop keeps its capacity, the adaptor remembers the
     * capacity of the last packet it shrank and restores it when that packet comes back unchanged
     * (which cannot tell a program's own setLength to that length, nor follow a packet to another
     * socket). Under this.
     */
    private DatagramPacket lastPacket;
    private byte[] lastData;
    private int lastOffset;
    private int lastReceived;
    private int lastCapacity;

    private ChannelDatagramSocket(DatagramChannel dc, TimedDatagramChannel timed) {
        super(new NoDatagramSocketImpl());
        this.dc = dc;
        this.timed = timed;
        this.options = new AdaptorOptions(dc);
    }

    /** The java.net DatagramSocket over {@code channel}. */
    public static <C extends DatagramChannel & TimedDatagramChannel> ChannelDatagramSocket of(C channel) {
        return new ChannelDatagramSocket(channel, channel);
    }

    @Override
    public void bind(SocketAddress local) throws SocketException {
        local = local != null ? asInet(local) : new InetSocketAddress(timed.anyLocalAddress(), 0);
        try {
            dc.bind(local);
        } catch (Exception e) {
            throw SocketExceptions.toSocketException(e);
        }
    }

    @Override
    public void connect(InetAddress address, int port) {
        if (address == null) {
            throw new IllegalArgumentException("Address can't be null");
        }
        try {
            connectInternal(new InetSocketAddress(address, port));
        } catch (SocketException e) {
            throw new UncheckedIOException(e); // this overload declares no exception: so does the JDK's
        }
    }

    /** An address that is no InetSocketAddress is refused as it is (an IllegalArgumentException), as the JDK's. */
    @Override
    public void connect(SocketAddress remote) throws SocketException {
        if (remote == null) {
            throw new IllegalArgumentException("Address can't be null");
        }
        connectInternal(asInet(remote));
    }

    private static InetSocketAddress asInet(SocketAddress sa) {
        if (!(sa instanceof InetSocketAddress isa)) {
            throw new UnsupportedAddressTypeException();
        }
        return isa;
    }

    private void connectInternal(InetSocketAddress remote) throws SocketException {
        try {
            timed.connectSocket(remote);
        } catch (ClosedChannelException e) {
            // ignored, as the JDK's adaptor does: a closed socket's connect is a no-op
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

    @Override public boolean isBound() { return timed.isBound(); }
    @Override public boolean isConnected() { return timed.remoteAddress() != null; }

    @Override
    public InetAddress getInetAddress() {
        InetSocketAddress remote = timed.remoteAddress();
        return remote == null ? null : remote.getAddress();
    }

    @Override
    public int getPort() {
        InetSocketAddress remote = timed.remoteAddress();
        return remote == null ? -1 : remote.getPort();
    }

    @Override public SocketAddress getRemoteSocketAddress() { return timed.remoteAddress(); }
    @Override public SocketAddress getLocalSocketAddress() { return isClosed() ? null : timed.localAddress(); }

    @Override
    public InetAddress getLocalAddress() {
        if (isClosed()) {
            return null;
        }
        InetSocketAddress local = timed.localAddress();
        return local == null ? timed.anyLocalAddress() : local.getAddress();
    }

    @Override
    public int getLocalPort() {
        if (isClosed()) {
            return -1;
        }
        InetSocketAddress local = timed.localAddress();
        return local == null ? 0 : local.getPort();
    }

    @Override
    public void send(DatagramPacket p) throws IOException {
        try {
            synchronized (p) {
                if (!dc.isOpen()) {
                    throw new ClosedChannelException();
                }
                if (!dc.isBlocking()) {
                    throw new IllegalBlockingModeException();
                }
                InetSocketAddress target;
                if (p.getAddress() == null) {
                    InetSocketAddress remote = timed.remoteAddress();
                    if (remote == null) {
                        throw new IllegalArgumentException("Address not set");
                    }
                    // the JDK fills in the packet's address, a long-standing behaviour
                    p.setAddress(remote.getAddress());
                    p.setPort(remote.getPort());
                    target = remote;
                } else {
                    target = (InetSocketAddress) p.getSocketAddress();
                }
                timed.blockingSend(ByteBuffer.wrap(p.getData(), p.getOffset(), p.getLength()), target);
            }
        } catch (AlreadyConnectedException e) {
            throw new IllegalArgumentException("Connected and packet address differ");
        } catch (ClosedChannelException e) {
            throw new SocketException("Socket closed", e);
        }
    }

    /**
     * As the JDK's: an interrupt that closed the channel is reported as such; a virtual thread
     * interrupted while waiting closes the socket ("Closed by interrupt").
     */
    @Override
    public void receive(DatagramPacket p) throws IOException {
        try {
            synchronized (p) {
                receiveInto(p);
            }
        } catch (SocketTimeoutException | ClosedByInterruptException e) {
            throw e;
        } catch (InterruptedIOException e) {
            Thread thread = Thread.currentThread();
            if (thread.isVirtual() && thread.isInterrupted()) {
                close();
                throw new SocketException("Closed by interrupt");
            }
            throw e;
        } catch (ClosedChannelException e) {
            throw new SocketException("Socket closed", e);
        }
    }

    private void receiveInto(DatagramPacket p) throws IOException {
        byte[] data = p.getData();
        int off = p.getOffset();
        if (PacketLengths.available()) {
            ByteBuffer dst = ByteBuffer.wrap(data, off, PacketLengths.bufferLength(p));
            SocketAddress sender = timed.receive(dst, options.soTimeoutNanos());
            PacketLengths.setReceived(p, dst.position() - off);
            p.setSocketAddress(sender);
            return;
        }
        int capacity = p.getLength();
        synchronized (this) {
            if (p == lastPacket && data == lastData && off == lastOffset && capacity == lastReceived) {
                capacity = lastCapacity;
            }
        }
        ByteBuffer dst = ByteBuffer.wrap(data, off, capacity);
        SocketAddress sender = timed.receive(dst, options.soTimeoutNanos());
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

    @Override public void setSoTimeout(int timeout) throws SocketException { options.setSoTimeout(timeout); }
    @Override public int getSoTimeout() throws SocketException { return options.getSoTimeout(); }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        options.setBufferSize(SO_SNDBUF, size, "Invalid send size");
    }

    @Override public int getSendBufferSize() throws SocketException { return options.get(SO_SNDBUF); }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        options.setBufferSize(SO_RCVBUF, size, "Invalid receive size");
    }

    @Override public int getReceiveBufferSize() throws SocketException { return options.get(SO_RCVBUF); }
    @Override public void setReuseAddress(boolean on) throws SocketException { options.set(SO_REUSEADDR, on); }
    @Override public boolean getReuseAddress() throws SocketException { return options.get(SO_REUSEADDR); }
    @Override public void setBroadcast(boolean on) throws SocketException { options.set(SO_BROADCAST, on); }
    @Override public boolean getBroadcast() throws SocketException { return options.get(SO_BROADCAST); }
    @Override public void setTrafficClass(int tc) throws SocketException { options.set(IP_TOS, tc); }
    @Override public int getTrafficClass() throws SocketException { return options.get(IP_TOS); }

    @Override
    public void close() {
        try {
            dc.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // DatagramSocket.close declares nothing
        }
    }

    @Override public boolean isClosed() { return !dc.isOpen(); }
    @Override public DatagramChannel getChannel() { return dc; }

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

    @Override
    public void joinGroup(SocketAddress mcastaddr, NetworkInterface netIf) throws IOException {
        timed.joinGroup(mcastaddr, netIf);
    }

    @Override
    public void leaveGroup(SocketAddress mcastaddr, NetworkInterface netIf) throws IOException {
        timed.leaveGroup(mcastaddr, netIf);
    }
}
