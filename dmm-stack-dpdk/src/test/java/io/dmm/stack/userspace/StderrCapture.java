package io.dmm.stack.userspace;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Records what is written to System.err (where the tests' SLF4J binding, slf4j-simple, logs) while
 * still passing it through, so a test can check what was logged. Restores System.err on close.
 */
final class StderrCapture implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream recorded = new ByteArrayOutputStream();

    StderrCapture() {
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                synchronized (recorded) {
                    recorded.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                original.write(b, off, len);
                synchronized (recorded) {
                    recorded.write(b, off, len);
                }
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    /** The lines written so far that contain {@code text}. */
    long linesContaining(String text) {
        String all;
        synchronized (recorded) {
            all = recorded.toString(StandardCharsets.UTF_8);
        }
        return all.lines().filter(l -> l.contains(text)).count();
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
