package io.dmm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code dmm} subcommand against a real JVM running DMM ({@link DmmTestApp}, started here with
 * a policy file of two kernel stacks): its output, its JSON, its exit codes — also for a process
 * that does not exist, a JVM without DMM, a bad policy file and a rejected reload.
 */
class DmmCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String POLICY = """
            {
              "management": {"watch": false},
              "stacks": [
                {"name": "k1", "type": "kernel"},
                {"name": "k2", "type": "kernel", "options": {"TCP_NODELAY": true}}
              ],
              "default": "k1",
              "rules": [
                {"name": "loopback clients", "proto": "tcp", "role": "client", "dst": "127.0.0.0/8", "stacks": ["k2", "k1"]},
                {"name": "servers", "proto": "tcp", "role": "server", "stack": "k1"}
              ]
            }
            """;
    /** The same policy with an error at line 9, column 75. */
    static final String BAD_POLICY = POLICY.replace("127.0.0.0/8", "127.0.0.0/33");

    @TempDir
    static Path dir;
    private static Path policy;
    private static ChildJvm app;
    private static long pid;

    @BeforeAll
    static void startApp() throws Exception {
        policy = Files.writeString(dir.resolve("policy.json"), POLICY);
        app = ChildJvm.start(DmmTestApp.class, dir, "-Ddmm.config=" + policy);
        pid = app.pid();
    }

    @AfterAll
    static void stopApp() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    private static JsonNode json(Cli r) throws Exception {
        assertEquals(0, r.exit(), r.toString());
        return JSON.readTree(r.out());
    }

    @Test
    void psListsTheDmmJvm() throws Exception {
        Cli r = Cli.run("ps");
        assertEquals(0, r.exit(), r.toString());
        String line = r.out().lines().filter(l -> l.strip().startsWith(pid + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("pid " + pid + " not listed:\n" + r));
        assertTrue(line.contains(DmmTestApp.class.getName()), line);
        assertTrue(line.contains(policy.toString()), line);
        assertTrue(line.contains(" yes "), line);

        JsonNode found = null;
        for (JsonNode n : json(Cli.run("ps", "--json"))) {
            if (n.get("pid").asLong() == pid) {
                found = n;
            }
        }
        assertTrue(found != null, "pid " + pid + " in ps --json");
        assertEquals(DmmTestApp.class.getName(), found.get("main").asText());
        assertEquals(policy.toString(), found.get("policy").asText());
        assertTrue(found.get("version").asLong() >= 1);
        assertTrue(found.get("jmx").asBoolean());
    }

    @Test
    void statusShowsThePolicyVersionAndItsSource() throws Exception {
        Cli r = Cli.run("status", pid);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains(" from " + policy + "\n"), r.out());
        assertTrue(r.out().contains("stacks       2 (k1, k2)\n"), r.out());
        assertTrue(r.out().contains("file         " + policy + "\n"), r.out());

        JsonNode s = json(Cli.run("status", pid, "--json"));
        assertEquals(pid, s.get("pid").asLong());
        assertTrue(s.get("version").asLong() >= 1);
        assertEquals(policy.toString(), s.get("origin").asText());
        assertEquals(2, s.get("rules").asInt());
        assertEquals("[\"k1\",\"k2\"]", s.get("stackNames").toString());
        assertTrue(s.has("lastChange"));
    }

    @Test
    void stacksShowsEachInstanceWithItsCounters() throws Exception {
        Cli r = Cli.run("stacks", pid);
        assertEquals(0, r.exit(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("NAME  TYPE    HEALTH  ADMIN"), lines.get(0));
        assertTrue(lines.get(1).matches("k1 +kernel +UP +active +\\d+.*"), lines.get(1));
        assertTrue(lines.get(2).matches("k2 +kernel +UP +active +\\d+.*"), lines.get(2));

        JsonNode stacks = json(Cli.run("stacks", pid, "--json"));
        assertEquals(2, stacks.size());
        JsonNode k2 = stacks.get(1);
        assertEquals("k2", k2.get("name").asText());
        assertTrue(k2.get("source").asText().startsWith(policy + ":"), k2.toString());
        // the app's clients connect to loopback: rule #0 sends them to k2
        assertTrue(k2.get("decisions").asLong() >= DmmTestApp.CLIENTS, k2.toString());
        assertTrue(k2.get("connectsOk").asLong() >= DmmTestApp.CLIENTS, k2.toString());
        assertTrue(k2.get("bytesOut").asLong() >= "hello 0hello 1".length(), k2.toString());
        assertTrue(k2.get("stackCounters").isObject(), k2.toString());
    }

    @Test
    void routesShowsTheRulesWithTheirHits() throws Exception {
        Cli r = Cli.run("routes", pid);
        assertEquals(0, r.exit(), r.toString());
        String rule0 = r.out().lines().filter(l -> l.startsWith("#0 ")).findFirst().orElseThrow(() -> new AssertionError(r.toString()));
        assertTrue(rule0.matches("#0 +\\d+ +k2,k1 +" + policy + ":9 +loopback clients: .*"), rule0);
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("default ")), r.out());

        JsonNode rules = json(Cli.run("routes", pid, "--json"));
        assertEquals(3, rules.size());
        assertEquals("0", rules.get(0).get("index").asText());
        assertTrue(rules.get(0).get("hits").asLong() >= DmmTestApp.CLIENTS, rules.toString());
        assertEquals("[\"k2\",\"k1\"]", rules.get(0).get("stacks").toString());
        assertEquals("default", rules.get(2).get("index").asText());
    }

    @Test
    void socketsListsTheSocketTable() throws Exception {
        Cli r = Cli.run("sockets", pid);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().lines().findFirst().orElse("")
                .matches("ID +STACK +PROTO +KIND +STATE +LOCAL +REMOTE +BYTES-IN +BYTES-OUT +AGE +RULE"), r.out());
        JsonNode sockets = json(Cli.run("sockets", pid, "--json"));
        long count = json(Cli.run("status", pid, "--json")).get("sockets").asLong();
        assertEquals(count, sockets.size(), "the table lists what the JVM counts");
        assertTrue(r.out().contains("\n" + count + " socket"), r.out());
        List<String> kinds = new java.util.ArrayList<>();
        for (JsonNode s : sockets) {
            assertEquals("tcp", s.get("protocol").asText(), s.toString());
            assertTrue(List.of("k1", "k2").contains(s.get("stack").asText()), s.toString());
            kinds.add(s.get("kind").asText() + " " + s.get("state").asText());
            if (!s.get("kind").asText().equals("server")) {
                assertTrue(s.get("bytesIn").asLong() + s.get("bytesOut").asLong() > 0, "bytes counted: " + s);
            }
        }
        kinds.sort(null);
        assertEquals(List.of("accepted established", "accepted established", "client established",
                "client established", "server listening"), kinds, r.out());
    }

    @Test
    void explainAsksTheJvmOrAFile() throws Exception {
        Cli r = Cli.run("explain", pid, "tcp", "client", "127.0.0.1:8080");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().startsWith("rule     #0  (" + policy + ":9)\nstacks   k2, k1\n"), r.out());

        JsonNode fromJvm = json(Cli.run("explain", pid, "tcp", "client", "203.0.113.5:443", "--json"));
        JsonNode fromFile = json(Cli.run("explain", policy, "tcp", "client", "203.0.113.5:443", "--json"));
        assertEquals(-1, fromJvm.get("rule").asInt());
        assertEquals("[\"k1\"]", fromJvm.get("stacks").toString());
        assertEquals(fromJvm.get("rule"), fromFile.get("rule"));
        assertEquals(fromJvm.get("stacks"), fromFile.get("stacks"));
        assertEquals(fromJvm.get("reason"), fromFile.get("reason"));

        JsonNode hinted = json(Cli.run("explain", pid, "tcp", "client", "127.0.0.1:80", "--stack", "k1", "--json"));
        assertEquals("explicit stack hint", hinted.get("source").asText());

        Cli badRole = Cli.run("explain", pid, "tcp", "sender", "127.0.0.1:80");
        assertEquals(2, badRole.exit(), badRole.toString());
        assertTrue(badRole.err().contains("role \"sender\" is not a tcp role"), badRole.err());
        Cli unknownStack = Cli.run("explain", pid, "tcp", "client", "127.0.0.1:80", "--stack", "zz");
        assertEquals(1, unknownStack.exit(), unknownStack.toString());
        assertTrue(unknownStack.err().contains("unknown stack \"zz\""), unknownStack.err());
    }

    @Test
    void checkValidatesAFileAndLocatesItsError() throws Exception {
        Cli ok = Cli.run("check", policy);
        assertEquals(0, ok.exit(), ok.toString());
        assertEquals(policy + ": valid: 2 stacks (k1, k2), 2 rules, default -> k1\n", ok.out());

        Path bad = Files.writeString(dir.resolve("bad.json"), BAD_POLICY);
        Cli r = Cli.run("check", bad);
        assertEquals(1, r.exit(), r.toString());
        assertEquals("dmm: " + bad + ":9:75: rules[0].dst: \"127.0.0.0/33\" is not a CIDR: prefix length must be 0..32\n",
                r.err());
        Cli j = Cli.run("check", bad, "--json");
        assertEquals(1, j.exit(), j.toString());
        JsonNode e = JSON.readTree(j.out());
        assertFalse(e.get("valid").asBoolean());
        assertEquals(9, e.get("line").asInt());
        assertEquals(75, e.get("column").asInt());
        assertEquals("rules[0].dst", e.get("path").asText());

        Cli missing = Cli.run("check", dir.resolve("nothing-here.json"));
        assertEquals(1, missing.exit(), missing.toString());
        assertTrue(missing.err().contains("nothing-here.json"), missing.err());
    }

    @Test
    void reloadAppliesTheFileOrPrintsWhyItWasRejected() throws Exception {
        long before = json(Cli.run("status", pid, "--json")).get("version").asLong();
        Cli ok = Cli.run("reload", pid);
        assertEquals(0, ok.exit(), ok.toString());
        assertEquals("policy v" + (before + 1) + " applied from " + policy + ": 2 stacks, 2 rules\n", ok.out());
        try {
            Files.writeString(policy, BAD_POLICY);
            Cli rejected = Cli.run("reload", pid);
            assertEquals(1, rejected.exit(), rejected.toString());
            assertTrue(rejected.err().contains("rejected the reload; policy v" + (before + 1) + " stays in force: "
                    + policy + ":9:75: rules[0].dst: \"127.0.0.0/33\" is not a CIDR"), rejected.err());
            Cli asJson = Cli.run("reload", pid, "--json");
            assertEquals(1, asJson.exit(), asJson.toString());
            JsonNode j = JSON.readTree(asJson.out());
            assertFalse(j.get("applied").asBoolean());
            assertEquals(before + 1, j.get("version").asLong());
            assertTrue(j.get("error").asText().startsWith(policy + ":9:75: "), j.toString());

            JsonNode last = json(Cli.run("status", pid, "--json")).get("lastChange");
            assertFalse(last.get("applied").asBoolean());
            assertEquals("reload", last.get("trigger").asText());
            Cli text = Cli.run("status", pid);
            assertTrue(text.out().contains("error        " + policy + ":9:75: rules[0].dst"), text.out());
        } finally {
            Files.writeString(policy, POLICY);
        }
    }

    @Test
    void drainThenStacksShowsDrainingAndUndrainRestores() throws Exception {
        try {
            Cli d = Cli.run("drain", pid, "k2");
            assertEquals(0, d.exit(), d.toString());
            assertTrue(d.out().startsWith("k2: draining; no new sockets, its "), d.out());
            String k2 = Cli.run("stacks", pid).out().lines().filter(l -> l.startsWith("k2 ")).findFirst().orElseThrow();
            assertTrue(k2.matches("k2 +kernel +UP +draining .*"), k2);
            assertEquals("draining", json(Cli.run("stacks", pid, "--json")).get(1).get("admin").asText());
        } finally {
            Cli u = Cli.run("undrain", pid, "k2");
            assertEquals(0, u.exit(), u.toString());
            assertEquals("k2: active; takes new sockets again\n", u.out());
        }
        assertEquals("active", json(Cli.run("stacks", pid, "--json")).get(1).get("admin").asText());
        Cli unknown = Cli.run("drain", pid, "zz");
        assertEquals(1, unknown.exit(), unknown.toString());
        assertTrue(unknown.err().contains("has no stack instance \"zz\"; it has: k1, k2"), unknown.err());
    }

    @Test
    void aProcessThatIsNotThereOrNotDmmCannotBeReached() throws Exception {
        long gone = pid + 1;
        while (ProcessHandle.of(gone).isPresent()) {
            gone++;
        }
        Cli none = Cli.run("status", gone);
        assertEquals(3, none.exit(), none.toString());
        assertTrue(none.err().contains("no process " + gone), none.err());

        try (ChildJvm idle = ChildJvm.start(IdleApp.class, dir)) {
            Cli r = Cli.run("stacks", idle.pid());
            assertEquals(3, r.exit(), r.toString());
            assertTrue(r.err().contains("JVM " + idle.pid() + " (" + IdleApp.class.getName() + ") does not run DMM"),
                    r.err());
            assertFalse(Cli.run("ps").out().contains(IdleApp.class.getName()), "ps lists DMM JVMs only");
        }
    }

    @Test
    void usageErrors() {
        assertEquals(2, Cli.run().exit());
        Cli unknown = Cli.run("frobnicate");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("unknown command \"frobnicate\""), unknown.err());
        Cli missing = Cli.run("status");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("usage: dmm status PID"), missing.err());
        assertEquals(2, Cli.run("status", "abc").exit());
        assertEquals(2, Cli.run("drain", pid).exit());
        Cli option = Cli.run("explain", pid, "tcp", "client", "1.2.3.4:5", "--bogus", "x");
        assertEquals(2, option.exit());
        assertTrue(option.err().contains("unknown option --bogus"), option.err());
        Cli help = Cli.run("--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("explain PID|FILE"), help.out());
    }

    /** The launcher at the repository root finds JDK 25 and runs the same command. */
    @Test
    void theLauncherRunsTheSubcommands() throws Exception {
        Path bad = Files.writeString(dir.resolve("launcher-bad.json"), BAD_POLICY);
        Cli status = launcher("status", Long.toString(pid));
        assertEquals(0, status.exit(), status.toString());
        assertTrue(status.out().contains(" from " + policy + "\n"), status.out());
        Cli check = launcher("check", bad.toString());
        assertEquals(1, check.exit(), check.toString());
        assertTrue(check.err().contains(bad + ":9:75: rules[0].dst"), check.err());
        assertEquals(2, launcher("drain", Long.toString(pid)).exit());
    }

    private static Cli launcher(String... args) throws Exception {
        Path script = Path.of("..", "dmm").toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(script), "the launcher is at " + script);
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "launcher", ".out");
        Path err = Files.createTempFile(dir, "launcher", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            // the launcher would build dmm-cli if its classes were older than the sources; here they are fresh
            assertTrue(p.waitFor(40, TimeUnit.SECONDS), "the launcher did not finish: " + Files.readString(err));
        } finally {
            p.destroyForcibly();
        }
        return new Cli(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err));
    }
}
