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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whether a userspace instance's shards let application threads on different connections run
 * side by side: two threads, each with a connection of its own on one loopback-device instance,
 * each driving both ends of it itself (no echo or sink thread: all the work is the two threads', so
 * what limits them is the stack's locks and the CPUs, not hand-offs). With one shard the two
 * connections share one lock; with two each has its own (a new client takes the next shard).
 * {@code write1MiB}: 1 MiB in 64 KiB writes, each read at the other end (ops/s = MiB/s, summed over
 * the threads); {@code request}: a 64-byte request read at the server end and a 64-byte response
 * read back (ops/s = requests/s). The 2-shard / 1-shard ratios come from {@link RatioRun}
 * ({@code shards-throughput}, {@code shards-requests}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(2)
public class ShardScalingBenchmark {
    static final int CHUNK = 64 * 1024;
    static final int CHUNKS_PER_OP = 16;
    static final int MESSAGE = 64;

    @Param({"DMM_USERSPACE", "DMM_USERSPACE_2_SHARDS"})
    public Transport transport;

    private LoopbackPair pair;
    private final ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
    private final ByteBuffer message = ByteBuffer.allocateDirect(MESSAGE);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        pair = LoopbackPair.open(transport);
    }

    /** One op moves 1 MiB from client to server, so ops/s is MiB/s. */
    @Benchmark
    public void write1MiB() throws IOException {
        for (int i = 0; i < CHUNKS_PER_OP; i++) {
            chunk.clear();
            while (chunk.hasRemaining()) {
                pair.client.write(chunk);
            }
            chunk.clear();
            TcpPingPongBenchmark.readFully(pair.server, chunk);
        }
    }

    /** One request and its response. */
    @Benchmark
    public int request() throws IOException {
        exchange(pair.client, pair.server);
        exchange(pair.server, pair.client);
        return message.get(0);
    }

    private void exchange(SocketChannel from, SocketChannel to) throws IOException {
        message.clear();
        while (message.hasRemaining()) {
            from.write(message);
        }
        message.clear();
        TcpPingPongBenchmark.readFully(to, message);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        pair.close();
    }
}
