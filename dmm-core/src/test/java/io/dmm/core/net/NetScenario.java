package io.dmm.core.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

/**
 * Run in a child JVM by {@link SocketFactoriesTest}: {@code NetScenario <scenario> dmm|jdk}. With
 * "dmm" it installs DMM's java.net factories first; with "jdk" the same code runs on the JDK's own
 * implementations, so the test can compare the two transcripts. Exit 0 when the scenario ran to
 * its end; a failed check throws (exit 1, stack trace in the output).
 */
public final class NetScenario {
    /** The policy the tests use routes these ports ("service end": server port, remote port) to "alt". */
    static final int ALT_LO = 21000;
    static final int ALT_HI = 21999;

    private NetScenario() {
    }

    public static void main(String[] args) throws Exception {
        Transcript.dmm = args[1].equals("dmm");
        if (Transcript.dmm) {
            DmmSocketFactories.install();
            DmmSocketFactories.install(); // idempotent
        }
        switch (args[0]) {
            case "echo" -> TcpScenarios.echo();
            case "client-bind" -> TcpScenarios.clientBind();
            case "timeouts" -> TcpScenarios.timeouts();
            case "linger" -> TcpScenarios.linger();
            case "halfclose" -> TcpScenarios.halfClose();
            case "urgent" -> TcpScenarios.urgent();
            case "interrupt-virtual" -> InterruptScenarios.virtualThread();
            case "interrupt-platform" -> InterruptScenarios.platformThread();
            case "interrupt-pending" -> InterruptScenarios.pendingOnPlatformThread();
            case "interrupt-datagram-platform" -> InterruptScenarios.datagramPlatformThread();
            case "async-close" -> InterruptScenarios.asyncClose();
            case "datagram" -> DatagramScenarios.unicast();
            case "udp-client" -> DatagramScenarios.client();
            case "datagram-lengths" -> DatagramScenarios.packetLengths();
            case "multicast" -> DatagramScenarios.multicast();
            case "tls" -> TlsScenarios.both(args[2]);
            case "socks" -> ProxyScenarios.socks();
            case "http-proxy" -> ProxyScenarios.httpConnect();
            case "http" -> HttpScenarios.urlConnection();
            case "scope" -> ScopeScenarios.stackHint();
            case "vt-servers" -> VirtualThreadScenarios.thousandBlockedReaders();
            case "vt-pinned-control" -> PinnedControl.run();
            case "install-conflict" -> InstallScenarios.conflict();
            case "install-late" -> InstallScenarios.late();
            default -> throw new IllegalArgumentException(args[0]);
        }
        Transcript.stacks();
        System.out.println("DONE");
    }

    /** A free port in the "alt" range (probed with a raw JDK channel, which no factory affects). */
    static int altPort() throws IOException {
        for (int p = ALT_LO + (int) (ProcessHandle.current().pid() % 500); p <= ALT_HI; p++) {
            try (ServerSocketChannel probe = ServerSocketChannel.open()) {
                probe.bind(new InetSocketAddress("127.0.0.1", p));
                return p;
            } catch (IOException inUse) {
                // try the next one
            }
        }
        throw new IOException("no free port in " + ALT_LO + "-" + ALT_HI);
    }
}
