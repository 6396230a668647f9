package io.dmm.cli;

/** Ends a subcommand with a message for stderr and an exit code of {@link Exit}. */
final class CliFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    private CliFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }

    static CliFailure usage(String message) {
        return new CliFailure(Exit.USAGE, message);
    }

    static CliFailure failed(String message) {
        return new CliFailure(Exit.FAILED, message);
    }

    static CliFailure unreachable(String message) {
        return new CliFailure(Exit.UNREACHABLE, message);
    }
}
