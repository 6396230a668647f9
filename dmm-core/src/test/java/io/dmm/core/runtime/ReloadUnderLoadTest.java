package io.dmm.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dmm.api.PolicyStatus;
import io.dmm.api.RouteExplanation;
import io.dmm.api.RouteHints;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reload-under-load test: client threads open, route, use and close sockets without a
 * pause while the watched policy file is rewritten 100 times, some versions invalid. No socket may
 * fail, no invalid version may take effect, and every decision must come whole from one version:
 * the rule it names and the stack it went to both belong to the version it reports.
 */
class ReloadUnderLoadTest {
    private static final int REWRITES = 100;
    private static final int CLIENTS = 4;

    /** What file number {@code k} says: valid or not, its rule's name and target. */
    private record Version(int k, boolean valid, String ruleName, String stack, boolean addsStack) {
        String json(int port) {
            String stacks = "{\"name\": \"ka\", \"type\": \"kernel\"}, {\"name\": \"kb\", \"type\": \"kernel\"}"
                    + (addsStack ? ", {\"name\": \"kc\", \"type\": \"kernel\"" + (valid ? "" : ", \"noSuchSetting\": 1")
                    + "}" : "");
            String target = !valid && !addsStack && k % 2 == 0 ? "nope" : stack;
            String text = "{\"management\": {\"watchIntervalMs\": 10},\n \"stacks\": [" + stacks + "],\n"
                    + " \"default\": \"ka\",\n \"rules\": [{\"name\": \"" + ruleName + "\", \"proto\": \"tcp\","
                    + " \"role\": \"client\", \"port\": " + port + ", \"stack\": \"" + target + "\"}]}\n";
            return !valid && !addsStack && k % 2 == 1 ? text.substring(0, text.length() / 2) : text; // truncated JSON
        }
    }

    private static Version version(int k) {
        boolean valid = k == 0 || k % 7 != 3;
        boolean addsStack = k % 10 == 5 || k % 10 == 3; // k%10==3 && k%7==3 (e.g. 73): bad settings for kc
        String stack = addsStack ? "kc" : k % 2 == 0 ? "ka" : "kb";
        return new Version(k, valid, "v" + k, stack, addsStack);
    }

    private record Observation(long policyVersion, String reason, List<String> stacks) {
    }

    @Test
    void hundredRewritesWhileSocketsOpenAndClose(@TempDir Path dir) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            Thread acceptor = Thread.ofPlatform().daemon().start(() -> serve(server));
            Path file = dir.resolve("policy.json");
            Files.writeString(file, version(0).json(port));
            try (DmmRuntime runtime = DmmRuntime.fromFile(file, null)) {
                Map<Long, Version> byPolicyVersion = new ConcurrentHashMap<>();
                byPolicyVersion.put(1L, version(0));
                ConcurrentLinkedQueue<Observation> seen = new ConcurrentLinkedQueue<>();
                ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
                AtomicBoolean stop = new AtomicBoolean();
                List<Thread> clients = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    clients.add(Thread.ofPlatform().start(() -> {
                        while (!stop.get()) {
                            try {
                                seen.add(oneConnection(runtime, port));
                            } catch (Throwable t) {
                                failures.add(t);
                            }
                        }
                    }));
                }
                int rejected = 0;
                for (int k = 1; k <= REWRITES; k++) {
                    Version v = version(k);
                    PolicyStatus.Change before = runtime.status().lastChange();
                    Path tmp = dir.resolve("policy.json.tmp");
                    Files.writeString(tmp, v.json(port));
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    PolicyStatus.Change change = awaitChange(runtime, before, v);
                    assertEquals(v.valid(), change.applied(), "file " + k + ": " + change);
                    if (v.valid()) {
                        byPolicyVersion.put(change.version(), v);
                    } else {
                        rejected++;
                        assertFalse(change.error().isEmpty());
                        assertTrue(change.error().contains("policy.json"), "a located error: " + change.error());
                    }
                    Thread.sleep(5); // let some connections run on this version
                }
                stop.set(true);
                for (Thread t : clients) {
                    assertTrue(t.join(Duration.ofSeconds(10)), "a client did not stop: " + List.of(t.getStackTrace()));
                }
                if (!failures.isEmpty()) {
                    Throwable first = failures.peek();
                    fail(failures.size() + " socket(s) failed during reloads; first: " + first, first);
                }
                assertTrue(rejected >= 10, "the test writes invalid versions: " + rejected);
                assertEquals(REWRITES - rejected + 1, runtime.status().version());
                checkObservations(seen, byPolicyVersion);
                awaitNoRetiring(runtime);
            } finally {
                server.close();
                acceptor.join(5_000);
            }
        }
    }

    private static Observation oneConnection(DmmRuntime runtime, int port) throws IOException {
        try (SocketChannel ch = runtime.openSocketChannel(null, RouteHints.none())) {
            ch.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            RouteExplanation e = Router.explainChannel(ch).orElseThrow();
            ch.write(ByteBuffer.wrap(new byte[] {42}));
            ByteBuffer b = ByteBuffer.allocate(1);
            while (ch.read(b) >= 0) {
                b.clear(); // the server closes first: no TIME_WAIT piles up on the client's ports
            }
            return new Observation(e.policyVersion(), e.reason(), e.stacks());
        }
    }

    private static void serve(ServerSocketChannel server) {
        while (server.isOpen()) {
            try (SocketChannel c = server.accept()) {
                c.read(ByteBuffer.allocate(1));
            } catch (IOException e) {
                // closed at the end of the test
            }
        }
    }

    private static PolicyStatus.Change awaitChange(DmmRuntime runtime, PolicyStatus.Change before, Version v)
            throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            PolicyStatus.Change c = runtime.status().lastChange();
            if (c != null && c != before) {
                return c;
            }
            Thread.sleep(2);
        }
        throw new AssertionError("the policy file watch did not act on file " + v.k() + " within 10 s");
    }

    /** Each decision's rule and stack are the ones of the version it reports; rejected files never decided. */
    private static void checkObservations(Iterable<Observation> seen, Map<Long, Version> byPolicyVersion) {
        int count = 0;
        Set<Long> versionsSeen = new java.util.HashSet<>();
        for (Observation o : seen) {
            count++;
            Version v = byPolicyVersion.get(o.policyVersion());
            if (v == null) {
                fail("a decision reports policy v" + o.policyVersion() + ", which never took effect: " + o);
            }
            versionsSeen.add(o.policyVersion());
            assertTrue(o.reason().contains(v.ruleName() + ": "), "rule of v" + o.policyVersion() + " (file " + v.k()
                    + ") expected, got: " + o.reason());
            assertEquals(List.of(v.stack()), o.stacks(), o.reason());
        }
        assertTrue(count > REWRITES, "the clients made " + count + " connections");
        assertTrue(versionsSeen.size() > 10, "decisions made by " + versionsSeen.size() + " versions");
    }

    private static void awaitNoRetiring(DmmRuntime runtime) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!runtime.registry().retiring().isEmpty()) {
            if (System.nanoTime() > deadline) {
                fail("retired stack instances still running: " + runtime.registry().retiring());
            }
            Thread.sleep(10);
        }
    }
}
