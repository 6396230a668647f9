package io.dmm.jdk.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketImpl;

/**
 * The SocketImpl given to DMM's Socket/ServerSocket adaptors' constructors, so that no
 * SocketImplFactory is consulted. The adaptors override every method that would reach it, so
 * each method here fails loudly if one is ever missed.
 */
final class NoSocketImpl extends SocketImpl {
    private static IOException unused() {
        return new IOException("DMM socket adaptors do not use a SocketImpl");
    }

    @Override protected void create(boolean stream) throws IOException { throw unused(); }
    @Override protected void connect(String host, int port) throws IOException { throw unused(); }
    @Override protected void connect(InetAddress address, int port) throws IOException { throw unused(); }
    @Override protected void connect(SocketAddress address, int timeout) throws IOException { throw unused(); }
    @Override protected void bind(InetAddress host, int port) throws IOException { throw unused(); }
    @Override protected void listen(int backlog) throws IOException { throw unused(); }
    @Override protected void accept(SocketImpl s) throws IOException { throw unused(); }
    @Override protected InputStream getInputStream() throws IOException { throw unused(); }
    @Override protected OutputStream getOutputStream() throws IOException { throw unused(); }
    @Override protected int available() throws IOException { throw unused(); }
    @Override protected void close() throws IOException { throw unused(); }
    @Override protected void sendUrgentData(int data) throws IOException { throw unused(); }
    @Override public void setOption(int optID, Object value) throws java.net.SocketException {
        throw new java.net.SocketException("DMM socket adaptors do not use a SocketImpl");
    }
    @Override public Object getOption(int optID) throws java.net.SocketException {
        throw new java.net.SocketException("DMM socket adaptors do not use a SocketImpl");
    }
}
