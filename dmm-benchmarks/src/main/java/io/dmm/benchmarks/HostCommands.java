package io.dmm.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the host's network tools ({@code ip}, {@code socat}) for benchmarks that set up namespaces,
 * and checks beforehand that they can: root, and every tool installed. A failure says what is
 * missing and how to get it, rather than surfacing as a broken connection later.
 */
final class HostCommands {
    private static final long TIMEOUT_SECONDS = 20;

    private HostCommands() {}

    /** Fails unless this JVM runs as root and each of {@code tools} is on the PATH. */
    static void require(String benchmark, String... tools) {
        if (!isRoot()) {
            throw new IllegalStateException(benchmark + " creates network namespaces and interfaces: run it as root "
                    + "(e.g. sudo ./dmm bench ...)");
        }
        for (String tool : tools) {
            if (which(tool) == null) {
                throw new IllegalStateException(benchmark + " needs the tool \"" + tool + "\", not found on the PATH: "
                        + "apt-get install " + packageOf(tool));
            }
        }
    }

    /** Runs {@code command}; throws with its output when it fails or hangs. */
    static void run(String... command) {
        Process p = start(List.of(command));
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the output of " + String.join(" ", command), e);
        }
    }

    /** Runs {@code command} for cleanup: a failure is printed, not thrown, so the rest of the cleanup goes on. */
    static void runQuietly(String... command) {
        try {
            run(command);
        } catch (IllegalStateException e) {
            System.err.println("cleanup: " + e.getMessage());
        }
    }

    /** Starts {@code command} with stderr merged into stdout (a long-running process the caller stops). */
    static Process start(List<String> command) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                // "Uid: real effective saved fs": the effective uid decides
                if (line.startsWith("Uid:")) return line.split("\\s+")[2].equals("0");
            }
        } catch (IOException e) {
            // not Linux: namespaces are not available either
        }
        return false;
    }

    private static Path which(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, tool);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    private static String packageOf(String tool) {
        return switch (tool) {
            case "ip" -> "iproute2";
            default -> tool;
        };
    }
}
