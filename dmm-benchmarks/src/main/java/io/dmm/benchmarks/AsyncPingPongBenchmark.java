package io.dmm.benchmarks;

import io.dmm.core.DmmAsynchronousChannelProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * Round-trip time of a 64-byte message over loopback TCP with asynchronous channels in the default
 * group: the client writes and reads with Futures, the server end echoes with completion handlers
 * (a read's handler writes, the write's handler reads again), as an NIO.2 server does. {@code JDK}
 * is the platform's channels (epoll, its default group's threads); {@code DMM_KERNEL} DMM's routed
 * channels over those (what routing adds); {@code DMM_USERSPACE} DMM's routed channels on a
 * userspace instance's loopback device ({@link UserspaceRuntime}), whose handlers run on DMM's
 * default group threads, woken by the stack's notifications. With
 * {@code -prof gc}, {@code gc.alloc.rate.norm} compares what each allocates per round trip (both
 * Futures and the boxed byte counts are the API's, on either side).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AsyncPingPongBenchmark {
    @Param({"JDK", "DMM_KERNEL", "DMM_USERSPACE"})
    public String transport;

    private AsynchronousSocketChannel client;
    private AsynchronousSocketChannel server;
    private AsynchronousServerSocketChannel listener;
    private final ByteBuffer out = ByteBuffer.allocateDirect(TcpPingPongBenchmark.MESSAGE);
    private final ByteBuffer in = ByteBuffer.allocateDirect(TcpPingPongBenchmark.MESSAGE);

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        boolean jdk = transport.equals("JDK");
        boolean userspace = transport.equals("DMM_USERSPACE");
        // the userspace runtime's policy sends everything but its instance's subnet to the kernel
        AsynchronousChannelProvider provider = jdk ? AsynchronousChannelProvider.provider()
                : new DmmAsynchronousChannelProvider(UserspaceRuntime.defaults());
        InetAddress address = userspace ? UserspaceRuntime.address() : InetAddress.getLoopbackAddress();
        listener = provider.openAsynchronousServerSocketChannel(null).bind(new InetSocketAddress(address, 0));
        var accepted = listener.accept();
        client = provider.openAsynchronousSocketChannel(null);
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        client.connect(listener.getLocalAddress()).get(10, TimeUnit.SECONDS);
        server = accepted.get(10, TimeUnit.SECONDS);
        server.setOption(StandardSocketOptions.TCP_NODELAY, true);
        new Echo(server).read();
    }

    /** The server end: reads what comes and writes it back, all in completion handlers. */
    private static final class Echo {
        private final AsynchronousSocketChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(TcpPingPongBenchmark.MESSAGE);
        private final CompletionHandler<Integer, Void> onRead = new CompletionHandler<>() {
            @Override
            public void completed(Integer n, Void a) {
                if (n < 0) return;
                buf.flip();
                ch.write(buf, null, onWrite);
            }

            @Override
            public void failed(Throwable exc, Void a) {
                // the benchmark closed the pair
            }
        };
        private final CompletionHandler<Integer, Void> onWrite = new CompletionHandler<>() {
            @Override
            public void completed(Integer n, Void a) {
                if (buf.hasRemaining()) {
                    ch.write(buf, null, this);
                } else {
                    read();
                }
            }

            @Override
            public void failed(Throwable exc, Void a) {
                // the benchmark closed the pair
            }
        };

        Echo(AsynchronousSocketChannel ch) {
            this.ch = ch;
        }

        void read() {
            buf.clear();
            ch.read(buf, null, onRead);
        }
    }

    @Benchmark
    public int roundTrip() throws InterruptedException, ExecutionException, TimeoutException {
        out.clear();
        while (out.hasRemaining()) {
            client.write(out).get(10, TimeUnit.SECONDS);
        }
        in.clear();
        while (in.hasRemaining()) {
            if (client.read(in).get(10, TimeUnit.SECONDS) < 0) {
                throw new IllegalStateException("the echo end closed");
            }
        }
        return in.get(0);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        client.close();
        server.close();
        listener.close();
    }
}
