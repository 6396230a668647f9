package io.dmm.agent.compat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace of the test's own, where the Linux kernel (and curl) play the peer of a
 * userspace stack on a DPDK tap port. The agent ITs' slimmer twin of the interop harness in
 * dmm-stack-dpdk's tests (whose classes are not visible from this module). {@link #close()} ends
 * whatever still runs inside and deletes the namespace; idempotent.
 */
final class PeerNamespace implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    record Result(int exit, String out, String err) {
        String describe() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private final String name;
    private boolean closed;

    private PeerNamespace(String name) {
        this.name = name;
    }

    /** Fails with what to install or do unless we are root with {@code tools} on the PATH. */
    static void requireRootAnd(String... tools) throws Exception {
        List<String> missing = new ArrayList<>();
        String status = Files.readString(Path.of("/proc/self/status"));
        if (!status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElse("").split("\\s+")[2].equals("0")) {
            missing.add("needs root (network namespaces and DPDK's tap port): run as root");
        }
        for (String tool : tools) {
            boolean found = false;
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                found |= !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool));
            }
            if (!found) missing.add("needs `" + tool + "`: apt-get install " + (tool.equals("ip") ? "iproute2" : tool));
        }
        if (!missing.isEmpty()) throw new AssertionError(String.join("\n", missing));
    }

    /** A unique interface name (<= 15 bytes): prefix, pid, counter. */
    static String uniqueInterfaceName(String prefix) {
        return prefix + ProcessHandle.current().pid() + "x" + COUNTER.incrementAndGet();
    }

    static PeerNamespace create() throws Exception {
        String name = "dmm-agent-ns-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        Result r = run(List.of("ip", "netns", "add", name), 10);
        if (r.exit() != 0) throw new AssertionError("ip netns add " + name + ": " + r.describe());
        PeerNamespace ns = new PeerNamespace(name);
        try {
            ns.execOk(10, "ip", "link", "set", "lo", "up");
            return ns;
        } catch (Exception | Error e) {
            ns.close();
            throw e;
        }
    }

    /** Moves {@code iface} of the JVM's namespace in here and gives it {@code cidr}, up. */
    void adopt(String iface, String cidr) throws Exception {
        Result r = run(List.of("ip", "link", "set", iface, "netns", name), 10);
        if (r.exit() != 0) throw new AssertionError("moving " + iface + " into " + name + ": " + r.describe());
        execOk(10, "ip", "link", "set", iface, "up");
        execOk(10, "ip", "addr", "add", cidr, "dev", iface);
    }

    Result exec(int timeoutSeconds, String... command) throws Exception {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return run(full, timeoutSeconds);
    }

    Result execOk(int timeoutSeconds, String... command) throws Exception {
        Result r = exec(timeoutSeconds, command);
        if (r.exit() != 0) throw new AssertionError(String.join(" ", command) + ": " + r.describe());
        return r;
    }

    @Override
    public void close() throws Exception {
        if (closed) return;
        closed = true;
        // Processes still inside (a curl that timed out) would keep the namespace alive.
        for (String pid : run(List.of("ip", "netns", "pids", name), 10).out().split("\\s+")) {
            if (!pid.isBlank()) ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
        Result r = run(List.of("ip", "netns", "delete", name), 10);
        if (r.exit() != 0) throw new AssertionError("ip netns delete " + name + ": " + r.describe());
    }

    /** Output to files, not pipes: nothing to drain, nothing held open by a grandchild. */
    private static Result run(List<String> command, int timeoutSeconds) throws Exception {
        Path out = Files.createTempFile("dmm-ns", ".out");
        Path err = Files.createTempFile("dmm-ns", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s\n"
                        + Files.readString(out, StandardCharsets.UTF_8) + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
