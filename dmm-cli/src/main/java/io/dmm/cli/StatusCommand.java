package io.dmm.cli;

import io.dmm.management.jmx.DmmObjectNames;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code dmm status PID}: the running policy version, where it came from, and its last change. */
final class StatusCommand implements Command {
    static final String[] ATTRIBUTES = {"Version", "Origin", "File", "AppliedAt", "RuleCount", "StackCount",
            "StackNames", "LastChangeAt", "LastChangeTrigger", "LastChangeApplied", "LastChangeVersion",
            "LastChangeError"};

    @Override
    public String usage() {
        return "status PID";
    }

    @Override
    public int run(Args args, Output out) throws CliFailure {
        args.expect(1, 1, usage());
        try (DmmJvm jvm = DmmJvm.connect(args.get(0))) {
            Map<String, Object> status = read(jvm);
            if (out.json()) {
                out.json(status);
            } else {
                print(status, out);
            }
        }
        return Exit.OK;
    }

    /** The status as JSON-ready values. */
    static Map<String, Object> read(DmmJvm jvm) throws CliFailure {
        Map<String, Object> a = jvm.attributes(DmmObjectNames.POLICY, ATTRIBUTES);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("pid", jvm.pid());
        s.put("version", a.get("Version"));
        s.put("origin", a.get("Origin"));
        s.put("file", emptyToNull(a.get("File")));
        s.put("appliedAt", a.get("AppliedAt"));
        s.put("rules", a.get("RuleCount"));
        s.put("stacks", a.get("StackCount"));
        s.put("stackNames", Arrays.asList((String[]) a.get("StackNames")));
        s.put("sockets", jvm.attribute(DmmObjectNames.SOCKETS, "Count"));
        if (((String) a.get("LastChangeAt")).isEmpty()) {
            s.put("lastChange", null);
        } else {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("at", a.get("LastChangeAt"));
            c.put("trigger", a.get("LastChangeTrigger"));
            c.put("applied", a.get("LastChangeApplied"));
            c.put("version", a.get("LastChangeVersion"));
            c.put("error", a.get("LastChangeError"));
            s.put("lastChange", c);
        }
        return s;
    }

    private static Object emptyToNull(Object o) {
        return "".equals(o) ? null : o;
    }

    @SuppressWarnings("unchecked")
    private static void print(Map<String, Object> s, Output out) {
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("pid", String.valueOf(s.get("pid")));
        lines.put("policy", "v" + s.get("version") + " from " + s.get("origin"));
        lines.put("applied", String.valueOf(s.get("appliedAt")));
        lines.put("file", s.get("file") == null ? "- (reload has no file to read)" : (String) s.get("file"));
        lines.put("stacks", s.get("stacks") + " (" + String.join(", ", (List<String>) s.get("stackNames")) + ")");
        lines.put("rules", String.valueOf(s.get("rules")));
        lines.put("sockets", String.valueOf(s.get("sockets")));
        Map<String, Object> c = (Map<String, Object>) s.get("lastChange");
        if (c == null) {
            lines.put("last change", "none since start-up");
        } else {
            boolean applied = (Boolean) c.get("applied");
            lines.put("last change", c.get("at") + " " + c.get("trigger") + ": "
                    + (applied ? "applied as v" + c.get("version") : "rejected, v" + c.get("version") + " stays"));
            if (!applied) {
                lines.put("error", (String) c.get("error"));
            }
        }
        int width = lines.keySet().stream().mapToInt(String::length).max().orElse(0);
        lines.forEach((k, v) -> out.line(k + " ".repeat(width - k.length() + 2) + v));
    }
}
