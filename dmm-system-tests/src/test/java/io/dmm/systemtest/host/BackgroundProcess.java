package io.dmm.systemtest.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A peer process running while the test runs (a server, a client batch), with its output in
 * files. {@link #close()} kills it and whatever it started; idempotent.
 */
public final class BackgroundProcess implements AutoCloseable {
    private final List<String> command;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    BackgroundProcess(List<String> command, Process process, Path stdout, Path stderr) {
        this.command = command;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Waits for the process to end by itself and fails unless it exits 0 in time; the failure
     * shows its output and {@code context} (what our side saw).
     */
    public CommandResult awaitSuccess(Duration timeout, Supplier<String> context) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(String.join(" ", command) + " still running after " + timeout + "\n"
                    + snapshot().describe() + "\n" + context.get());
        }
        CommandResult r = snapshot();
        if (r.exitCode() != 0) throw new AssertionError(r.describe() + "\n" + context.get());
        return r;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Its output so far (exit code -1 while it runs). */
    public CommandResult snapshot() {
        try {
            return new CommandResult(command, process.isAlive() ? -1 : process.exitValue(),
                    Commands.read(stdout), Commands.read(stderr));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive() || process.toHandle().descendants().findAny().isPresent()) Processes.kill(process);
    }
}
