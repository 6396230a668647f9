package io.dmm.cli;

import java.util.Set;

/** One {@code dmm} subcommand. */
interface Command {
    /** Its usage line, without the leading {@code dmm}. */
    String usage();

    /** The {@code --name VALUE} options it takes (besides the global {@code --json}). */
    default Set<String> options() {
        return Set.of();
    }

    /** Runs it; returns an exit code of {@link Exit} or throws a failure carrying one. */
    int run(Args args, Output out) throws CliFailure;
}
