package io.dmm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DMM JVM whose policy turns the MBeans off ({@code "management": {"jmx": false}}): {@code dmm ps}
 * still lists it, the other subcommands say why they cannot reach it, and a policy change that turns
 * JMX on (picked up by the file watch) registers the MBeans — and turning it off again unregisters them.
 */
class JmxOffTest {
    private static final String POLICY = """
            {
              "management": {"watch": true, "watchIntervalMs": 50, "jmx": %s},
              "stacks": [{"name": "k1", "type": "kernel"}]
            }
            """;

    @TempDir
    Path dir;

    @Test
    void theMBeansFollowThePolicysJmxSwitch() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.json"), POLICY.formatted("false"));
        try (ChildJvm app = ChildJvm.start(DmmTestApp.class, dir, "-Ddmm.config=" + policy)) {
            long pid = app.pid();
            String line = await(() -> Cli.run("ps"), r -> psLine(r, pid) != null, "ps lists " + pid);
            assertTrue(psLine(Cli.run("ps"), pid).contains(" off "), line);
            Cli status = Cli.run("status", pid);
            assertEquals(3, status.exit(), status.toString());
            assertTrue(status.err().contains("JVM " + pid + " runs DMM but its MBeans are not registered"), status.err());

            Files.writeString(policy, POLICY.formatted("true"));
            await(() -> Cli.run("status", pid), r -> r.exit() == 0, "the MBeans registered after the change");
            assertTrue(Cli.run("status", pid).out().contains("policy       v2 from " + policy), "v2 applied");
            assertTrue(psLine(Cli.run("ps"), pid).contains(" yes "));

            Files.writeString(policy, POLICY.formatted("false"));
            await(() -> Cli.run("status", pid), r -> r.exit() == 3, "the MBeans unregistered after the change");
        }
    }

    private static String psLine(Cli ps, long pid) {
        return ps.out().lines().filter(l -> l.strip().startsWith(pid + " ")).findFirst().orElse(null);
    }

    /** Runs {@code command} until its result passes (at most 20 s): the file watch acts on its own time. */
    private static String await(java.util.function.Supplier<Cli> command, Predicate<Cli> done, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        Cli last;
        while (!done.test(last = command.get())) {
            if (System.nanoTime() > deadline) {
                fail("not within 20 s: " + what + "; last run: " + last);
            }
            Thread.sleep(100);
        }
        return last.out();
    }
}
