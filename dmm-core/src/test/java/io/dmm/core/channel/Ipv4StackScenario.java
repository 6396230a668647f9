package io.dmm.core.channel;

import io.dmm.core.net.DmmSocketFactories;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;

/**
 * Run in a child JVM with {@code -Djava.net.preferIPv4Stack=true} by {@link PreferIpv4StackTest}: once
 * on the JDK's channels and once with DMM as the system provider. Prints one "T" line per
 * operation (its result or its exception's type and message); the two runs' lines must be equal.
 */
public final class Ipv4StackScenario {
    private static final InetSocketAddress V6_LOOPBACK = new InetSocketAddress(InetAddress.ofLiteral("::1"), 9);
    private static final InetSocketAddress V6_ANY = new InetSocketAddress(InetAddress.ofLiteral("::"), 0);

    private Ipv4StackScenario() {
    }

    interface Step {
        Object run() throws Exception;
    }

    static void t(String name, Step step) {
        String result;
        try {
            result = String.valueOf(step.run());
        } catch (Exception e) {
            result = e.getClass().getName() + ": " + e.getMessage();
        }
        System.out.println("T " + name + ": " + result);
    }

    /** The address part of a channel's local address (its port differs from run to run). */
    static String host(java.nio.channels.NetworkChannel ch) throws IOException {
        return ((InetSocketAddress) ch.getLocalAddress()).getAddress().toString();
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("dmm")) {
            DmmSocketFactories.install(); // java.net sockets too, as the agent does
        }
        System.out.println("R provider " + SelectorProvider.provider().getClass().getName());
        t("datagram open(INET6)", () -> DatagramChannel.open(StandardProtocolFamily.INET6));
        t("socket open(INET6)", () -> SocketChannel.open(StandardProtocolFamily.INET6));
        t("server open(INET6)", () -> ServerSocketChannel.open(StandardProtocolFamily.INET6));
        t("datagram echo over IPv4", () -> {
            try (DatagramChannel a = DatagramChannel.open(); DatagramChannel b = DatagramChannel.open()) {
                b.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                a.send(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)), b.getLocalAddress());
                ByteBuffer got = ByteBuffer.allocate(16);
                b.receive(got);
                return new String(got.array(), 0, got.position(), StandardCharsets.US_ASCII) + " from " + host(a);
            }
        });
        t("datagram bind(null)", () -> {
            try (DatagramChannel d = DatagramChannel.open()) {
                return host(d.bind(null));
            }
        });
        t("datagram bind(::)", () -> {
            try (DatagramChannel d = DatagramChannel.open()) {
                return host(d.bind(V6_ANY));
            }
        });
        t("datagram send to ::1", () -> {
            try (DatagramChannel d = DatagramChannel.open()) {
                return d.send(ByteBuffer.allocate(1), V6_LOOPBACK);
            }
        });
        t("datagram connect to ::1", () -> {
            try (DatagramChannel d = DatagramChannel.open()) {
                return d.connect(V6_LOOPBACK).isConnected();
            }
        });
        t("socket bind(null)", () -> {
            try (SocketChannel s = SocketChannel.open()) {
                return host(s.bind(null));
            }
        });
        t("socket connect to ::1", () -> {
            try (SocketChannel s = SocketChannel.open()) {
                return s.connect(V6_LOOPBACK);
            }
        });
        t("server bind(null)", () -> {
            try (ServerSocketChannel s = ServerSocketChannel.open()) {
                return host(s.bind(null));
            }
        });
        t("server bind(::)", () -> {
            try (ServerSocketChannel s = ServerSocketChannel.open()) {
                return host(s.bind(V6_ANY));
            }
        });
        t("socket echo over IPv4", () -> {
            try (ServerSocketChannel s = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                 SocketChannel c = SocketChannel.open(s.getLocalAddress());
                 SocketChannel a = s.accept()) {
                c.write(ByteBuffer.wrap(new byte[] {42}));
                ByteBuffer got = ByteBuffer.allocate(1);
                a.read(got);
                return got.get(0) + " from " + host(c);
            }
        });
        t("java.net socket connect to ::1", () -> {
            Socket s = new Socket();
            try (s) {
                s.connect(V6_LOOPBACK, 5000);
                return s.isConnected();
            } finally {
                System.out.println("T java.net socket closed after: " + s.isClosed());
            }
        });
        System.out.println("DONE");
    }
}
