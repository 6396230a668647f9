package io.dmm.cli;

import io.dmm.management.jmx.DmmObjectNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

/** {@code dmm stacks PID}: each stack instance, its health, admin state and DMM's counters for it. */
final class StacksCommand implements Command {
    private static final String[] ATTRIBUTES = {"Name", "Type", "Source", "Health", "HealthDetail", "Admin",
            "Decisions", "SocketsOpened", "SocketsActive", "ConnectsOk", "ConnectsFailed", "BytesIn", "BytesOut",
            "StackCounters"};

    @Override
    public String usage() {
        return "stacks PID";
    }

    @Override
    public int run(Args args, Output out) throws CliFailure {
        args.expect(1, 1, usage());
        List<Map<String, Object>> stacks = new ArrayList<>();
        try (DmmJvm jvm = DmmJvm.connect(args.get(0))) {
            List<String> order = Arrays.asList((String[]) jvm.attribute(DmmObjectNames.POLICY, "StackNames"));
            List<ObjectName> names = new ArrayList<>(jvm.names(DmmObjectNames.STACKS));
            // policy order; retiring instances (with a retiring key) after the current one of their name
            names.sort(Comparator.comparingInt((ObjectName n) -> rank(order, n.getKeyProperty("name")))
                    .thenComparing(n -> n.getKeyProperty("retiring") != null)
                    .thenComparing(ObjectName::getCanonicalName));
            for (ObjectName n : names) {
                stacks.add(row(jvm.attributes(n, ATTRIBUTES)));
            }
        }
        if (out.json()) {
            out.json(stacks);
            return Exit.OK;
        }
        TextTable t = new TextTable("NAME", "TYPE", "HEALTH", "ADMIN", "DECISIONS", "OPENED", "ACTIVE", "CONN-OK",
                "CONN-FAIL", "BYTES-IN", "BYTES-OUT", "DETAIL");
        for (Map<String, Object> s : stacks) {
            t.row(s.get("name"), s.get("type"), s.get("health"), s.get("admin"), s.get("decisions"),
                    s.get("socketsOpened"), s.get("socketsActive"), s.get("connectsOk"), s.get("connectsFailed"),
                    s.get("bytesIn"), s.get("bytesOut"), s.get("healthDetail"));
        }
        out.table(t);
        return Exit.OK;
    }

    private static int rank(List<String> order, String quotedOrPlain) {
        String name = quotedOrPlain != null && quotedOrPlain.startsWith("\"") ? ObjectName.unquote(quotedOrPlain)
                : quotedOrPlain;
        int i = order.indexOf(name);
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    private static Map<String, Object> row(Map<String, Object> a) {
        Map<String, Object> s = new LinkedHashMap<>();
        for (String key : ATTRIBUTES) {
            String json = Character.toLowerCase(key.charAt(0)) + key.substring(1);
            s.put(json, key.equals("StackCounters") ? counters((TabularData) a.get(key)) : a.get(key));
        }
        return s;
    }

    /** A {@code Map<String, Long>} attribute: a TabularData of key/value rows. */
    private static Map<String, Object> counters(TabularData table) {
        Map<String, Object> m = new TreeMap<>();
        if (table != null) {
            for (Object row : table.values()) {
                CompositeData c = (CompositeData) row;
                m.put(String.valueOf(c.get("key")), c.get("value"));
            }
        }
        return m;
    }
}
