package io.dmm.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace made for one benchmark trial, with a name unique to this JVM and trial
 * ({@code dmmb<pid>n<counter>}); {@link #close()} deletes it, which also destroys the interfaces
 * moved into it (and a veth's peer in the root namespace). A JVM shutdown hook deletes it too, so a
 * fork stopped halfway leaves nothing behind.
 */
final class Netns implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    final String name;
    private final Thread hook;
    private boolean closed;

    private Netns(String name) {
        this.name = name;
        this.hook = Thread.ofPlatform().unstarted(() -> HostCommands.runQuietly("ip", "netns", "delete", name));
    }

    static Netns create() {
        Netns ns = new Netns("dmmb" + ProcessHandle.current().pid() + "n" + COUNTER.incrementAndGet());
        HostCommands.run("ip", "netns", "add", ns.name);
        Runtime.getRuntime().addShutdownHook(ns.hook);
        try {
            ns.ip("link", "set", "lo", "up");
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** A unique short interface name (at most 15 characters): {@code prefix} (3 letters) + pid + counter. */
    static String interfaceName(String prefix) {
        String n = prefix + ProcessHandle.current().pid() % 1_000_000 + "x" + COUNTER.incrementAndGet();
        if (n.length() > 15) throw new IllegalStateException("interface name " + n + " is longer than 15 characters");
        return n;
    }

    /** Runs {@code ip -n NAME args...}. */
    void ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
        cmd.addAll(List.of(args));
        HostCommands.run(cmd.toArray(String[]::new));
    }

    /** Moves the root namespace's interface {@code ifname} in, gives it {@code cidr} and brings it up. */
    void adopt(String ifname, String cidr) {
        HostCommands.run("ip", "link", "set", ifname, "netns", name);
        ip("addr", "add", cidr, "dev", ifname);
        ip("link", "set", ifname, "up");
    }

    /** The command line prefix that runs a program inside the namespace. */
    List<String> exec(String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(List.of(command));
        return cmd;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        HostCommands.runQuietly("ip", "netns", "delete", name);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway; deleting twice only prints a note
        }
    }
}
