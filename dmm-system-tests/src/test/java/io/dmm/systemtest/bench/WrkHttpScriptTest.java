package io.dmm.systemtest.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmm.api.testing.Waits;
import io.dmm.systemtest.host.Commands;
import io.dmm.systemtest.host.HostRequirements;
import io.dmm.systemtest.host.NetNamespace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A smoke run of dmm-benchmarks/wrk-http.sh (the HTTP benchmark of docs/benchmarks.md), a few
 * seconds per workload: it sets up both servers and both namespaces, wrk gets answers from both, it
 * prints a row of numbers for each workload, and it leaves nothing behind, also when stopped
 * half-way. The numbers themselves are not checked: speed is for the full run, not for a test.
 */
class WrkHttpScriptTest {
    static final Path SCRIPT = Path.of(System.getProperty("dmm.wrkHttp.script", "../dmm-benchmarks/wrk-http.sh")).toAbsolutePath();
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    /** A row of the script's table: workload, connections, then requests/s, ratio, p50, p99, errors and RTOs. */
    static final Pattern ROW = Pattern.compile("(?m)^(\\d+) B +(\\d+) \\| +(\\d+) +(\\d+) +(\\d+\\.\\d\\d) \\| +([\\d.]+) +([\\d.]+) \\| "
            + "+([\\d.]+) +([\\d.]+) \\| +(\\d+) +(\\d+) \\| +(\\d+) +(\\d+)$");
    static final Pattern MEDIANS = Pattern.compile("median of 3 rounds: ratio ([\\d.]+), p99 ([\\d.]+) ms \\(kernel\\) ([\\d.]+) ms \\(userspace\\)");
    static final Pattern SETUP = Pattern.compile("namespaces (\\S+) (\\S+) (\\S+), scratch (\\S+)");
    static final Pattern SERVERS = Pattern.compile("servers up: userspace pid (\\d+) .*kernel pid (\\d+) ");

    @Test
    @Timeout(value = 170, unit = TimeUnit.SECONDS)
    void aShortRunMeasuresEveryWorkloadOnBothStacksAndLeavesNothingBehind() throws Exception {
        String out = succeeds(Duration.ofSeconds(150), "--duration", "2", "--warmup", "1");
        assertTrue(out.contains("(device tap)"), () -> "the stack's own tap driver is the default\n" + out);

        Matcher row = ROW.matcher(out);
        for (String workload : List.of("64 50", "64 400", "65536 50")) {
            assertTrue(row.find(), () -> "no row for workload " + workload + "\n" + out);
            assertEquals(workload, row.group(1) + " " + row.group(2), out);
            // both servers answered, and the stack's RTO counter was read (a number, not "?")
            assertTrue(Long.parseLong(row.group(3)) > 0 && Long.parseLong(row.group(4)) > 0, () -> "requests/s of both\n" + out);
        }
        assertFalse(row.find(), () -> "more rows than workloads\n" + out);
        assertNothingLeft(out);
    }

    /** --rounds: a row per round, then the medians of the rounds' ratios and p99s. */
    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void roundsAreEachReportedAndTheirMediansAfter() throws Exception {
        String out = succeeds(Duration.ofSeconds(130), "--duration", "1", "--warmup", "1", "--workloads", "64:20", "--rounds", "3");
        Matcher row = ROW.matcher(out);
        List<Double> ratios = new ArrayList<>();
        List<Double> kernelP99 = new ArrayList<>();
        List<Double> userP99 = new ArrayList<>();
        while (row.find()) {
            ratios.add(Double.parseDouble(row.group(5)));
            kernelP99.add(Double.parseDouble(row.group(8)));
            userP99.add(Double.parseDouble(row.group(9)));
        }
        assertEquals(3, ratios.size(), () -> "a row per round\n" + out);
        Matcher medians = MEDIANS.matcher(out);
        assertTrue(medians.find(), () -> "no medians\n" + out);
        assertEquals(median(ratios), Double.parseDouble(medians.group(1)), 1e-9, out);
        assertEquals(median(kernelP99), Double.parseDouble(medians.group(2)), 1e-9, out);
        assertEquals(median(userP99), Double.parseDouble(medians.group(3)), 1e-9, out);
        assertNothingLeft(out);
    }

    /** Runs the script with {@code args} (wrk needed), waits up to {@code limit}, and returns its output after a 0 exit. */
    private static String succeeds(Duration limit, String... args) throws Exception {
        HostRequirements.requireTool("wrk", "wrk");
        Run run = Run.start(args);
        String out = run.await(limit);
        assertEquals(0, run.process.exitValue(), () -> "the script failed\n" + out);
        return out;
    }

    private static double median(List<Double> three) {
        List<Double> sorted = new ArrayList<>(three);
        Collections.sort(sorted);
        return sorted.get(1);
    }

    /** The same server on DPDK's net_tap PMD instead of the stack's own tap driver. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void onDpdksNetTapToo() throws Exception {
        String out = succeeds(Duration.ofSeconds(100), "--duration", "2", "--warmup", "1", "--workloads", "64:50", "--device", "net_tap");
        assertTrue(out.contains("(device net_tap)"), out);
        Matcher row = ROW.matcher(out);
        assertTrue(row.find() && Long.parseLong(row.group(4)) > 0, () -> "the userspace server answered\n" + out);
        assertNothingLeft(out);
    }

    @Test
    @Timeout(value = 170, unit = TimeUnit.SECONDS)
    void stoppedHalfWayItStillRemovesEverythingItMade() throws Exception {
        HostRequirements.requireTool("wrk", "wrk");
        Run run = Run.start("--duration", "60", "--warmup", "60");
        Waits.until(() -> "the servers up\n" + run.output(), Duration.ofSeconds(120),
                () -> SERVERS.matcher(run.output()).find() || !run.process.isAlive());
        assertTrue(run.process.isAlive(), run::output);
        Thread.sleep(1_000); // wrk is running in the namespace now
        run.process.destroy(); // SIGTERM
        String out = run.await(Duration.ofSeconds(60));
        assertEquals(143, run.process.exitValue(), () -> "the script's exit on SIGTERM\n" + out);
        assertNothingLeft(out);
    }

    /** The namespaces, scratch directory, server JVMs and EAL run directory the script named are all gone. */
    private static void assertNothingLeft(String out) {
        Matcher setup = SETUP.matcher(out);
        assertTrue(setup.find(), out);
        Matcher servers = SERVERS.matcher(out);
        assertTrue(servers.find(), out);
        String namespaces = Commands.runOk(NetNamespace.COMMAND_TIMEOUT, List.of("ip", "netns", "list")).stdout();
        for (int i = 1; i <= 3; i++) {
            assertFalse(namespaces.contains(setup.group(i)), "namespace " + setup.group(i) + " left behind:\n" + namespaces);
        }
        assertFalse(Files.exists(Path.of(setup.group(4))), "scratch directory left behind");
        for (int i = 1; i <= 2; i++) {
            long pid = Long.parseLong(servers.group(i));
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "server " + pid + " still running");
        }
        assertFalse(Files.exists(Path.of("/var/run/dpdk/dmm-" + servers.group(1))), "the userspace server's EAL run directory left behind");
    }

    /** The script running as a child, its output (stdout and stderr together) in a file. */
    private record Run(Process process, Path log) {
        static Run start(String... options) throws IOException {
            assertTrue(Files.isRegularFile(SCRIPT), SCRIPT + " is missing");
            Path agent = Path.of(System.getProperty("dmm.agent.jar", "../dmm-agent/target/dmm-agent.jar")).toAbsolutePath();
            assertTrue(Files.isRegularFile(agent), agent + " is missing: build dmm-agent first (mvn -B verify -Psystem builds it)");
            Path log = Files.createTempFile("wrk-http", ".out");
            log.toFile().deleteOnExit();
            List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
            command.addAll(List.of(options));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            pb.environment().put("JAVA", JAVA);
            pb.environment().put("DMM_AGENT_JAR", agent.toString());
            return new Run(pb.start(), log);
        }

        String output() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(cannot read the script's output: " + e + ")";
            }
        }

        /** Waits for the script to end by itself; kills it (its trap still cleans up) if it does not in time. */
        String await(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy();
                process.waitFor(60, TimeUnit.SECONDS);
                throw new AssertionError("the script did not end within " + timeout + "\n" + output());
            }
            return output();
        }
    }
}
