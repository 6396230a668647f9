package io.dmm.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A TCP server run by Linux inside a namespace with socat, on {@link #PORT}: a {@link Kind#DISCARD}
 * sink ({@code socat -u TCP-LISTEN:PORT,reuseaddr,fork /dev/null}), so the bytes a benchmark sends
 * are received by the kernel's TCP stack and dropped by a process that does nothing else, or an
 * {@link Kind#ECHO} server ({@code socat TCP-LISTEN:PORT,reuseaddr,fork PIPE}: what it reads goes
 * through a pipe back to the sender). {@link #close()} stops it and the children it forked per
 * connection.
 */
final class SocatPeer implements AutoCloseable {
    static final int PORT = 5001;

    /** What the server does with the bytes it receives. */
    enum Kind {
        DISCARD("-u", "TCP-LISTEN:" + PORT + ",reuseaddr,fork", "/dev/null"),
        ECHO("TCP-LISTEN:" + PORT + ",reuseaddr,fork", "PIPE");

        private final String[] socatArgs;

        Kind(String... socatArgs) {
            this.socatArgs = socatArgs;
        }
    }

    private final Process process;

    private SocatPeer(Process process) {
        this.process = process;
    }

    static SocatPeer start(Netns ns, Kind kind) {
        String[] command = new String[kind.socatArgs.length + 1];
        command[0] = "socat";
        System.arraycopy(kind.socatArgs, 0, command, 1, kind.socatArgs.length);
        Process p = HostCommands.start(ns.exec(command));
        try {
            p.getOutputStream().close();
        } catch (IOException e) {
            // socat -u never reads its stdin
        }
        return new SocatPeer(p);
    }

    /** Fails with the server's own output when it has exited (a busy port, socat missing in the namespace). */
    void checkAlive() {
        if (!process.isAlive()) {
            String out;
            try {
                out = new String(process.getInputStream().readAllBytes()).strip();
            } catch (IOException e) {
                out = e.toString();
            }
            throw new IllegalStateException("the peer (socat) exited with " + process.exitValue() + ": " + out);
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
