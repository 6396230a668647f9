package io.dmm.core.net;

import static io.dmm.core.net.Transcript.attempt;
import static io.dmm.core.net.Transcript.attemptType;
import static io.dmm.core.net.Transcript.t;

import io.dmm.api.testing.BlockedThreads;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;

/** DatagramSocket and MulticastSocket over DMM's DatagramSocketImpl. */
final class DatagramScenarios {
    private DatagramScenarios() {
    }

    static void unicast() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(lo, NetScenario.altPort()));
             DatagramSocket sender = new DatagramSocket()) {
            t("receiver bound " + receiver.isBound() + " local " + receiver.getLocalAddress()
                    + " sender bound " + sender.isBound() + " port>0 " + (sender.getLocalPort() > 0));
            t("bound options " + Transcript.names(receiver.supportedOptions()));
            receiver.setSoTimeout(200);
            t("timeout " + receiver.getSoTimeout());
            attempt("receive nothing", () -> { receiver.receive(new DatagramPacket(new byte[10], 10)); return null; });
            byte[] msg = "datagram".getBytes(StandardCharsets.UTF_8);
            sender.send(new DatagramPacket(msg, msg.length, receiver.getLocalSocketAddress()));
            DatagramPacket p = new DatagramPacket(new byte[100], 100);
            receiver.receive(p);
            t("received " + new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8)
                    + " from sender " + (p.getPort() == sender.getLocalPort()));
            DatagramPacket small = new DatagramPacket(new byte[4], 4);
            sender.send(new DatagramPacket(msg, msg.length, receiver.getLocalSocketAddress()));
            receiver.receive(small);
            t("truncated " + new String(small.getData(), 0, small.getLength(), StandardCharsets.UTF_8));
            sender.connect(receiver.getLocalSocketAddress());
            t("connected " + sender.isConnected() + " port ok " + (sender.getPort() == receiver.getLocalPort()));
            sender.send(new DatagramPacket(msg, 3));
            receiver.receive(p);
            t("connected send " + new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
            attemptType("send elsewhere while connected", () -> {
                sender.send(new DatagramPacket(msg, 1, new InetSocketAddress(lo, 9)));
                return null;
            });
            sender.disconnect();
            t("disconnected " + sender.isConnected());
            t("options broadcast " + sender.getBroadcast() + " reuse " + sender.getReuseAddress()
                    + " tos " + setTos(sender) + " rcvbuf>0 " + (sender.getReceiveBufferSize() > 0));
            attempt("send to port 0", () -> { sender.send(new DatagramPacket(msg, 1, lo, 0)); return null; });
        }
        try (DatagramSocket blocked = new DatagramSocket(new InetSocketAddress(lo, 0))) {
            java.util.concurrent.atomic.AtomicReference<String> outcome = new java.util.concurrent.atomic.AtomicReference<>();
            Thread vt = Thread.ofVirtual().start(() -> {
                try {
                    blocked.receive(new DatagramPacket(new byte[10], 10));
                    outcome.set("received?");
                } catch (Exception e) {
                    outcome.set(Transcript.describe(e) + " | interrupted " + Thread.currentThread().isInterrupted());
                }
            });
            BlockedThreads.awaitBlockedIn(vt, "receive");
            vt.interrupt();
            vt.join(5000);
            t("virtual thread receive interrupted -> " + outcome.get());
            attemptType("send after interrupt", () -> {
                blocked.send(new DatagramPacket(new byte[1], 1, lo, 9));
                return null;
            });
        }
        DatagramSocket closed = new DatagramSocket();
        closed.close();
        closed.close();
        t("closed " + closed.isClosed() + " port " + closed.getLocalPort());
        attemptType("send after close", () -> {
            closed.send(new DatagramPacket(new byte[1], 1, InetAddress.getLoopbackAddress(), 9));
            return null;
        });
    }

    /**
     * A UDP client ({@code new DatagramSocket()}, send, receive the reply) — routed as a sender by
     * the destination of its first send, not as a receiver on the ephemeral port it gets.
     */
    static void client() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(lo, NetScenario.altPort()));
             DatagramSocket client = new DatagramSocket()) {
            t("client bound " + client.isBound() + " connected " + client.isConnected()
                    + " local address is wildcard " + client.getLocalAddress().isAnyLocalAddress());
            client.setSoTimeout(2000);
            byte[] q = "question".getBytes(StandardCharsets.UTF_8);
            client.send(new DatagramPacket(q, q.length, server.getLocalSocketAddress()));
            DatagramPacket req = new DatagramPacket(new byte[100], 100);
            server.receive(req);
            t("client port known after send " + (client.getLocalPort() == req.getPort())
                    + " and > 0 " + (client.getLocalPort() > 0));
            byte[] a = "answer".getBytes(StandardCharsets.UTF_8);
            server.send(new DatagramPacket(a, a.length, req.getSocketAddress()));
            DatagramPacket reply = new DatagramPacket(new byte[100], 100);
            client.receive(reply);
            t("client got " + new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8));
        }
        try (DatagramSocket asks = new DatagramSocket()) {
            InetSocketAddress local = (InetSocketAddress) asks.getLocalSocketAddress();
            t("port asked before any send " + (asks.getLocalPort() > 0) + " " + (local.getPort() == asks.getLocalPort())
                    + " wildcard " + local.getAddress().isAnyLocalAddress());
        }
        try (DatagramSocket connects = new DatagramSocket()) {
            connects.connect(new InetSocketAddress(lo, NetScenario.altPort()));
            t("connected client port > 0 " + (connects.getLocalPort() > 0) + " " + connects.isConnected());
        }
    }

    private static int setTos(DatagramSocket s) throws Exception {
        s.setTrafficClass(0x20);
        return s.getTrafficClass();
    }

    /** A MulticastSocket's options, and a loopback multicast round trip where the host allows it. */
    static void multicast() throws Exception {
        InetAddress group = InetAddress.getByName("239.255.42.99");
        NetworkInterface lo = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
        int port = NetScenario.altPort();
        try (MulticastSocket m = new MulticastSocket(port)) {
            t("reuse " + m.getReuseAddress() + " bound " + m.isBound());
            m.setTimeToLive(3);
            t("ttl " + m.getTimeToLive());
            m.setSoTimeout(500);
            attempt("network interface", () -> m.getNetworkInterface().getName());
            m.setNetworkInterface(lo);
            attempt("network interface set", () -> m.getNetworkInterface().getName());
            m.setOption(java.net.StandardSocketOptions.IP_MULTICAST_LOOP, true);
            attempt("loop", () -> m.getOption(java.net.StandardSocketOptions.IP_MULTICAST_LOOP));
            attempt("join", () -> { m.joinGroup(new InetSocketAddress(group, 0), lo); return null; });
            byte[] msg = "to the group".getBytes(StandardCharsets.UTF_8);
            attempt("send to group", () -> { m.send(new DatagramPacket(msg, msg.length, group, port)); return null; });
            attempt("receive from group", () -> {
                DatagramPacket p = new DatagramPacket(new byte[100], 100);
                m.receive(p);
                return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            });
            attempt("leave", () -> { m.leaveGroup(new InetSocketAddress(group, 0), lo); return null; });
            legacyMulticast(m, group, port);
        }
        try (MulticastSocket fresh = new MulticastSocket()) {
            attempt("fresh ttl", fresh::getTimeToLive);
            attempt("fresh loopback disabled", fresh::getLoopbackMode);
            attempt("fresh interface", () -> fresh.getInterface().isAnyLocalAddress());
            attempt("fresh port > 0", () -> fresh.getLocalPort() > 0);
        }
    }

    /** The deprecated MulticastSocket methods (legacy int options underneath). */
    @SuppressWarnings("deprecation")
    private static void legacyMulticast(MulticastSocket m, InetAddress group, int port) throws Exception {
        m.setLoopbackMode(true);
        attempt("loopback disabled", m::getLoopbackMode);
        attempt("loop option", () -> m.getOption(java.net.StandardSocketOptions.IP_MULTICAST_LOOP));
        m.setLoopbackMode(false);
        attempt("loopback disabled again", m::getLoopbackMode);
        m.setInterface(InetAddress.getLoopbackAddress());
        attempt("interface", m::getInterface);
        m.setTTL((byte) 7);
        attempt("ttl byte", m::getTTL);
        attemptType("ttl out of range", () -> { m.setTimeToLive(256); return null; });
        attempt("join legacy", () -> { m.joinGroup(group); return null; });
        attempt("join again", () -> { m.joinGroup(group); return null; });
        attempt("join unicast", () -> { m.joinGroup(InetAddress.getLoopbackAddress()); return null; });
        byte[] msg = "legacy".getBytes(StandardCharsets.UTF_8);
        attempt("send with ttl", () -> { m.send(new DatagramPacket(msg, msg.length, group, port), (byte) 2); return null; });
        attempt("receive legacy", () -> {
            DatagramPacket p = new DatagramPacket(new byte[100], 100);
            m.receive(p);
            return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
        });
        attempt("ttl after send", m::getTimeToLive);
        attempt("leave legacy", () -> { m.leaveGroup(group); return null; });
        attempt("leave again", () -> { m.leaveGroup(group); return null; });
    }

    /**
     * The lengths of a DatagramPacket reused across receives (the JDK keeps the buffer length a
     * receive may fill apart from the length received): with the same socket, another socket,
     * another packet in between, and after the program's own setLength.
     */
    static void packetLengths() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (DatagramSocket a = new DatagramSocket(new InetSocketAddress(lo, 0));
             DatagramSocket b = new DatagramSocket(new InetSocketAddress(lo, 0));
             DatagramSocket sender = new DatagramSocket()) {
            a.setSoTimeout(5000);
            b.setSoTimeout(5000);
            DatagramPacket p = new DatagramPacket(new byte[100], 100);
            t("same socket " + lengths(sender, a, p, 10) + " then " + lengths(sender, a, p, 50));
            t("other socket " + lengths(sender, a, p, 10) + " then " + lengths(sender, b, p, 50));
            DatagramPacket q = new DatagramPacket(new byte[100], 100);
            DatagramPacket other = new DatagramPacket(new byte[100], 100);
            t("another packet between " + lengths(sender, a, q, 10) + " " + lengths(sender, a, other, 20)
                    + " then " + lengths(sender, a, q, 50));
            DatagramPacket shrunk = new DatagramPacket(new byte[100], 100);
            lengths(sender, a, shrunk, 10);
            shrunk.setLength(10);
            t("after setLength(10) " + lengths(sender, a, shrunk, 50));
            DatagramPacket offset = new DatagramPacket(new byte[100], 10, 80);
            t("offset " + lengths(sender, a, offset, 5) + " then " + lengths(sender, a, offset, 90)
                    + " offset " + offset.getOffset());
        }
    }

    /** Sends {@code n} bytes to {@code to} and receives them into {@code p}: the packet's length then. */
    private static int lengths(DatagramSocket from, DatagramSocket to, DatagramPacket p, int n) throws Exception {
        from.send(new DatagramPacket(new byte[n], n, to.getLocalSocketAddress()));
        to.receive(p);
        return p.getLength();
    }
}
