package io.dmm.agent.compat;

import static io.dmm.agent.compat.Compat.fact;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server on a virtual-thread-per-connection executor, blocking reads on routed
 * {@code SocketChannel}s: {@link #CONNECTIONS} virtual threads are all blocked in {@code read} at
 * once, then each gets one byte and echoes it. The clients are another JVM under the agent
 * ({@link VirtualThreadClients}, the file-descriptor limit is per process), whose facts this app
 * passes on prefixed with {@code client.}.
 *
 * <p>Arguments: the agent jar, the policy, the number of connections.
 */
public final class VirtualThreadServerApp {
    /** The test's size where the open-files limit allows it. */
    static final int CONNECTIONS = 10_000;

    private VirtualThreadServerApp() {
    }

    public static void main(String[] args) throws Exception {
        Compat.provider();
        final int connections = Integer.parseInt(args[2]);
        CountDownLatch allReading = new CountDownLatch(connections);
        CountDownLatch allDone = new CountDownLatch(connections);
        AtomicInteger readsReturned = new AtomicInteger();
        AtomicInteger echoed = new AtomicInteger();
        AtomicInteger notVirtual = new AtomicInteger();
        List<Thread> readers = new CopyOnWriteArrayList<>();
        Set<String> carriers = ConcurrentHashMap.newKeySet();
        Process clients = null;
        try (ServerSocketChannel server = ServerSocketChannel.open()
                .bind(new InetSocketAddress(Compat.LOOPBACK, 0), 4096);
             ExecutorService perConnection = Executors.newVirtualThreadPerTaskExecutor()) {
            Thread acceptor = Thread.ofVirtual().name("acceptor").start(() -> {
                try {
                    for (int i = 0; i < connections; i++) {
                        SocketChannel ch = server.accept();
                        perConnection.submit(() -> {
                            readers.add(Thread.currentThread());
                            if (!Thread.currentThread().isVirtual()) {
                                notVirtual.incrementAndGet();
                            }
                            try (ch) {
                                ByteBuffer one = ByteBuffer.allocate(1);
                                allReading.countDown();
                                int n = ch.read(one); // blocks until the clients say "go"
                                readsReturned.incrementAndGet();
                                carriers.add(carrierOf(Thread.currentThread()));
                                if (n == 1) {
                                    ch.write(one.flip());
                                    echoed.incrementAndGet();
                                }
                            } catch (Exception e) {
                                e.printStackTrace();
                            } finally {
                                allDone.countDown();
                            }
                        });
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                }
            });
            long start = System.nanoTime();
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            clients = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-javaagent:" + args[0] + "=config=" + args[1], "-cp", System.getProperty("java.class.path"),
                    VirtualThreadClients.class.getName(), Integer.toString(port), Integer.toString(connections))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader fromClients = new BufferedReader(
                    new InputStreamReader(clients.getInputStream(), StandardCharsets.UTF_8));
            OutputStream toClients = clients.getOutputStream();
            relay(fromClients.readLine()); // connected=n
            if (!allReading.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("only " + (connections - allReading.getCount()) + " reads started");
            }
            fact("vt.readsStarted.ms", (System.nanoTime() - start) / 1_000_000);
            // every reader is a parked virtual thread, none has returned from read: all blocked at once
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            long parked = 0;
            while (System.nanoTime() < until) {
                parked = readers.stream().filter(t -> t.getState() == Thread.State.WAITING).count();
                if (parked == connections) {
                    break;
                }
                Thread.sleep(10);
            }
            fact("vt.readers", readers.size());
            fact("vt.blockedInReadAtOnce", readsReturned.get() == 0 ? parked : -1);
            fact("vt.notVirtual", notVirtual.get());
            toClients.write("go\n".getBytes(StandardCharsets.UTF_8));
            toClients.flush();
            if (!allDone.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("only " + (connections - allDone.getCount()) + " connections done");
            }
            fact("vt.echoed", echoed.get());
            fact("vt.carriers", carriers.size());
            fact("vt.carrierNames", String.join(" ", carriers));
            for (String l; (l = fromClients.readLine()) != null; ) {
                relay(l);
            }
            if (!clients.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("clients did not finish");
            }
            fact("client.exit", clients.exitValue());
            fact("vt.ms", (System.nanoTime() - start) / 1_000_000);
            acceptor.join();
        } finally {
            if (clients != null) {
                clients.destroyForcibly().waitFor();
            }
        }
        Compat.stats();
    }

    /** A fact of the clients' JVM as one of this one's: {@code client.key=value}. */
    private static void relay(String line) {
        if (line == null) {
            throw new IllegalStateException("the clients' JVM ended early");
        }
        System.out.println("client." + line);
    }

    /** The carrier's name from a mounted virtual thread's toString: {@code VirtualThread[#22]/runnable@ForkJoinPool-1-worker-1}. */
    private static String carrierOf(Thread vt) {
        String s = vt.toString();
        int at = s.lastIndexOf('@');
        return at < 0 ? s : s.substring(at + 1);
    }
}
