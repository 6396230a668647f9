package io.dmm.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A TCP discard server run by Linux inside a namespace: {@code socat -u TCP-LISTEN:PORT,reuseaddr,fork
 * /dev/null}, so the bytes a benchmark sends are received by the kernel's TCP stack and dropped by a
 * process that does nothing else. {@link #close()} stops it and the children it forked per
 * connection.
 */
final class DiscardSink implements AutoCloseable {
    static final int PORT = 5001;

    private final Process process;

    private DiscardSink(Process process) {
        this.process = process;
    }

    static DiscardSink start(Netns ns) {
        Process p = HostCommands.start(ns.exec("socat", "-u", "TCP-LISTEN:" + PORT + ",reuseaddr,fork", "/dev/null"));
        try {
            p.getOutputStream().close();
        } catch (IOException e) {
            // socat -u never reads its stdin
        }
        return new DiscardSink(p);
    }

    /** Fails with the sink's own output when it has exited (a busy port, socat missing in the namespace). */
    void checkAlive() {
        if (!process.isAlive()) {
            String out;
            try {
                out = new String(process.getInputStream().readAllBytes()).strip();
            } catch (IOException e) {
                out = e.toString();
            }
            throw new IllegalStateException("the discard sink (socat) exited with " + process.exitValue() + ": " + out);
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
