package io.dmm.stack.userspace.channel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;

/**
 * Given to the Socket/ServerSocket adaptors' superclass constructors so that no SocketImplFactory is
 * consulted (DMM installs one). The adaptors override every method that would reach it, so each
 * method here fails loudly should one ever be missed.
 */
final class DummySocketImpl extends SocketImpl {
    private static IOException unused() {
        return new IOException("userspace socket adaptors have no SocketImpl");
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
    @Override public void setOption(int optID, Object value) throws SocketException {
        throw new SocketException("userspace socket adaptors have no SocketImpl");
    }
    @Override public Object getOption(int optID) throws SocketException {
        throw new SocketException("userspace socket adaptors have no SocketImpl");
    }
}
