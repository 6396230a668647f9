package io.dmm.cli;

import io.dmm.management.jmx.DmmObjectNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.openmbean.CompositeData;

/** {@code dmm sockets PID}: the JVM's open DMM sockets, oldest first — its {@code ss}. */
final class SocketsCommand implements Command {
    /** The row items, in the order they are shown. */
    private static final String[] ITEMS = {"id", "stack", "protocol", "kind", "local", "remote", "state", "bytesIn",
            "bytesOut", "opened", "ageMillis", "policyVersion", "rule"};

    @Override
    public String usage() {
        return "sockets PID";
    }

    @Override
    public int run(Args args, Output out) throws CliFailure {
        args.expect(1, 1, usage());
        List<Map<String, Object>> sockets = new ArrayList<>();
        try (DmmJvm jvm = DmmJvm.connect(args.get(0))) {
            for (CompositeData row : (CompositeData[]) jvm.attribute(DmmObjectNames.SOCKETS, "Sockets")) {
                Map<String, Object> s = new LinkedHashMap<>();
                for (String item : ITEMS) {
                    s.put(item, row.get(item));
                }
                sockets.add(s);
            }
        }
        if (out.json()) {
            out.json(sockets);
            return Exit.OK;
        }
        TextTable t = new TextTable("ID", "STACK", "PROTO", "KIND", "STATE", "LOCAL", "REMOTE", "BYTES-IN",
                "BYTES-OUT", "AGE", "RULE");
        for (Map<String, Object> s : sockets) {
            t.row(s.get("id"), dash(s.get("stack")), s.get("protocol"), s.get("kind"), s.get("state"),
                    dash(s.get("local")), dash(s.get("remote")), s.get("bytesIn"), s.get("bytesOut"),
                    age((Long) s.get("ageMillis")), dash(s.get("rule")) + " v" + s.get("policyVersion"));
        }
        out.table(t);
        out.line(sockets.size() + " socket" + (sockets.size() == 1 ? "" : "s"));
        return Exit.OK;
    }

    private static Object dash(Object o) {
        return o == null || "".equals(o) ? "-" : o;
    }

    /** 850ms, 12s, 3m04s, 2h05m, 3d04h. */
    static String age(long millis) {
        long s = millis / 1000;
        if (s < 1) {
            return millis + "ms";
        }
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format("%dm%02ds", s / 60, s % 60);
        }
        if (s < 86400) {
            return String.format("%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return String.format("%dd%02dh", s / 86400, s % 86400 / 3600);
    }
}
