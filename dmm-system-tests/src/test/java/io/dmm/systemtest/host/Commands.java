package io.dmm.systemtest.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command to completion with a timeout. Output goes to temporary files rather than pipes:
 * a pipe nobody drains fills and blocks the command, and a pipe inherited by a grandchild (a server
 * a script started) never reaches EOF, so a reader thread on it would hang.
 */
public final class Commands {
    private Commands() {}

    public static CommandResult run(Duration timeout, List<String> command) {
        HostRequirements.check();
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("dmm-cmd", ".out");
            err = Files.createTempFile("dmm-cmd", ".err");
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            boolean finished;
            try {
                finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Processes.kill(p);
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while running " + String.join(" ", command), e);
            }
            if (!finished) {
                Processes.kill(p);
                throw new AssertionError(new CommandResult(command, -1, read(out), read(err)).describe()
                        .replaceFirst(" exited -1", " did not finish within " + timeout));
            }
            return new CommandResult(command, p.exitValue(), read(out), read(err));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Runs the command and fails, with everything it printed, unless it exits 0. */
    public static CommandResult runOk(Duration timeout, List<String> command) {
        CommandResult r = run(timeout, command);
        if (r.exitCode() != 0) throw new AssertionError(r.describe());
        return r;
    }

    static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static void deleteQuietly(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover empty temp file is not worth failing a test for
        }
    }
}
