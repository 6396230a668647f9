package io.dmm.benchmarks;

import io.dmm.core.config.PolicyLoader;
import io.dmm.core.runtime.DmmRuntime;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The distribution of single 64-byte round trips on the userspace loopback instance (routed, as
 * {@link TcpPingPongBenchmark} does), for one {@code spin} setting: JMH gives the mean, this gives
 * percentiles and the context switches per round trip, which show how blocked calls wait.
 *
 * <pre>java -cp dmm-benchmarks/target/benchmarks.jar io.dmm.benchmarks.UserspaceRoundTrips 20us 20000 3</pre>
 *
 * <p>With {@code ring} first, the two ends are on two instances joined by a DPDK net_ring link
 * ({@link DpdkRingRuntime}, needs DPDK); a fourth argument adds keys to the instances' entries:
 *
 * <pre>java -cp dmm-benchmarks/target/benchmarks.jar io.dmm.benchmarks.UserspaceRoundTrips ring 20us 10000 3 '"idle": "park"'</pre>
 */
public final class UserspaceRoundTrips {
    private UserspaceRoundTrips() {}

    public static void main(String[] args) throws Exception {
        // "ring" first: the two instances on a DPDK net_ring link (DpdkRingRuntime) instead of the loopback one
        boolean ring = args.length > 0 && args[0].equals("ring");
        if (ring) args = Arrays.copyOfRange(args, 1, args.length);
        String spin = args.length > 0 ? args[0] : "20us";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int blocks = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String extra = ", \"spin\": \"" + spin + "\"" + (args.length > 3 ? ", " + args[3] : "");
        DmmRuntime rt = ring ? DpdkRingRuntime.start(extra)
                : new DmmRuntime(PolicyLoader.parse(UserspaceRuntime.policy(extra), "round-trips.json"));
        ServerSocketChannel listener = Transport.openServer(rt);
        listener.bind(new InetSocketAddress(ring ? DpdkRingRuntime.serverAddress() : UserspaceRuntime.address(), 0));
        SocketChannel client = Transport.openClient(rt);
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        client.connect(listener.getLocalAddress());
        SocketChannel server = listener.accept();
        server.setOption(StandardSocketOptions.TCP_NODELAY, true);
        Thread echo = Thread.ofPlatform().daemon().name("echo").start(() -> echo(server));

        long[] rtt = new long[n];
        for (int b = 1; b <= blocks; b++) {
            long[] before = switches(echo);
            TcpPingPongBenchmark.timeRoundTrips(client, rtt, n);
            long[] after = switches(echo);
            Arrays.sort(rtt);
            System.out.printf(Locale.ROOT,
                    "spin %s block %d: p10 %.1f p50 %.1f p90 %.1f p99 %.1f us; voluntary switches per round trip: client %.2f echo %.2f%n",
                    spin, b, rtt[n / 10] / 1e3, rtt[n / 2] / 1e3, rtt[n * 9 / 10] / 1e3, rtt[n * 99 / 100] / 1e3,
                    (after[0] - before[0]) / (double) n, (after[1] - before[1]) / (double) n);
        }
        for (String name : ring ? new String[] {"ring-client", "ring-server"} : new String[] {"user0"}) {
            System.out.print("non-zero counters of " + name + ":");
            rt.stats().stacks().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow()
                    .stackCounters().forEach((k, v) -> {
                        if (v != 0) System.out.print(" " + k + "=" + v);
                    });
            System.out.println();
        }
        // the EAL's shutdown hook removes its runtime directory; the loopback run needs no hook
        if (ring) System.exit(0);
        Runtime.getRuntime().halt(0);
    }

    private static void echo(SocketChannel ch) {
        ByteBuffer buf = ByteBuffer.allocateDirect(TcpPingPongBenchmark.MESSAGE);
        try {
            while (true) {
                buf.clear();
                TcpPingPongBenchmark.readFully(ch, buf);
                buf.flip();
                while (buf.hasRemaining()) ch.write(buf);
            }
        } catch (IOException closed) {
            // the run ended
        }
    }

    /** Voluntary context switches of this thread and of {@code echo} so far (Linux), else zeros. */
    private static long[] switches(Thread echo) {
        return new long[] {voluntarySwitches("thread-self"), voluntarySwitches(echoTid(echo))};
    }

    private static String echoTid(Thread echo) {
        // the echo thread's Linux id: its task whose comm is "echo"
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                if (Files.readString(t.resolve("comm")).strip().equals(echo.getName())) return "self/task/" + t.getFileName();
            }
        } catch (IOException e) {
            // not Linux
        }
        return null;
    }

    private static long voluntarySwitches(String proc) {
        if (proc == null) return 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", proc, "status"))) {
                if (line.startsWith("voluntary_ctxt_switches:")) return Long.parseLong(line.replaceAll("\\D", ""));
            }
        } catch (IOException e) {
            // not Linux
        }
        return 0;
    }
}
