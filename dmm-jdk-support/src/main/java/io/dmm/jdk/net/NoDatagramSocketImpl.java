package io.dmm.jdk.net;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocketImpl;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * The DatagramSocketImpl given to DMM's DatagramSocket adaptor's constructor (so no factory is
 * consulted). The adaptor overrides every method that would reach it; these fail loudly if not.
 */
final class NoDatagramSocketImpl extends DatagramSocketImpl {
    private static SocketException unused() {
        return new SocketException("DMM datagram socket adaptors do not use a DatagramSocketImpl");
    }

    @Override protected void create() throws SocketException { throw unused(); }
    @Override protected void bind(int lport, InetAddress laddr) throws SocketException { throw unused(); }
    @Override protected void send(DatagramPacket p) throws IOException { throw unused(); }
    @Override protected int peek(InetAddress i) throws IOException { throw unused(); }
    @Override protected int peekData(DatagramPacket p) throws IOException { throw unused(); }
    @Override protected void receive(DatagramPacket p) throws IOException { throw unused(); }
    @Override @Deprecated protected void setTTL(byte ttl) throws IOException { throw unused(); }
    @Override @Deprecated protected byte getTTL() throws IOException { throw unused(); }
    @Override protected void setTimeToLive(int ttl) throws IOException { throw unused(); }
    @Override protected int getTimeToLive() throws IOException { throw unused(); }
    @Override protected void join(InetAddress inetaddr) throws IOException { throw unused(); }
    @Override protected void leave(InetAddress inetaddr) throws IOException { throw unused(); }
    @Override protected void joinGroup(SocketAddress mcastaddr, NetworkInterface netIf) throws IOException { throw unused(); }
    @Override protected void leaveGroup(SocketAddress mcastaddr, NetworkInterface netIf) throws IOException { throw unused(); }
    @Override protected void close() { }
    @Override public void setOption(int optID, Object value) throws SocketException { throw unused(); }
    @Override public Object getOption(int optID) throws SocketException { throw unused(); }
}
