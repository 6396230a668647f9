package io.dmm.stack.userspace.dpdk;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DPDK's Environment Abstraction Layer: one per process, so one per JVM. The first DPDK device to
 * open starts it with its {@code eal} arguments (or {@link #defaultArguments() the defaults}); later
 * devices must name the same arguments or none. The EAL cannot be started twice in a process, not
 * even after a failure, so a failure is remembered and reported to every later device.
 *
 * <p>At JVM shutdown the users still open (stack instances on DPDK ports) are closed, the EAL is
 * cleaned up and its runtime directory ({@code /var/run/dpdk/<file-prefix>}) removed.
 */
public final class Eal {
    private static final Logger LOG = LoggerFactory.getLogger(Eal.class);

    private static List<String> arguments;
    private static String failure;
    private static Path runtimeDir;
    private static final Set<AutoCloseable> USERS = new LinkedHashSet<>();
    private static boolean hookInstalled;

    private Eal() {}

    /**
     * The arguments used when a device gives none: no hugepages, no PCI scan, 512 MiB of memory, one
     * lcore, no telemetry socket, and a file prefix unique to this JVM (several DPDK processes may run).
     */
    public static List<String> defaultArguments() {
        return List.of("--no-huge", "--no-pci", "-m", "512", "-l", "0", "--no-telemetry", "--log-level=warning",
                "--file-prefix", "dmm-" + ProcessHandle.current().pid());
    }

    /** Whether the EAL runs in this JVM. */
    public static synchronized boolean started() {
        return arguments != null;
    }

    /**
     * Starts the EAL with {@code requested} (null: the defaults) unless it runs already; throws
     * {@link DpdkUnavailableException} when DPDK is missing or the EAL fails, or when it already
     * runs with other arguments than those requested.
     */
    public static synchronized void ensureStarted(List<String> requested) {
        List<String> args = requested == null ? null : withFilePrefix(requested);
        if (arguments != null) {
            if (args != null && !args.equals(arguments)) {
                throw new DpdkUnavailableException("the EAL of this JVM already runs with " + arguments
                        + "; one process has one EAL, so every DPDK device must give the same \"eal\" or none (got " + args + ")");
            }
            return;
        }
        if (failure != null) throw new DpdkUnavailableException(failure);
        try {
            ShimLibrary.require();
            checkVersions();
            start(args != null ? args : defaultArguments());
        } catch (DpdkUnavailableException e) {
            failure = e.getMessage();
            LOG.error("{}", failure);
            throw e;
        }
    }

    /** A user's arguments, with a JVM-unique file prefix added when they name none. */
    private static List<String> withFilePrefix(List<String> requested) {
        for (String a : requested) {
            if (a.equals("--file-prefix") || a.startsWith("--file-prefix=") || a.equals("--in-memory")) return requested;
        }
        List<String> l = new ArrayList<>(requested);
        l.add("--file-prefix");
        l.add("dmm-" + ProcessHandle.current().pid());
        return List.copyOf(l);
    }

    private static void checkVersions() {
        int abi = DpdkShim.shimAbi();
        if (abi != DpdkShim.ABI) {
            throw new DpdkUnavailableException("the DPDK shim speaks ABI " + abi + " but this binding speaks "
                    + DpdkShim.ABI + ": the shim and the jar are from different builds; rebuild dmm-stack-dpdk");
        }
        int built = DpdkShim.shimRelease();
        String running = DpdkShim.runtimeVersion();
        String want = String.format("%02d.%02d", built / 100, built % 100);
        // "DPDK 22.11.11": the shared libraries' soname already pins the ABI; the release must match too
        if (!running.startsWith("DPDK " + want)) {
            throw new DpdkUnavailableException("the DPDK shim was built against DPDK " + want + " but the loaded "
                    + "libraries are \"" + running + "\"; rebuild dmm-stack-dpdk against the installed DPDK");
        }
    }

    private static void start(List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add("dmm");
        argv.addAll(args);
        int ret;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment array = arena.allocate(ValueLayout.ADDRESS, argv.size() + 1);
            for (int i = 0; i < argv.size(); i++) {
                array.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(argv.get(i)));
            }
            ret = DpdkShim.ealInit(argv.size(), array);
        }
        if (ret < 0) {
            throw new DpdkUnavailableException("DPDK's EAL did not start with " + args + ": " + DpdkShim.strerror(ret)
                    + " (errno " + -ret + "; DPDK's own log above says more). Without hugepages use --no-huge; "
                    + "as a non-root user the EAL also needs access to /dev/hugepages and the NIC's vfio group "
                    + "(docs/dpdk.md)");
        }
        arguments = List.copyOf(args);
        String dir = DpdkShim.runtimeDir();
        runtimeDir = dir.isEmpty() ? null : Path.of(dir);
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("dmm-eal-cleanup").unstarted(Eal::shutdown));
            hookInstalled = true;
        }
        LOG.info("DPDK EAL started ({}) with {}", DpdkShim.runtimeVersion(), args);
    }

    /** Registers something to close before the EAL is cleaned up at shutdown (a stack instance on a port). */
    public static synchronized void register(AutoCloseable user) {
        USERS.add(user);
    }

    public static synchronized void unregister(AutoCloseable user) {
        USERS.remove(user);
    }

    /** The shutdown hook: users first (their poll loops stop before their ports), then the EAL. */
    private static void shutdown() {
        List<AutoCloseable> users;
        synchronized (Eal.class) {
            users = new ArrayList<>(USERS);
        }
        for (AutoCloseable u : users.reversed()) {
            try {
                u.close();
            } catch (Exception | Error e) {
                LOG.warn("closing {} at shutdown failed", u, e);
            }
        }
        synchronized (Eal.class) {
            if (arguments == null) return;
            DpdkShim.ealCleanup();
            arguments = null;
            failure = "the EAL was cleaned up at shutdown";
            if (runtimeDir != null) deleteTree(runtimeDir);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("could not remove the EAL runtime directory {}: {}", dir, e.toString());
        }
    }

    /** The EAL's runtime directory, or null when it does not run. */
    public static synchronized Path runtimeDirectory() {
        return arguments == null ? null : runtimeDir;
    }
}
