package io.dmm.benchmarks;

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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Bulk throughput over loopback TCP: the client writes 1 MiB per operation in 64 KiB writes, a
 * sink thread reads and discards. The score is MiB/s (one op = 1 MiB). Each transport runs in its
 * own fork, one value after the other; the DMM/JDK ratios come from {@link RatioRun}, which
 * alternates the forks.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TcpThroughputBenchmark {
    static final int CHUNK = 64 * 1024;
    static final int CHUNKS_PER_OP = 16;

    /** The values that run on any host; DMM_DPDK_RING is opt-in (it needs DPDK). */
    @Param({"JDK", "DMM_KERNEL", "DMM_USERSPACE", "DMM_USERSPACE_NOSPIN"})
    public Transport transport;

    private LoopbackPair pair;
    private Thread sink;
    private final ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        pair = LoopbackPair.open(transport);
        SocketChannel server = pair.server;
        sink = Thread.ofPlatform().daemon().name("sink").start(() -> drain(server));
    }

    private static void drain(SocketChannel ch) {
        ByteBuffer buf = ByteBuffer.allocateDirect(4 * CHUNK);
        try {
            while (ch.read(buf) >= 0) {
                buf.clear();
            }
        } catch (IOException closed) {
            // the benchmark closed the pair
        }
    }

    /** One op moves 1 MiB, so ops/s is MiB/s. */
    @Benchmark
    @OperationsPerInvocation(1)
    public void write1MiB() throws IOException {
        for (int i = 0; i < CHUNKS_PER_OP; i++) {
            chunk.clear();
            while (chunk.hasRemaining()) {
                pair.client.write(chunk);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        pair.close();
        sink.join(5000);
    }
}
