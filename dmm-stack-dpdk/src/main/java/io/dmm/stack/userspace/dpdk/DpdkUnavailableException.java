package io.dmm.stack.userspace.dpdk;

/**
 * DPDK cannot be used in this JVM, or a port cannot be opened: the message says what is missing and
 * how to fix it. A stack instance that meets it reports itself DOWN with this message (so rules with
 * a fallback stack use the fallback) instead of failing the whole policy.
 */
public final class DpdkUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DpdkUnavailableException(String message) {
        super(message);
    }

    public DpdkUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
