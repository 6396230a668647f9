package io.dmm.systemtest.host;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the interop tests need from the machine: root (namespaces, interfaces, raw sockets), the
 * tun device (DPDK's net_tap makes its interface through it), and the Linux tools that play the
 * peer. Checked once per JVM; a missing piece fails every interop test with the command that
 * installs it, rather than with some command's puzzling error half-way through a test.
 */
public final class HostRequirements {
    /** Each tool the tests run, with the Debian package that has it. */
    private static final Map<String, String> TOOLS = tools();
    private static final String PROBLEMS = findProblems();

    private HostRequirements() {}

    /** Fails with what is missing and how to install it, unless everything is there. */
    public static void check() {
        if (PROBLEMS != null) throw new AssertionError(PROBLEMS);
    }

    private static Map<String, String> tools() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("ip", "iproute2");
        t.put("ss", "iproute2");
        t.put("ping", "iputils-ping");
        t.put("curl", "curl");
        t.put("socat", "socat");
        t.put("nc", "netcat-openbsd");
        t.put("python3", "python3");
        t.put("ethtool", "ethtool");
        t.put("sha256sum", "coreutils");
        return t;
    }

    private static String findProblems() {
        List<String> problems = new ArrayList<>();
        if (!isRoot()) {
            problems.add("needs root (network namespaces, interfaces and DPDK's tap/af_packet ports): run as root");
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            problems.add("needs /dev/net/tun for DPDK's net_tap: modprobe tun");
        }
        for (Map.Entry<String, String> tool : TOOLS.entrySet()) {
            if (!onPath(tool.getKey())) {
                problems.add("needs `" + tool.getKey() + "`: apt-get install " + tool.getValue());
            }
        }
        if (onPath("nc") && !ncHalfCloses()) {
            problems.add("needs OpenBSD's `nc` (the tests half-close with its -N): apt-get install netcat-openbsd");
        }
        if (problems.isEmpty()) return null;
        return "the Linux interop tests cannot run on this machine:\n  " + String.join("\n  ", problems);
    }

    /** The effective uid from /proc: the JDK has no portable call for it. */
    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return line.split("\\s+")[2].equals("0");
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** netcat-traditional is also called nc but has no -N; OpenBSD's lists it in its help. */
    private static boolean ncHalfCloses() {
        try {
            Process p = new ProcessBuilder("nc", "-h").redirectErrorStream(true).start();
            String help = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return help.contains("-N");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Fails unless {@code tool} is on the PATH, with the package that has it: for the tools only some
     * tests run (e.g. wrk), so a machine without them fails those tests, loudly, and no others.
     */
    public static void requireTool(String tool, String debianPackage) {
        check();
        if (!onPath(tool)) throw new AssertionError("needs `" + tool + "`: apt-get install " + debianPackage);
    }

    /**
     * A python3 that can import {@code module}: the one on the PATH, else Debian's /usr/bin/python3
     * (its packages, e.g. python3-scapy, install for that interpreter only, and a PATH may put a
     * pyenv or venv python3 first). Fails, saying what to install, when neither can.
     */
    public static String python3With(String module, String debianPackage) {
        check();
        for (String python : List.of("python3", "/usr/bin/python3")) {
            if (canImport(python, module)) return python;
        }
        throw new AssertionError("needs the python3 module " + module + " (for python3 on the PATH or /usr/bin/python3): "
                + "apt-get install " + debianPackage);
    }

    private static boolean canImport(String python, String module) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import " + module).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false; // no such interpreter
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }
}
