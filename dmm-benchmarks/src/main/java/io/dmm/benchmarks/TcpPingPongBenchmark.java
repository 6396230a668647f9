package io.dmm.benchmarks;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Round-trip time of a 64-byte message over loopback TCP (blocking channels, TCP_NODELAY): the
 * client writes 64 bytes, an echo thread on the other end writes them back. Each transport runs in
 * its own fork, and JMH runs all forks of one value before the next, so machine drift between them
 * is not cancelled: the DMM/JDK ratios come from {@link RatioRun}, which alternates the forks. The
 * userspace transports put both ends on one instance's loopback device, or one end on each of two
 * instances joined by a DPDK net_ring link ({@link Transport#DMM_DPDK_RING}: needs DPDK, so it is
 * not in the default list; ask for it with {@code -p transport=...}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TcpPingPongBenchmark {
    static final int MESSAGE = 64;

    /** The values that run on any host; DMM_DPDK_RING and DMM_DPDK_RING_PARK are opt-in (they need DPDK). */
    @Param({"JDK", "DMM_KERNEL", "DMM_USERSPACE", "DMM_USERSPACE_NOSPIN"})
    public Transport transport;

    private LoopbackPair pair;
    private Thread echo;
    private final ByteBuffer out = ByteBuffer.allocateDirect(MESSAGE);
    private final ByteBuffer in = ByteBuffer.allocateDirect(MESSAGE);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        pair = LoopbackPair.open(transport);
        SocketChannel server = pair.server;
        echo = Thread.ofPlatform().daemon().name("echo").start(() -> echoLoop(server));
    }

    private static void echoLoop(SocketChannel ch) {
        ByteBuffer buf = ByteBuffer.allocateDirect(MESSAGE);
        try {
            while (true) {
                buf.clear();
                readFully(ch, buf);
                buf.flip();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
        } catch (IOException closed) {
            // the benchmark closed the pair
        }
    }

    /** Times {@code count} single round trips of a 64-byte message on {@code ch}, into {@code rtt} (nanos). */
    static void timeRoundTrips(SocketChannel ch, long[] rtt, int count) throws IOException {
        ByteBuffer out = ByteBuffer.allocateDirect(MESSAGE);
        ByteBuffer in = ByteBuffer.allocateDirect(MESSAGE);
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            out.clear();
            while (out.hasRemaining()) ch.write(out);
            in.clear();
            readFully(ch, in);
            rtt[i] = System.nanoTime() - t0;
        }
    }

    static void readFully(SocketChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                throw new EOFException();
            }
        }
    }

    @Benchmark
    public int roundTrip() throws IOException {
        out.clear();
        while (out.hasRemaining()) {
            pair.client.write(out);
        }
        in.clear();
        readFully(pair.client, in);
        return in.get(0);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        pair.close();
        echo.join(5000);
    }
}
