package io.dmm.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code dmm} subcommands that look into and steer DMM JVMs of this host through the JDK Attach
 * API and DMM's MBeans, and check policy files. Run by the {@code dmm} launcher; {@link #run} is
 * the whole command, for tests.
 */
public final class DmmCli {
    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("ps", new PsCommand());
        COMMANDS.put("status", new StatusCommand());
        COMMANDS.put("stacks", new StacksCommand());
        COMMANDS.put("routes", new RoutesCommand());
        COMMANDS.put("sockets", new SocketsCommand());
        COMMANDS.put("explain", new ExplainCommand());
        COMMANDS.put("check", new CheckCommand());
        COMMANDS.put("reload", new ReloadCommand());
        COMMANDS.put("drain", new DrainCommand(true));
        COMMANDS.put("undrain", new DrainCommand(false));
    }

    private DmmCli() {
    }

    public static void main(String[] args) {
        // DMM's own INFO lines (policy loaded...) would mix with the command's output
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one subcommand; returns its exit code ({@link Exit}). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> words = new ArrayList<>();
        boolean json = false;
        boolean help = false;
        for (String a : args) {
            switch (a) {
                case "--json" -> json = true;
                case "-h", "--help", "help" -> help = true;
                default -> words.add(a);
            }
        }
        if (words.isEmpty()) {
            (help ? out : err).print(usage());
            return help ? Exit.OK : Exit.USAGE;
        }
        Command command = COMMANDS.get(words.getFirst());
        if (command == null) {
            err.print(usage());
            err.println("dmm: unknown command \"" + words.getFirst() + "\"");
            return Exit.USAGE;
        }
        if (help) {
            out.println("usage: dmm " + command.usage() + " [--json]");
            return Exit.OK;
        }
        try {
            return command.run(Args.parse(words.subList(1, words.size()), command.options()), new Output(out, json));
        } catch (CliFailure e) {
            err.println("dmm: " + e.getMessage());
            return e.exitCode();
        } catch (RuntimeException e) {
            err.println("dmm: " + words.getFirst() + " failed: " + e);
            return Exit.FAILED;
        } finally {
            out.flush();
        }
    }

    static String usage() {
        StringBuilder sb = new StringBuilder("usage: dmm <command> [--json]\n\ncommands:\n");
        for (Command c : COMMANDS.values()) {
            sb.append("  ").append(c.usage()).append('\n');
        }
        sb.append("""

                --json prints one JSON document instead of tables, for scripts.
                exit codes: 0 ok; 1 the JVM refused the operation, or check found an error; 2 usage error;
                            3 cannot reach the JVM (no such process, not a DMM JVM, MBeans not registered)
                """);
        return sb.toString();
    }
}
