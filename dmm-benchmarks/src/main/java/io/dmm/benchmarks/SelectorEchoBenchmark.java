package io.dmm.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
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
 * A selector-driven echo over 1,000 loopback connections, as an event-loop server runs it, with DMM
 * as the system-wide provider: a server thread with one Selector echoes whatever it reads; the
 * benchmark thread writes 64 bytes on every connection and selects until all 64,000 bytes came
 * back. Score: messages per second (one op = one echoed message). {@code DMM} uses
 * {@code Selector.open()} and {@code SocketChannel.open()} (DMM's selector over routed channels);
 * {@code JDK} the JDK provider's own selector and channels, in a fork with the same JVM options.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {SystemProviderFork.PROVIDER, SystemProviderFork.EXPORTS})
public class SelectorEchoBenchmark {
    static final int CONNECTIONS = 1000;
    static final int MESSAGE = 64;

    @Param({"JDK", "DMM"})
    public SystemTransport transport;

    private ServerSocketChannel listener;
    private Selector serverSelector;
    private Thread server;
    private volatile boolean running = true;
    private Selector clientSelector;
    private final SocketChannel[] clients = new SocketChannel[CONNECTIONS];
    private final ByteBuffer message = ByteBuffer.allocateDirect(MESSAGE);
    private final ByteBuffer reply = ByteBuffer.allocateDirect(64 * 1024);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        listener = transport.openServer();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), CONNECTIONS);
        listener.configureBlocking(false);
        serverSelector = transport.openSelector();
        listener.register(serverSelector, SelectionKey.OP_ACCEPT);
        server = Thread.ofPlatform().daemon().name("echo-loop").start(this::serverLoop);

        clientSelector = transport.openSelector();
        for (int i = 0; i < CONNECTIONS; i++) {
            SocketChannel ch = transport.openClient();
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.connect(listener.getLocalAddress());
            ch.configureBlocking(false);
            ch.register(clientSelector, SelectionKey.OP_READ);
            clients[i] = ch;
        }
    }

    /** The event loop: accept, then echo back whatever arrives. */
    private void serverLoop() {
        ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
        try {
            while (running) {
                serverSelector.select();
                Iterator<SelectionKey> it = serverSelector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        SocketChannel ch;
                        while ((ch = listener.accept()) != null) {
                            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                            ch.configureBlocking(false);
                            ch.register(serverSelector, SelectionKey.OP_READ);
                        }
                    } else if (key.isReadable()) {
                        SocketChannel ch = (SocketChannel) key.channel();
                        buf.clear();
                        if (ch.read(buf) < 0) {
                            key.cancel();
                            ch.close();
                            continue;
                        }
                        buf.flip();
                        while (buf.hasRemaining()) {
                            ch.write(buf); // 64-byte echoes fit the socket buffer: this does not spin
                        }
                    }
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            if (running) {
                throw new IllegalStateException("echo loop failed", e);
            }
        }
    }

    /** Sends one message on every connection, then selects until every echo byte came back. */
    @Benchmark
    @OperationsPerInvocation(CONNECTIONS)
    public long echoRound() throws IOException {
        for (SocketChannel ch : clients) {
            message.clear();
            while (message.hasRemaining()) {
                ch.write(message);
            }
        }
        long expected = (long) CONNECTIONS * MESSAGE;
        long received = 0;
        while (received < expected) {
            clientSelector.select();
            Iterator<SelectionKey> it = clientSelector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey key = it.next();
                it.remove();
                reply.clear();
                int n = ((SocketChannel) key.channel()).read(reply);
                if (n < 0) {
                    throw new IOException("server closed a connection");
                }
                received += n;
            }
        }
        return received;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        for (SocketChannel ch : clients) {
            if (ch != null) {
                ch.close();
            }
        }
        clientSelector.close();
        // stop the loop before closing what it iterates: a selector closed under a running loop
        // would break its selected-key iteration
        running = false;
        serverSelector.wakeup();
        server.join(5000);
        for (SelectionKey key : serverSelector.keys()) {
            key.channel().close();
        }
        serverSelector.close();
        listener.close();
    }
}
