package io.dmm.jdk.net;

import static java.net.StandardSocketOptions.SO_RCVBUF;
import static java.net.StandardSocketOptions.SO_REUSEADDR;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;

/**
 * {@link ServerSocketChannel#socket()} for every DMM ServerSocketChannel: a java.net.ServerSocket
 * over the channel with the behaviour of the JDK's {@code sun.nio.ch.ServerSocketAdaptor}.
 */
public final class ChannelServerSocket extends ServerSocket {
    private final ServerSocketChannel ssc;
    private final TimedServerSocketChannel timed;
    private final AdaptorOptions options;

    private ChannelServerSocket(ServerSocketChannel ssc, TimedServerSocketChannel timed) {
        super(new NoSocketImpl());
        this.ssc = ssc;
        this.timed = timed;
        this.options = new AdaptorOptions(ssc);
    }

    /** The java.net ServerSocket over {@code channel}. */
    public static <C extends ServerSocketChannel & TimedServerSocketChannel> ChannelServerSocket of(C channel) {
        return new ChannelServerSocket(channel, channel);
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        bind(local, 50);
    }

    @Override
    public void bind(SocketAddress local, int backlog) throws IOException {
        if (local == null) {
            local = new InetSocketAddress(timed.anyLocalAddress(), 0);
        }
        try {
            ssc.bind(local, backlog);
        } catch (Exception e) {
            throw SocketExceptions.translate(e);
        }
    }

    @Override
    public InetAddress getInetAddress() {
        InetSocketAddress local = timed.localAddress();
        return local == null ? null : local.getAddress();
    }

    @Override
    public int getLocalPort() {
        InetSocketAddress local = timed.localAddress();
        return local == null ? -1 : local.getPort();
    }

    /**
     * As the JDK's: with SO_TIMEOUT, a timed accept (which a non-blocking channel refuses); without,
     * the channel's accept, so that a non-blocking channel still hands out a queued connection (the
     * JDK keeps that long-standing behaviour) and refuses only when it would have to wait.
     */
    @Override
    public Socket accept() throws IOException {
        SocketChannel sc;
        try {
            long timeout = options.soTimeoutNanos();
            if (timeout > 0) {
                sc = timed.accept(timeout);
            } else {
                sc = ssc.accept();
                if (sc == null) {
                    throw new IllegalBlockingModeException();
                }
            }
        } catch (Exception e) {
            throw SocketExceptions.translate(e);
        }
        return sc.socket();
    }

    @Override
    public void close() throws IOException {
        ssc.close();
    }

    @Override
    public ServerSocketChannel getChannel() {
        return ssc;
    }

    @Override
    public boolean isBound() {
        return timed.localAddress() != null;
    }

    @Override
    public boolean isClosed() {
        return !ssc.isOpen();
    }

    @Override public void setSoTimeout(int timeout) throws SocketException { options.setSoTimeout(timeout); }
    @Override public int getSoTimeout() throws SocketException { return options.getSoTimeout(); }
    @Override public void setReuseAddress(boolean on) throws SocketException { options.set(SO_REUSEADDR, on); }
    @Override public boolean getReuseAddress() throws SocketException { return options.get(SO_REUSEADDR); }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        options.setBufferSize(SO_RCVBUF, size, "size cannot be 0 or negative");
    }

    @Override public int getReceiveBufferSize() throws SocketException { return options.get(SO_RCVBUF); }

    @Override
    public <T> ServerSocket setOption(SocketOption<T> name, T value) throws IOException {
        ssc.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return ssc.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return ssc.supportedOptions();
    }

    @Override
    public String toString() {
        if (!isBound()) {
            return "ServerSocket[unbound]";
        }
        return "ServerSocket[addr=" + getInetAddress() + ",localport=" + getLocalPort() + "]";
    }
}
