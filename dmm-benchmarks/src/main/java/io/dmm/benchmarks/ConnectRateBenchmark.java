package io.dmm.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
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
 * Connection set-up rate over loopback with DMM as the system-wide provider: one op opens a client
 * channel, connects (a routing decision for DMM), accepts it on the listener, and closes both.
 * The client closes with SO_LINGER 0 (RST) so no TIME_WAIT piles up and ephemeral ports last the
 * run; both transports do the same.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {SystemProviderFork.PROVIDER, SystemProviderFork.EXPORTS})
public class ConnectRateBenchmark {
    @Param({"JDK", "DMM"})
    public SystemTransport transport;

    private ServerSocketChannel listener;
    private SocketAddress address;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        listener = transport.openServer();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        address = listener.getLocalAddress();
    }

    @Benchmark
    public boolean connectAcceptClose() throws IOException {
        SocketChannel client = transport.openClient();
        try (client) {
            client.setOption(StandardSocketOptions.SO_LINGER, 0);
            client.connect(address);
            try (SocketChannel accepted = listener.accept()) {
                return accepted.isConnected();
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        listener.close();
    }
}
