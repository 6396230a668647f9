package io.dmm.cli;

/** A JVM without DMM, for the CLI tests: prints READY and waits for its standard input to close. */
public final class IdleApp {
    private IdleApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("READY");
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the test to close our input
        }
    }
}
