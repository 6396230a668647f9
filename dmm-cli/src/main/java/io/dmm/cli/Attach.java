package io.dmm.cli;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.util.Properties;
import java.util.function.Predicate;

/**
 * The JDK Attach API, for one JVM of this host: what its system properties say and where its local
 * JMX connector is. Attach works only between processes of the same user (the JVM checks the
 * caller's credentials), and opens no network port.
 */
final class Attach {
    private Attach() {
    }

    /** A process id as the user typed it. */
    static long pid(String text) throws CliFailure {
        try {
            long pid = Long.parseLong(text);
            if (pid > 0) {
                return pid;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw CliFailure.usage("\"" + text + "\" is not a process id (see `dmm ps`)");
    }

    /** What the Attach API tells about a JVM, and its JMX connector address when asked for. */
    record Target(long pid, Properties properties, String jmxAddress) {
        /** The main class (or jar) the JVM runs, from {@code sun.java.command}. */
        String main() {
            return mainOf(properties);
        }
    }

    static String mainOf(Properties props) {
        String command = props.getProperty("sun.java.command", "").strip();
        int space = command.indexOf(' ');
        return command.isEmpty() ? "?" : space < 0 ? command : command.substring(0, space);
    }

    /**
     * Attaches to {@code pid}, reads its system properties and, when they pass {@code startJmx},
     * starts its local management agent (the JDK's own, as jconsole does: loopback only, and
     * started once per JVM) for its address; else the address is null.
     */
    static Target inspect(long pid, Predicate<Properties> startJmx) throws CliFailure {
        if (pid == ProcessHandle.current().pid()) {
            throw CliFailure.unreachable("process " + pid + " is this dmm command itself");
        }
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException | IOException | RuntimeException e) {
            throw CliFailure.unreachable(whyNot(pid, e));
        }
        try {
            Properties props = vm.getSystemProperties();
            String address = startJmx.test(props) ? vm.startLocalManagementAgent() : null;
            return new Target(pid, props, address);
        } catch (IOException | RuntimeException e) {
            throw CliFailure.unreachable("JVM " + pid + " did not answer through the Attach API: " + e.getMessage());
        } finally {
            try {
                vm.detach();
            } catch (IOException e) {
                // the answer is in; a failed detach changes nothing for the caller
            }
        }
    }

    private static String whyNot(long pid, Exception e) {
        if (ProcessHandle.of(pid).isEmpty()) {
            return "no process " + pid + " (see `dmm ps`)";
        }
        return "cannot attach to process " + pid + ": " + e.getMessage()
                + " (is it a JVM of this user, started with attach enabled? see `dmm ps`)";
    }
}
