package io.dmm.systemtest.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A network namespace of the test's own: the Linux kernel that plays the peer, with nothing of the
 * machine's real network in it. Commands run inside through {@code ip netns exec}.
 *
 * <p>{@link #close()} kills what was spawned inside, then any other process still in it (a command
 * that timed out, a server's forked child), deletes the veth pairs it made, the namespace and its
 * scratch directory. It is idempotent and goes on past a failing step, so a test that failed half-way
 * still leaves nothing behind.
 */
public final class NetNamespace implements AutoCloseable {
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String name;
    private final Path scratch;
    private final List<BackgroundProcess> spawned = new ArrayList<>();
    private final List<String> veths = new ArrayList<>();
    private Supplier<String> failureContext = () -> "";
    private boolean closed;

    private NetNamespace(String name, Path scratch) {
        this.name = name;
        this.scratch = scratch;
    }

    /**
     * An interface name unique to this JVM and this machine (a three-letter prefix, the pid, a
     * counter), so parallel and aborted runs never clash; Linux allows 15 bytes.
     */
    public static String uniqueInterfaceName(String prefix) {
        String n = prefix + ProcessHandle.current().pid() + "x" + COUNTER.incrementAndGet();
        if (n.length() > 15) throw new IllegalStateException(n + " is longer than an interface name may be (15)");
        return n;
    }

    /** A fresh namespace with its loopback up and IPv6 off (no router solicitations or MLD in the captures). */
    public static NetNamespace create() {
        HostRequirements.check();
        String name = "dmm-ns-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        Path scratch;
        try {
            scratch = Files.createTempDirectory(name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Commands.runOk(COMMAND_TIMEOUT, List.of("ip", "netns", "add", name));
        NetNamespace ns = new NetNamespace(name, scratch);
        try {
            ns.execOk("ip", "link", "set", "lo", "up");
            ns.execOk("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
            return ns;
        } catch (RuntimeException | Error e) {
            ns.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    /**
     * What a failing command's message should also show: what the other side of the link saw (the
     * userspace stack's counters), since a command that hangs says nothing about why.
     */
    public void failureContext(Supplier<String> context) {
        this.failureContext = context;
    }

    /** Runs a command inside and returns what it did, whatever its exit code; fails if it does not end in time. */
    public CommandResult exec(Duration timeout, String... command) {
        try {
            return Commands.run(timeout, inside(command));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + failureContext.get(), e.getCause());
        }
    }

    /** Runs a command inside; fails with its output unless it exits 0. */
    public CommandResult execOk(String... command) {
        CommandResult r = exec(COMMAND_TIMEOUT, command);
        if (r.exitCode() != 0) throw new AssertionError(r.describe() + "\n" + failureContext.get());
        return r;
    }

    /** Runs a {@code sh -c} script inside (for redirections), whatever its exit code. */
    public CommandResult shell(Duration timeout, String script) {
        return exec(timeout, "sh", "-c", script);
    }

    /** Starts a command inside that runs until it ends or this namespace closes. */
    public BackgroundProcess spawn(String... command) {
        List<String> full = inside(command);
        int n = spawned.size();
        Path out = scratch.resolve("spawn" + n + ".out");
        Path err = scratch.resolve("spawn" + n + ".err");
        try {
            Process p = new ProcessBuilder(full).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            BackgroundProcess b = new BackgroundProcess(full, p, out, err);
            spawned.add(b);
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + full, e);
        }
    }

    /** Moves an interface of the JVM's namespace in here. */
    public void adopt(String iface) {
        Commands.runOk(COMMAND_TIMEOUT, List.of("ip", "link", "set", iface, "netns", name));
    }

    /** Brings an interface inside up with {@code cidr} as its address. */
    public void configure(String iface, String cidr) {
        execOk("ip", "link", "set", iface, "up");
        execOk("ip", "addr", "add", cidr, "dev", iface);
    }

    /**
     * A veth pair with {@code inside} in here and the returned end in the JVM's namespace, up, with
     * no address, no ARP, no IPv6 and no forwarding: it only carries frames for a packet socket,
     * and the JVM namespace's own kernel must neither answer nor route what it sees on it.
     */
    public String addVethPair(String inside) {
        String outside = uniqueInterfaceName("dvo");
        Commands.runOk(COMMAND_TIMEOUT, List.of("ip", "link", "add", outside, "type", "veth", "peer", "name", inside,
                "netns", name));
        veths.add(outside);
        Commands.runOk(COMMAND_TIMEOUT, List.of("sysctl", "-q", "-w", "net.ipv6.conf." + outside + ".disable_ipv6=1",
                "net.ipv4.conf." + outside + ".forwarding=0"));
        Commands.runOk(COMMAND_TIMEOUT, List.of("ip", "link", "set", outside, "arp", "off", "up"));
        return outside;
    }

    /** Waits until a TCP socket inside listens on {@code port} (a server started by {@link #spawn}). */
    public void awaitListening(int port, BackgroundProcess server) throws InterruptedException {
        long deadline = System.nanoTime() + COMMAND_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!execOk("ss", "-Hltn", "sport = :" + port).stdout().isBlank()) return;
            if (!server.isAlive()) throw new AssertionError("the server ended before it listened:\n" + server.snapshot().describe());
            Thread.sleep(20);
        }
        throw new AssertionError("nothing listens on port " + port + " in " + name + " after " + COMMAND_TIMEOUT
                + "\n" + server.snapshot().describe());
    }

    /** A directory for this namespace's files (served, received, scripts), deleted on close. */
    public Path scratch() {
        return scratch;
    }

    private List<String> inside(String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return full;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        // A test that timed out closes with its thread interrupted: every waitFor would throw at
        // once and leave the namespace behind. Clean up first, then hand the interrupt back.
        boolean interrupted = Thread.interrupted();
        try {
            cleanUp();
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private void cleanUp() {
        List<Throwable> failures = new ArrayList<>();
        for (BackgroundProcess b : spawned) attempt(failures, b::close);
        attempt(failures, this::killStragglers);
        for (String veth : veths) attempt(failures, () -> deleteLinkIfPresent(veth));
        attempt(failures, () -> Commands.runOk(COMMAND_TIMEOUT, List.of("ip", "netns", "delete", name)));
        attempt(failures, this::deleteScratch);
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError("cleaning up namespace " + name + " failed");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    /** Processes still inside keep the namespace alive after {@code ip netns delete}: end them first. */
    private void killStragglers() {
        CommandResult pids = Commands.run(COMMAND_TIMEOUT, List.of("ip", "netns", "pids", name));
        for (String pid : pids.stdout().split("\\s+")) {
            if (!pid.isBlank()) ProcessHandle.of(Long.parseLong(pid)).ifPresent(Processes::kill);
        }
    }

    private static void deleteLinkIfPresent(String link) {
        // Deleting one end of a veth deletes both; the other end may already be gone with the namespace.
        if (Commands.run(COMMAND_TIMEOUT, List.of("ip", "link", "show", link)).exitCode() == 0) {
            Commands.runOk(COMMAND_TIMEOUT, List.of("ip", "link", "delete", link));
        }
    }

    private void deleteScratch() throws IOException {
        if (!Files.exists(scratch)) return;
        try (Stream<Path> files = Files.walk(scratch)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void attempt(List<Throwable> failures, Step step) {
        try {
            step.run();
        } catch (Throwable t) {
            failures.add(t);
        }
    }
}
