package io.dmm.cli;

/** The exit codes of the {@code dmm} subcommands, for scripts. */
final class Exit {
    /** Done; for {@code check}, the file is valid. */
    static final int OK = 0;
    /** The JVM refused the operation (reload rejected, unknown stack...), or {@code check} found an error. */
    static final int FAILED = 1;
    /** The command line is wrong: unknown command or option, missing or malformed argument. */
    static final int USAGE = 2;
    /** The JVM cannot be reached: no such process, attach refused, not a DMM JVM, its MBeans are not registered. */
    static final int UNREACHABLE = 3;

    private Exit() {
    }
}
