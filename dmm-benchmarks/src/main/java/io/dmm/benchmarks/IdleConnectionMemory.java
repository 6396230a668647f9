package io.dmm.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * Memory per idle connection: opens many connected pairs over one {@link Transport} (both ends in
 * this JVM) and prints what they cost the JVM, per pair and per socket, measured as deltas against
 * a baseline taken after a warm-up (so class loading, JIT and the stack's own start-up are not
 * charged to the connections):
 * <ul>
 *   <li>heap: used heap after full GCs (live objects only);
 *   <li>NMT "Other": native memory the JVM hands out through {@code Unsafe.allocateMemory} — FFM
 *       {@code Arena} segments (the userspace stack's buffers) and direct ByteBuffers;
 *   <li>NMT total minus the Java heap: every other native allocation of the JVM;
 *   <li>RSS of the process (heap pages included), as the OS sees it.
 * </ul>
 * Two phases: right after connecting (no data ever sent), then after one 64-byte request and
 * response on the first {@code exchanged} pairs — the userspace stack allocates a connection's send
 * and receive rings on first use, so a connection that has carried data costs more than a fresh one.
 * The kernel's own socket memory is outside the JVM and not counted (the TCP line of
 * /proc/net/sockstat is printed for reference).
 *
 * <p>Run (NMT must be on for the native columns):
 * <pre>java -XX:NativeMemoryTracking=summary -cp dmm-benchmarks/target/benchmarks.jar \
 *     io.dmm.benchmarks.IdleConnectionMemory DMM_USERSPACE 10000 1000</pre>
 */
public final class IdleConnectionMemory {
    private static final int WARM_UP_PAIRS = 100;
    private static final int MESSAGE = 64;
    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final Pattern NMT_HEAP = Pattern.compile("-\\s+Java Heap \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");
    private static final Pattern NMT_OTHER = Pattern.compile("-\\s+Other \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");

    private IdleConnectionMemory() {}

    /** One measurement; native figures are -1 when NMT is off. */
    record Sample(long heap, long nmtOther, long nmtNonHeap, long rss) {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: IdleConnectionMemory <" + String.join("|", names()) + "> [pairs=10000] [exchanged=1000]");
            System.exit(2);
        }
        Transport transport = Transport.valueOf(args[0]);
        int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int exchanged = Math.min(pairs, args.length > 2 ? Integer.parseInt(args[2]) : 1_000);

        ServerSocketChannel listener = transport.openServer();
        listener.bind(new InetSocketAddress(transport.bindAddress(), 0), 1024);
        InetSocketAddress target = (InetSocketAddress) listener.getLocalAddress();
        ByteBuffer buf = ByteBuffer.allocateDirect(MESSAGE);

        SocketChannel[] warmClients = new SocketChannel[WARM_UP_PAIRS];
        SocketChannel[] warmServers = new SocketChannel[WARM_UP_PAIRS];
        for (int i = 0; i < WARM_UP_PAIRS; i++) {
            warmClients[i] = transport.openClient();
            warmClients[i].connect(target);
            warmServers[i] = listener.accept();
            exchange(warmClients[i], warmServers[i], buf);
        }

        String sockstat0 = sockstat();
        Sample base = sample();
        SocketChannel[] clients = new SocketChannel[pairs];
        SocketChannel[] servers = new SocketChannel[pairs];
        long t0 = System.nanoTime();
        for (int i = 0; i < pairs; i++) {
            clients[i] = transport.openClient();
            clients[i].connect(target);
            servers[i] = listener.accept();
        }
        long connectNanos = System.nanoTime() - t0;
        Sample connected = sample();
        String sockstat1 = sockstat();
        for (int i = 0; i < exchanged; i++) {
            exchange(clients[i], servers[i], buf);
        }
        Sample afterExchange = sample();
        String sockstat2 = sockstat();

        System.out.printf(Locale.ROOT, "transport %s: %,d pairs (%,d sockets) connected in %.2f s; NMT %s%n",
                transport, pairs, 2 * pairs, connectNanos / 1e9, base.nmtOther < 0 ? "off (-XX:NativeMemoryTracking=summary)" : "on");
        System.out.println("| phase | pairs | heap B/pair | NMT Other B/pair | NMT non-heap B/pair | RSS B/pair | heap B/socket | off-heap (Other) B/socket |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        row("connected, no data", pairs, base, connected);
        row("then 64 B each way on " + exchanged, exchanged, connected, afterExchange);
        System.out.println("kernel sockstat before: " + sockstat0);
        System.out.println("kernel sockstat after connect: " + sockstat1);
        System.out.println("kernel sockstat after exchange: " + sockstat2);

        Reference.reachabilityFence(warmClients);
        Reference.reachabilityFence(warmServers);
        Reference.reachabilityFence(clients);
        Reference.reachabilityFence(servers);
        System.out.flush();
        Runtime.getRuntime().halt(0); // closing 20,000 sockets one by one adds nothing to the measurement
    }

    private static String[] names() {
        Transport[] all = Transport.values();
        String[] n = new String[all.length];
        for (int i = 0; i < all.length; i++) n[i] = all[i].name();
        return n;
    }

    private static void row(String phase, int count, Sample from, Sample to) {
        double heap = (double) (to.heap - from.heap) / count;
        boolean nmt = from.nmtOther >= 0;
        double other = nmt ? (double) (to.nmtOther - from.nmtOther) / count : Double.NaN;
        double nonHeap = nmt ? (double) (to.nmtNonHeap - from.nmtNonHeap) / count : Double.NaN;
        double rss = (double) (to.rss - from.rss) / count;
        System.out.printf(Locale.ROOT, "| %s | %,d | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f |%n",
                phase, count, heap, other, nonHeap, rss, heap / 2, other / 2);
    }

    static void exchange(SocketChannel client, SocketChannel server, ByteBuffer buf) throws IOException {
        transfer(client, server, buf);
        transfer(server, client, buf);
    }

    private static void transfer(SocketChannel from, SocketChannel to, ByteBuffer buf) throws IOException {
        buf.clear();
        while (buf.hasRemaining()) from.write(buf);
        buf.clear();
        while (buf.hasRemaining()) {
            if (to.read(buf) < 0) throw new IOException("peer closed");
        }
    }

    /** Heap after full GCs, NMT figures, RSS. */
    static Sample sample() throws Exception {
        long heap = LiveHeap.bytes();
        long other = -1;
        long nonHeap = -1;
        String nmt = nativeMemorySummary();
        if (nmt != null) {
            Matcher t = NMT_TOTAL.matcher(nmt);
            Matcher h = NMT_HEAP.matcher(nmt);
            Matcher o = NMT_OTHER.matcher(nmt);
            if (t.find() && h.find()) nonHeap = (Long.parseLong(t.group(2)) - Long.parseLong(h.group(2))) * 1024;
            other = o.find() ? Long.parseLong(o.group(2)) * 1024 : 0;
        }
        return new Sample(heap, other, nonHeap, rss());
    }

    /** {@code jcmd <pid> VM.native_memory summary}, from inside; null when NMT is off. */
    private static String nativeMemorySummary() throws Exception {
        Object out = ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
        String s = String.valueOf(out);
        return s.contains("Total:") ? s : null;
    }

    static long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    private static String sockstat() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/net/sockstat"))) {
                if (line.startsWith("TCP:")) return line;
            }
        } catch (IOException e) {
            // not Linux
        }
        return "n/a";
    }
}
