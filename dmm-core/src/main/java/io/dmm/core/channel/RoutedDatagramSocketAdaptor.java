package io.dmm.core.channel;

import static java.net.StandardSocketOptions.IP_TOS;
import static java.net.StandardSocketOptions.SO_BROADCAST;
import static java.net.StandardSocketOptions.SO_RCVBUF;
import static java.net.StandardSocketOptions.SO_REUSEADDR;
import static java.net.StandardSocketOptions.SO_SNDBUF;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.DatagramChannel;
import java.nio.channels.IllegalBlockingModeException;
import java.util.Set;

/**
 * {@link RoutedDatagramChannel#socket()}: a java.net.DatagramSocket over a routed datagram channel.
 * send/receive route the channel if needed (sender/receiver) and then go through the routed
 * delegate's own DatagramSocket adaptor, which implements SO_TIMEOUT for its stack.
 */
final class RoutedDatagramSocketAdaptor extends DatagramSocket {
    private final RoutedDatagramChannel dc;
    private final AdaptorOptions options;

    RoutedDatagramSocketAdaptor(RoutedDatagramChannel dc) {
        super(new NoDatagramSocketImpl());
        this.dc = dc;
        this.options = new AdaptorOptions(dc);
    }

    @Override
    public void bind(SocketAddress local) throws SocketException {
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
            connect(new InetSocketAddress(address, port));
        } catch (SocketException e) {
            // this overload declares no exception: the JDK's adaptor wraps it the same way
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void connect(SocketAddress remote) throws SocketException {
        if (remote == null) {
            throw new IllegalArgumentException("Address can't be null");
        }
        try {
            dc.connect(remote);
        } catch (Exception e) {
            throw SocketExceptions.toSocketException(e);
        }
    }

    @Override
    public void disconnect() {
        try {
            dc.disconnect();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override public boolean isBound() { return localOrNull() != null; }
    @Override public boolean isConnected() { return dc.isConnected(); }

    private InetSocketAddress localOrNull() {
        return dc.localAddressOrNull(); // kept after close, as the JDK keeps it
    }

    private InetSocketAddress remoteOrNull() {
        return dc.remoteAddressOrNull();
    }

    @Override
    public InetAddress getInetAddress() {
        InetSocketAddress r = remoteOrNull();
        return r == null ? null : r.getAddress();
    }

    @Override
    public int getPort() {
        InetSocketAddress r = remoteOrNull();
        return r == null ? -1 : r.getPort();
    }

    @Override public SocketAddress getRemoteSocketAddress() { return remoteOrNull(); }
    @Override public SocketAddress getLocalSocketAddress() { return isClosed() ? null : localOrNull(); }

    @Override
    public InetAddress getLocalAddress() {
        if (isClosed()) {
            return null;
        }
        InetSocketAddress l = localOrNull();
        return l == null ? new InetSocketAddress(0).getAddress() : l.getAddress();
    }

    @Override
    public int getLocalPort() {
        if (isClosed()) {
            return -1;
        }
        InetSocketAddress l = localOrNull();
        return l == null ? 0 : l.getPort();
    }

    private void checkUsable() throws SocketException {
        if (!dc.isOpen()) {
            throw new SocketException("Socket is closed");
        }
        if (!dc.isBlockingMode()) {
            throw new IllegalBlockingModeException();
        }
    }

    @Override
    public void send(DatagramPacket p) throws IOException {
        checkUsable();
        InetSocketAddress target = p.getAddress() == null ? null : (InetSocketAddress) p.getSocketAddress();
        DatagramChannel d = dc.delegateOrNull();
        if (d == null) {
            if (target == null) {
                throw new IllegalArgumentException("Address not set");
            }
            d = dc.delegateForAdaptor(true, target);
        }
        try {
            d.socket().send(p);
        } catch (IOException e) {
            if (!d.isOpen()) {
                dc.close();
            }
            throw e;
        }
        dc.countAdaptorTransfer(false, p.getLength());
    }

    @Override
    public void receive(DatagramPacket p) throws IOException {
        checkUsable();
        DatagramChannel d = dc.delegateForAdaptor(false, null);
        DatagramSocket ds = d.socket();
        try {
            int timeout = options.soTimeout();
            if (ds.getSoTimeout() != timeout) {
                ds.setSoTimeout(timeout);
            }
            ds.receive(p);
        } catch (IOException e) {
            if (!d.isOpen()) {
                dc.close(); // closed by an interrupt: so is this socket
            }
            throw e;
        }
        dc.countAdaptorTransfer(true, p.getLength());
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        options.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return options.getSoTimeout();
    }

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
            // DatagramSocket.close declares nothing; a failed close leaves nothing to do
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
        dc.delegateForAdaptor(false, null).socket().joinGroup(mcastaddr, netIf);
    }

    @Override
    public void leaveGroup(SocketAddress mcastaddr, NetworkInterface netIf) throws IOException {
        dc.delegateForAdaptor(false, null).socket().leaveGroup(mcastaddr, netIf);
    }
}
