package io.dmm.benchmarks;

import io.dmm.api.RouteHints;
import io.dmm.core.config.PolicyLoader;
import io.dmm.core.runtime.DmmRuntime;
import java.lang.ref.Reference;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Locale;
import java.util.Map;

/**
 * Many concurrent connections on one userspace instance: opens {@code pairs} connected pairs
 * through DMM's routed channels (both ends on the same instance, a loopback device, so each pair is
 * two TCP connections of the instance), moves a request and a response of {@code message} bytes on
 * each, keeps them all open and reports what the JVM holds: RSS (from /proc/self/status), live heap
 * after full GCs, and the TCP buffer pool (slabs allocated, bytes in use, from the instance's
 * counters). A 4-tuple space has 64 K client ports, so the clients bind explicit ports on several
 * addresses of the instance ({@link #PORTS_PER_ADDRESS} each) and connect to one server port.
 *
 * <p>Run with the JVM limits it is meant to hold to, e.g. 100,000 clients (200,000 connections of
 * the instance) in 2 GiB:
 * <pre>java -Xmx1g -XX:MaxDirectMemorySize=512m -cp dmm-benchmarks/target/benchmarks.jar \
 *     io.dmm.benchmarks.ConnectionScaleMemory 100000 64 2048</pre>
 * (pairs, message bytes, and an RSS ceiling in MiB: the exit code is 1 above it). Also a JMH
 * benchmark, {@link ConnectionScaleBenchmark} ({@code ./dmm bench ConnectionScale}).
 */
public final class ConnectionScaleMemory {
    static final int PORTS_PER_ADDRESS = 40_000;
    private static final int FIRST_CLIENT_PORT = 20_000;
    private static final String SERVER = "198.51.100.1";
    private static final int SERVER_PORT = 80;

    private ConnectionScaleMemory() {}

    /** What the run measured, in bytes (RSS and heap of the whole JVM). */
    record Result(int pairs, int message, double seconds, long rss, long heap, long poolAllocated, long poolInUse, long poolExhausted) {
        void print() {
            System.out.printf(Locale.ROOT, "%,d connections (%,d pairs) opened, %d bytes each way on each, in %.1f s%n",
                    2 * pairs, pairs, message, seconds);
            System.out.println("| connections | RSS | heap (live) | pool slabs | pool in use | RSS per connection |");
            System.out.println("|---:|---:|---:|---:|---:|---:|");
            System.out.printf(Locale.ROOT, "| %,d | %,d MiB | %,d MiB | %,d KiB | %,d KiB | %,d B |%n", 2 * pairs,
                    rss >> 20, heap >> 20, poolAllocated >> 10, poolInUse >> 10, rss / (2L * pairs));
            System.out.println("tcp_mem_exhausted " + poolExhausted);
        }
    }

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int message = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        long maxRssMib = args.length > 2 ? Long.parseLong(args[2]) : Long.MAX_VALUE;
        Result r = run(pairs, message);
        r.print();
        System.out.flush();
        // closing 200,000 sockets one by one adds nothing to the measurement
        Runtime.getRuntime().halt(r.rss() >> 20 > maxRssMib ? 1 : 0);
    }

    /** The policy: one userspace instance with the server's address and one client address per {@link #PORTS_PER_ADDRESS} pairs. */
    static String policy(int pairs) {
        StringBuilder addresses = new StringBuilder("\"" + SERVER + "/24\"");
        for (int a = 0; a < clientAddresses(pairs); a++) addresses.append(", \"").append(clientAddress(a)).append("/24\"");
        return """
                {
                  "stacks": [
                    {"name": "kernel", "type": "kernel"},
                    {"name": "scale", "type": "userspace", "addresses": [ADDRESSES], "device": {"driver": "loopback"}}
                  ],
                  "default": "kernel",
                  "rules": [{"name": "scale", "dst": "198.51.96.0/20", "stack": "scale"}]
                }
                """.replace("ADDRESSES", addresses);
    }

    private static int clientAddresses(int pairs) {
        return (pairs + PORTS_PER_ADDRESS - 1) / PORTS_PER_ADDRESS;
    }

    private static String clientAddress(int a) {
        return "198.51." + (101 + a) + ".1";
    }

    /** Opens the pairs, exchanges {@code message} bytes each way on each, and measures with all of them open. */
    static Result run(int pairs, int message) throws Exception {
        DmmRuntime runtime = new DmmRuntime(PolicyLoader.parse(policy(pairs), "connection-scale.json"));
        ServerSocketChannel listener = runtime.openServerSocketChannel(null, RouteHints.none());
        listener.bind(new InetSocketAddress(SERVER, SERVER_PORT), 4096);
        InetSocketAddress target = new InetSocketAddress(SERVER, SERVER_PORT);
        SocketChannel[] clients = new SocketChannel[pairs];
        SocketChannel[] servers = new SocketChannel[pairs];
        ByteBuffer buf = ByteBuffer.allocateDirect(message);
        long t0 = System.nanoTime();
        for (int i = 0; i < pairs; i++) {
            SocketChannel c = runtime.openSocketChannel(null, RouteHints.none());
            c.bind(new InetSocketAddress(clientAddress(i / PORTS_PER_ADDRESS), FIRST_CLIENT_PORT + i % PORTS_PER_ADDRESS));
            c.connect(target);
            clients[i] = c;
            servers[i] = listener.accept();
            IdleConnectionMemory.exchange(c, servers[i], buf);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Thread.sleep(200); // the last delayed ACKs (40 ms) go out: nothing is left queued
        long heap = LiveHeap.bytes();
        Map<String, Long> counters = runtime.stats().stack("scale").orElseThrow().stackCounters();
        Result r = new Result(pairs, message, seconds, IdleConnectionMemory.rss(), heap,
                counters.getOrDefault("tcp_mem_bytes_allocated", -1L), counters.getOrDefault("tcp_mem_bytes_in_use", -1L),
                counters.getOrDefault("tcp_mem_exhausted", -1L));
        Reference.reachabilityFence(clients);
        Reference.reachabilityFence(servers);
        return r;
    }
}
