package io.dmm.agent.compat;

import static org.junit.jupiter.api.Assertions.*;

import io.dmm.agent.it.ChildJvm;
import java.util.List;

/**
 * The framework matrix's shared half: runs an app under compat-userspace-policy.json (a userspace
 * instance "user" owning 127.0.0.1/8 on a loopback device; IPv6 to the kernel) and checks, from DMM's
 * counters, that every socket of the exchange was on the userspace stack.
 */
final class UserspaceRun {
    static final String POLICY = ChildJvm.TEST_CLASSES.resolve("compat-userspace-policy.json").toString();

    private UserspaceRun() {
    }

    static CompatRun app(Class<?> app, String... args) throws Exception {
        return CompatRun.run(POLICY, List.of(), app, List.of(args));
    }

    /** As {@link #app} with JVM options before the class name. */
    static CompatRun app(List<String> jvmOptions, Class<?> app, String... args) throws Exception {
        return CompatRun.run(POLICY, jvmOptions, app, List.of(args));
    }

    /** {@link EchoRequests}' GETs and POSTs all came back right, over one listener on "user" (> 100 kB each way). */
    static void assertEchoedOverUserspace(CompatRun r) {
        String why = r.describe();
        assertEquals(EchoRequests.GETS, r.num("http.gets.ok"), why);
        assertEquals(EchoRequests.POSTS, r.num("http.posts.ok"), why);
        assertAllOnUserspace(r, 1, 100_000);
    }

    /**
     * Every socket was on "user": {@code listeners} listening sockets, and for every client connect one
     * client socket and one the server accepted; none on the kernel. Both ends were on the same stack,
     * so what it sent is what it received, at least {@code minBytes} of it; every socket was closed.
     */
    static void assertAllOnUserspace(CompatRun r, int listeners, long minBytes) {
        assertAllOnUserspace(r, listeners, minBytes, 0);
    }

    /**
     * As {@link #assertAllOnUserspace(CompatRun, int, long)}, where up to {@code unreadAtClose} bytes sent
     * may not have been read: a protocol whose last words at shutdown can cross a close (HTTP/2's GOAWAY).
     */
    static void assertAllOnUserspace(CompatRun r, int listeners, long minBytes, long unreadAtClose) {
        String why = r.describe();
        long connects = r.num("stats.user.connectsOk");
        assertTrue(connects >= 1, why);
        assertEquals(listeners + 2 * connects, r.num("stats.user.opened"), why);
        assertEquals(0, r.num("stats.user.connectsFailed"), why);
        long out = r.num("stats.user.bytesOut");
        long unread = out - r.num("stats.user.bytesIn");
        assertTrue(out >= minBytes, why);
        assertTrue(unread >= 0 && unread <= unreadAtClose, () -> unread + " bytes sent, not received\n" + why);
        assertEquals(0, r.num("stats.user.active"), why);
        assertEquals(0, r.num("stats.kernel.opened"), why);
    }
}
