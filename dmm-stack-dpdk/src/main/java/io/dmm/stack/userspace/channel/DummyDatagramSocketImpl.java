package io.dmm.stack.userspace.channel;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocketImpl;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * Given to the DatagramSocket adaptor's protected superclass constructor (the only public way to
 * subclass DatagramSocket without a system socket). The adaptor overrides every method that would
 * reach it, so each method here fails loudly should one ever be missed.
 */
final class DummyDatagramSocketImpl extends DatagramSocketImpl {
    private static SocketException unused() {
        return new SocketException("the userspace datagram socket adaptor has no DatagramSocketImpl");
    }

    @Override protected void create() throws SocketException { throw unused(); }
    @Override protected void bind(int lport, InetAddress laddr) throws SocketException { throw unused(); }
    @Override protected void send(DatagramPacket p) throws IOException { throw unused(); }
    @Override protected int peek(InetAddress i) throws IOException { throw unused(); }
    @Override protected int peekData(DatagramPacket p) throws IOException { throw unused(); }
    @Override protected void receive(DatagramPacket p) throws IOException { throw unused(); }
    @Deprecated @Override protected void setTTL(byte ttl) throws IOException { throw unused(); }
    @Deprecated @Override protected byte getTTL() throws IOException { throw unused(); }
    @Override protected void setTimeToLive(int ttl) throws IOException { throw unused(); }
    @Override protected int getTimeToLive() throws IOException { throw unused(); }
    @Override protected void join(InetAddress inetaddr) throws IOException { throw unused(); }
    @Override protected void leave(InetAddress inetaddr) throws IOException { throw unused(); }
    @Override protected void joinGroup(SocketAddress mcastaddr, NetworkInterface netIf) throws IOException { throw unused(); }
    @Override protected void leaveGroup(SocketAddress mcastaddr, NetworkInterface netIf) throws IOException { throw unused(); }
    @Override protected void close() {}
    @Override public void setOption(int optID, Object value) throws SocketException { throw unused(); }
    @Override public Object getOption(int optID) throws SocketException { throw unused(); }
}
