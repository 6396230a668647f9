package io.dmm.core.runtime;

import io.dmm.api.DmmConfigException;
import io.dmm.api.PolicyStatus;
import io.dmm.core.config.PolicyLoader;
import io.dmm.core.policy.ManagementSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the policy file when it changes, and performs explicit reloads of it.
 *
 * <p>The file is polled (every {@code watchIntervalMs}) rather than watched with inotify: polling
 * follows what editors and orchestrators really do — write a temporary file and rename it over the
 * policy, or swap a symlink (Kubernetes ConfigMaps) — and works on every file system. A change is
 * acted on once the file's size, modification time and identity have stayed the same for one
 * interval, so a file caught half-written is normally not read; if it is, the half file is
 * rejected like any invalid one and the complete file is applied at the next check. Content that
 * was applied or rejected before is not applied again (a SHA-256 of the bytes is kept).
 */
public final class PolicyFileWatch implements ManagementSlot {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyFileWatch.class);

    private final DmmRuntime runtime;
    private final Path file;
    private final Object lock = new Object();
    private ScheduledFuture<?> task;          // guarded by lock
    private long interval;                    // guarded by lock
    private Object lastStat;                  // the file's attributes at the previous check
    private boolean pending;                  // attributes changed at the previous check
    private byte[] lastDigest;                // content last applied or rejected
    private boolean missingReported;
    private volatile boolean closed;

    /** {@code file}: the runtime's policy file, or null (nothing to watch or reload). */
    PolicyFileWatch(DmmRuntime runtime, Path file) {
        this.runtime = runtime;
        this.file = file;
        if (file != null) {
            lastStat = stat();
            byte[] bytes = readOrNull();
            lastDigest = bytes == null ? null : sha256(bytes);
        }
    }

    @Override
    public Runnable prepare(ManagementSettings next) {
        boolean watch = file != null && next.watch();
        long millis = next.watchIntervalMillis();
        return () -> schedule(watch, millis);
    }

    private void schedule(boolean watch, long millis) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (task != null && (!watch || interval != millis)) {
                task.cancel(false);
                task = null;
                LOG.debug("policy file watch of {} stopped", file);
            }
            if (watch && task == null) {
                interval = millis;
                task = ManagementThread.scheduler().scheduleWithFixedDelay(this::check, millis, millis,
                        TimeUnit.MILLISECONDS);
                LOG.debug("watching the policy file {} every {} ms", file, millis);
            }
        }
    }

    /** Whether the file is being watched now. */
    public boolean watching() {
        synchronized (lock) {
            return task != null;
        }
    }

    /**
     * Reads the file now and applies it ({@code trigger} names who asked).
     *
     * @throws IllegalStateException when the runtime has no policy file
     * @throws DmmConfigException    when the file is invalid (the running version stays)
     */
    public PolicyStatus reload(String trigger) {
        if (file == null) {
            throw new IllegalStateException("the running policy was not loaded from a file (it is "
                    + runtime.status().origin() + "), so there is nothing to reload; push a whole policy instead");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DmmConfigException(file.toString(), 0, 0, "", "policy file not found: " + file.toAbsolutePath());
        } catch (IOException e) {
            throw new DmmConfigException(file.toString(), 0, 0, "", "cannot read policy file " + file.toAbsolutePath()
                    + ": " + e);
        }
        return apply(bytes, sha256(bytes), trigger);
    }

    /** Applies {@code bytes} (the file's content, whose digest is {@code digest}) as the next version. */
    private PolicyStatus apply(byte[] bytes, byte[] digest, String trigger) {
        synchronized (lock) {
            lastDigest = digest;
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        return runtime.change(trigger, current -> PolicyLoader.parse(text, file.toString()));
    }

    private void check() {
        try {
            Object stat = stat();
            if (stat == null) {
                if (!missingReported) {
                    missingReported = true;
                    LOG.warn("policy file {} is gone; policy v{} stays in force", file, runtime.router().version());
                }
                lastStat = null;
                return;
            }
            missingReported = false;
            if (!Objects.equals(stat, lastStat)) {
                lastStat = stat;
                pending = true;   // wait one interval for the writer to finish
                return;
            }
            if (!pending) {
                return;
            }
            pending = false;
            byte[] bytes = readOrNull();
            if (bytes == null) {
                return;
            }
            byte[] digest = sha256(bytes);
            synchronized (lock) {
                if (Arrays.equals(digest, lastDigest)) {
                    return;
                }
            }
            apply(bytes, digest, "file watch"); // the bytes digested are the bytes applied: one read
        } catch (DmmConfigException | IllegalStateException e) {
            // logged and recorded by the runtime; the running version stays
        } catch (RuntimeException e) {
            LOG.warn("policy file watch of {} failed", file, e);
        }
    }

    private Object stat() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return java.util.List.of(a.size(), a.lastModifiedTime(), String.valueOf(a.fileKey()));
        } catch (IOException e) {
            return null;
        }
    }

    private byte[] readOrNull() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return null;
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (task != null) {
                task.cancel(false);
                task = null;
            }
        }
    }
}
