package io.dmm.management.http;

/** A request the server refuses before it reaches the API: malformed, too large, unsupported. */
final class HttpProblem extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;

    HttpProblem(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
