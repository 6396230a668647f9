package io.dmm.systemtest.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The harness itself, with no DPDK: namespaces, commands inside them, and that close leaves nothing behind. */
class NetNamespaceTest {

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void closeEndsProcessesAndRemovesTheNamespaceItsVethAndItsFiles() throws Exception {
        NetNamespace ns = NetNamespace.create();
        String outside = ns.addVethPair("dvitest");
        BackgroundProcess sleeper = ns.spawn("sleep", "600");
        // A process started inside by other means than spawn: close must find it too.
        ns.shell(Duration.ofSeconds(5), "sleep 600 >/dev/null 2>&1 &");
        Path scratch = ns.scratch();
        Files.writeString(scratch.resolve("f"), "x");
        assertTrue(Commands.run(NetNamespace.COMMAND_TIMEOUT, List.of("ip", "netns", "pids", ns.name())).stdout().lines().count() >= 2);

        ns.close();

        assertFalse(sleeper.isAlive());
        assertFalse(Commands.runOk(NetNamespace.COMMAND_TIMEOUT, List.of("ip", "netns", "list")).stdout().contains(ns.name()));
        assertNotEquals(0, Commands.run(NetNamespace.COMMAND_TIMEOUT, List.of("ip", "link", "show", outside)).exitCode());
        assertFalse(Files.exists(scratch));
        ns.close(); // idempotent
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void insideIsOnlyLoopbackAndTheInterfacesWeMoveIn() {
        try (NetNamespace ns = NetNamespace.create()) {
            ns.addVethPair("dvione");
            ns.configure("dvione", "10.231.9.1/24");
            String links = ns.execOk("ip", "-o", "link", "show").stdout();
            assertEquals(2, links.lines().count(), links);
            assertTrue(links.contains(": lo:") && links.contains(": dvione@"), links);
            String addresses = ns.execOk("ip", "-o", "-4", "addr", "show", "dev", "dvione").stdout();
            assertTrue(addresses.contains("10.231.9.1/24"), addresses);
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void execReportsExitCodeAndBothOutputsAndFailsOnTimeout() {
        try (NetNamespace ns = NetNamespace.create()) {
            CommandResult r = ns.shell(Duration.ofSeconds(5), "echo out; echo err >&2; exit 3");
            assertEquals(3, r.exitCode());
            assertEquals("out\n", r.stdout());
            assertEquals("err\n", r.stderr());

            AssertionError e = assertThrows(AssertionError.class, () -> ns.exec(Duration.ofMillis(300), "sleep", "600"));
            assertTrue(e.getMessage().contains("did not finish within"), e.getMessage());
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void awaitListeningSeesAServerInside() throws Exception {
        try (NetNamespace ns = NetNamespace.create()) {
            BackgroundProcess server = ns.spawn("socat", "TCP-LISTEN:7555,bind=127.0.0.1,reuseaddr", "EXEC:cat");
            ns.awaitListening(7555, server);
            CommandResult r = ns.shell(Duration.ofSeconds(5), "printf abc | nc -N 127.0.0.1 7555");
            assertEquals("abc", r.stdout(), r::describe);
        }
    }

    @Test
    void interfaceNamesAreUniqueAndShortEnough() {
        String a = NetNamespace.uniqueInterfaceName("dtp");
        String b = NetNamespace.uniqueInterfaceName("dtp");
        assertNotEquals(a, b);
        assertTrue(a.length() <= 15, a);
    }
}
