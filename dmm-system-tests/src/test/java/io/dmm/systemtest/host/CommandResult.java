package io.dmm.systemtest.host;

import java.util.List;

/** What a finished command left: its exit code and everything it printed. */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

    /** The whole result in one string, for assertion messages. */
    public String describe() {
        return String.join(" ", command) + " exited " + exitCode + "\n--- stdout ---\n" + stdout
                + "\n--- stderr ---\n" + stderr;
    }
}
