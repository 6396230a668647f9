package io.dmm.api.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sizes a many-connection test to the open-files limit of the machine it runs on, and says so when
 * that means fewer connections than the test would like. The default test tier must pass for an
 * ordinary user with that user's limits, which are often 1,024 or 4,096 descriptors per process.
 *
 * <p>HotSpot raises a JVM's soft limit to the hard limit when it starts ({@code -XX:+MaxFDLimit},
 * the default on Linux), so this JVM's limit is also what the child JVMs it starts will get.
 */
public final class OpenFileLimit {
    private OpenFileLimit() {}

    /** The soft limit of open files of this JVM ("Max open files" in /proc/self/limits). */
    public static long current() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/limits", e);
        }
        throw new IllegalStateException("no 'Max open files' line in /proc/self/limits");
    }

    /**
     * How many connections of {@code perConnection} descriptors each fit in one process beside
     * {@code reserve} others (the JVM's own jars and files, selectors, pipes): {@code wanted} where
     * the limit allows it, else as many as fit, with a line on standard output saying so. Fails, with
     * the command that raises the limit, when fewer than {@code least} fit: below that the test would
     * no longer test what it is about.
     */
    public static int connections(String test, int wanted, int perConnection, int reserve, int least) {
        long limit = current();
        long fit = (limit - reserve) / perConnection;
        if (fit >= wanted) return wanted;
        if (fit < least) {
            throw new AssertionError(test + " needs at least " + least + " connections (" + (least * perConnection + reserve)
                    + " open files per process), but 'Max open files' is " + limit + ": raise it, e.g. `ulimit -n "
                    + (wanted * perConnection + reserve) + "` (as root, or within the hard limit)");
        }
        System.out.println("[open files] " + test + ": " + fit + " connections instead of " + wanted
                + ", to fit the open-files limit of " + limit + " (raise the hard limit for the full size)");
        return (int) fit;
    }
}
