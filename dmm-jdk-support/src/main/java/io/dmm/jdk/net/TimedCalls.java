package io.dmm.jdk.net;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The timed calls of {@link TimedSocketChannel}, {@link TimedServerSocketChannel} and
 * {@link TimedDatagramChannel} made on any stack's channel, for DMM's routed channels, which forward
 * each call to their leg once: a stack's channel that implements the interface answers itself; a
 * JDK channel (the kernel stack's), which has these calls only package-privately, answers through
 * its own java.net adaptor, the JDK's public door to them.
 */
public final class TimedCalls {
    private TimedCalls() {
    }

    public static void connect(SocketChannel ch, SocketAddress remote, long timeoutNanos) throws IOException {
        if (ch instanceof TimedSocketChannel t) {
            t.connect(remote, timeoutNanos);
        } else {
            ch.socket().connect(remote, AdaptorOptions.toMillis(timeoutNanos));
        }
    }

    /** The leg's local address, kept after close as its own adaptor keeps it. */
    public static InetSocketAddress localAddress(SocketChannel ch) {
        if (ch instanceof TimedSocketChannel t) {
            return t.localAddress();
        }
        return (InetSocketAddress) ch.socket().getLocalSocketAddress();
    }

    /** The leg's peer, kept after close as its own adaptor keeps it. */
    public static InetSocketAddress remoteAddress(SocketChannel ch) {
        if (ch instanceof TimedSocketChannel t) {
            return t.remoteAddress();
        }
        return (InetSocketAddress) ch.socket().getRemoteSocketAddress();
    }

    public static SocketChannel accept(ServerSocketChannel ch, long timeoutNanos) throws IOException {
        if (ch instanceof TimedServerSocketChannel t) {
            return t.accept(timeoutNanos);
        }
        ServerSocket ss = ch.socket();
        ss.setSoTimeout(AdaptorOptions.toMillis(timeoutNanos));
        return ss.accept().getChannel();
    }

    /** The listener's local address, kept after close as its own adaptor keeps it. */
    public static InetSocketAddress localAddress(ServerSocketChannel ch) {
        if (ch instanceof TimedServerSocketChannel t) {
            return t.localAddress();
        }
        return (InetSocketAddress) ch.socket().getLocalSocketAddress();
    }

    public static InetSocketAddress localAddress(DatagramChannel ch) {
        if (ch instanceof TimedDatagramChannel t) {
            return t.localAddress();
        }
        return (InetSocketAddress) ch.socket().getLocalSocketAddress();
    }

    public static boolean isBound(DatagramChannel ch) {
        if (ch instanceof TimedDatagramChannel t) {
            return t.isBound();
        }
        return ch.socket().isBound();
    }

    public static InetSocketAddress remoteAddress(DatagramChannel ch) {
        if (ch instanceof TimedDatagramChannel t) {
            return t.remoteAddress();
        }
        return (InetSocketAddress) ch.socket().getRemoteSocketAddress();
    }

    public static void connectSocket(DatagramChannel ch, SocketAddress remote) throws IOException {
        if (ch instanceof TimedDatagramChannel t) {
            t.connectSocket(remote);
        } else {
            ch.socket().connect(remote);
        }
    }

    public static SocketAddress receive(DatagramChannel ch, ByteBuffer dst, long timeoutNanos) throws IOException {
        if (ch instanceof TimedDatagramChannel t) {
            return t.receive(dst, timeoutNanos);
        }
        DatagramSocket s = ch.socket();
        int millis = AdaptorOptions.toMillis(timeoutNanos);
        if (s.getSoTimeout() != millis) {
            s.setSoTimeout(millis);
        }
        DatagramPacket p = new DatagramPacket(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
        s.receive(p);
        dst.position(dst.position() + p.getLength());
        return p.getSocketAddress();
    }

    public static void send(DatagramChannel ch, ByteBuffer src, InetSocketAddress target) throws IOException {
        if (ch instanceof TimedDatagramChannel t) {
            t.blockingSend(src, target);
        } else {
            ch.socket().send(new DatagramPacket(src.array(), src.arrayOffset() + src.position(), src.remaining(), target));
            src.position(src.limit());
        }
    }

    public static void joinGroup(DatagramChannel ch, SocketAddress group, NetworkInterface netIf) throws IOException {
        if (ch instanceof TimedDatagramChannel t) {
            t.joinGroup(group, netIf);
        } else {
            ch.socket().joinGroup(group, netIf);
        }
    }

    public static void leaveGroup(DatagramChannel ch, SocketAddress group, NetworkInterface netIf) throws IOException {
        if (ch instanceof TimedDatagramChannel t) {
            t.leaveGroup(group, netIf);
        } else {
            ch.socket().leaveGroup(group, netIf);
        }
    }
}
