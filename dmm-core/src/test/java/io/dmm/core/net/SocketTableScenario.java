package io.dmm.core.net;

import io.dmm.api.SocketInfo;
import io.dmm.core.runtime.DmmRuntime;
import io.dmm.core.routing.SocketTable;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Objects;

/**
 * Run in a child JVM by {@link JavaNetSocketTableTest} (the JDK's socket factories are JVM-wide):
 * java.net sockets on DMM's factories, checked against the JVM-wide runtime's socket table. The
 * policy puts servers (and what they accept) on "alt", the rest on "kernel". Prints each listing
 * and "DONE" at the end; a failed check throws (exit 1).
 */
public final class SocketTableScenario {
    private SocketTableScenario() {
    }

    public static void main(String[] args) throws Exception {
        DmmSocketFactories.install();
        SocketTable table = DmmRuntime.global().sockets();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        check(table.size() == 0, "no socket yet", table.list());
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(loopback, 0));
            InetSocketAddress serverAddress = (InetSocketAddress) server.getLocalSocketAddress();
            try (Socket client = new Socket()) {
                client.setSoTimeout(10_000); // the impl made its channel here
                List<SocketInfo> before = rows(table);
                check(before.size() == 2 && before.get(1).kind().equals("client")
                        && before.get(1).state().equals("unrouted") && before.get(1).stack().isEmpty(),
                        "a Socket not yet connected is an unrouted client", before);
                client.connect(serverAddress);
                try (Socket accepted = server.accept()) {
                    client.getOutputStream().write(new byte[123]);
                    check(accepted.getInputStream().readNBytes(123).length == 123, "123 bytes arrive", null);
                    accepted.getOutputStream().write(new byte[45]);
                    check(client.getInputStream().readNBytes(45).length == 45, "45 bytes arrive", null);

                    List<SocketInfo> rows = rows(table);
                    check(rows.size() == 3, "server, client and accepted socket (the accepting Socket's own "
                            + "channel closed)", rows);
                    SocketInfo s = rows.get(0);
                    SocketInfo c = rows.get(1);
                    SocketInfo a = rows.get(2);
                    check(s.kind().equals("server") && s.stack().equals("alt") && s.state().equals("listening")
                            && s.rule().equals("#0") && serverAddress.equals(s.local()), "the server", rows);
                    check(c.kind().equals("client") && c.stack().equals("kernel") && c.state().equals("established")
                            && c.rule().equals("default") && serverAddress.equals(c.remote())
                            && client.getLocalSocketAddress().equals(c.local())
                            && c.bytesOut() == 123 && c.bytesIn() == 45, "the client", rows);
                    check(a.kind().equals("accepted") && a.stack().equals("alt") && a.state().equals("established")
                            && client.getLocalSocketAddress().equals(a.remote())
                            && a.bytesIn() == 123 && a.bytesOut() == 45, "the accepted socket", rows);

                    client.shutdownOutput();
                    check(rows(table).get(1).state().equals("output-shutdown"), "client output shut down", rows(table));
                }
            }
            check(rows(table).size() == 1, "only the server is left", rows(table));

            try (DatagramSocket ds = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
                ds.send(new DatagramPacket(new byte[9], 9, ds.getLocalSocketAddress()));
                ds.receive(new DatagramPacket(new byte[100], 100));
                SocketInfo d = rows(table).get(1);
                check(d.kind().equals("datagram") && d.stack().equals("kernel") && d.state().equals("bound")
                        && ds.getLocalSocketAddress().equals(d.local()) && d.bytesIn() == 9 && d.bytesOut() == 9,
                        "the datagram socket", rows(table));
            }
        }
        check(table.size() == 0 && table.list().isEmpty(), "every socket closed", table.list());
        System.out.println("DONE");
    }

    private static List<SocketInfo> rows(SocketTable table) {
        List<SocketInfo> rows = table.list();
        System.out.println("rows: " + rows);
        return rows;
    }

    private static void check(boolean ok, String what, Object detail) {
        if (!ok) {
            throw new AssertionError(what + (detail == null ? "" : ": " + Objects.toString(detail)));
        }
    }
}
