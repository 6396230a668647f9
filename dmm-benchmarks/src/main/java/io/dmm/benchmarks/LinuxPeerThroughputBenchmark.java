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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Bulk TCP throughput to Linux's own TCP stack in a network namespace, a discard sink (socat)
 * receiving: from a raw JDK channel over a veth pair (Linux to Linux), and from DMM's userspace
 * stack on a tap (its own tap driver, and DPDK's {@code net_tap} port; {@link LinuxPeer}). The client writes 1 MiB per operation in
 * 64 KiB writes, so ops/s is MiB/s. The trial's setup creates the namespace, interfaces and sink,
 * its teardown removes them; it needs root, {@code ip} and {@code socat}, and DPDK for the net_tap path.
 * As none of its values runs on any host, {@code ./dmm bench} ({@link BenchMain}) runs it only when
 * a benchmark pattern names it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LinuxPeerThroughputBenchmark {
    @Param({"VETH_JDK", "TAP_DRIVER_DMM_USERSPACE", "TAP_DMM_USERSPACE"})
    public LinuxPeer path;

    private LinuxPeer.Connection connection;
    private SocketChannel client;
    private final ByteBuffer chunk = ByteBuffer.allocateDirect(TcpThroughputBenchmark.CHUNK);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        connection = path.connect("LinuxPeerThroughputBenchmark");
        client = connection.channel();
    }

    /** One op moves 1 MiB, so ops/s is MiB/s. */
    @Benchmark
    public void write1MiB() throws IOException {
        for (int i = 0; i < TcpThroughputBenchmark.CHUNKS_PER_OP; i++) {
            chunk.clear();
            while (chunk.hasRemaining()) {
                client.write(chunk);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        connection.close();
    }
}
