package io.dmm.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
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
 * 64-byte ping-pong RTT over loopback with DMM installed as the system-wide SelectorProvider:
 * {@code SocketChannel.open()} (DMM) against the JDK provider's own channels, each in its own fork
 * with the same JVM options ({@link SystemTransport}); the ratio comes from {@link RatioRun}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {SystemProviderFork.PROVIDER, SystemProviderFork.EXPORTS})
public class SystemPingPongBenchmark {
    @Param({"JDK", "DMM"})
    public SystemTransport transport;

    private SocketChannel client;
    private SocketChannel server;
    private Thread echo;
    private final ByteBuffer out = ByteBuffer.allocateDirect(TcpPingPongBenchmark.MESSAGE);
    private final ByteBuffer in = ByteBuffer.allocateDirect(TcpPingPongBenchmark.MESSAGE);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        try (ServerSocketChannel listener = transport.openServer()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            client = transport.openClient();
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            client.connect(listener.getLocalAddress());
            server = listener.accept();
            server.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        SocketChannel s = server;
        echo = Thread.ofPlatform().daemon().name("echo").start(() -> echoLoop(s));
    }

    private static void echoLoop(SocketChannel ch) {
        ByteBuffer buf = ByteBuffer.allocateDirect(TcpPingPongBenchmark.MESSAGE);
        try {
            while (true) {
                buf.clear();
                TcpPingPongBenchmark.readFully(ch, buf);
                buf.flip();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
        } catch (IOException closed) {
            // the benchmark closed the connection
        }
    }

    @Benchmark
    public int roundTrip() throws IOException {
        out.clear();
        while (out.hasRemaining()) {
            client.write(out);
        }
        in.clear();
        TcpPingPongBenchmark.readFully(client, in);
        return in.get(0);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        try (SocketChannel c = client; SocketChannel s = server) {
            // closes both
        }
        echo.join(5000);
    }
}
