package io.dmm.cli;

import io.dmm.management.jmx.DmmObjectNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;

/** {@code dmm routes PID}: the rules of the running policy version with their hit counts, the default last. */
final class RoutesCommand implements Command {
    @Override
    public String usage() {
        return "routes PID";
    }

    @Override
    public int run(Args args, Output out) throws CliFailure {
        args.expect(1, 1, usage());
        List<Map<String, Object>> rules = new ArrayList<>();
        try (DmmJvm jvm = DmmJvm.connect(args.get(0))) {
            List<ObjectName> names = new ArrayList<>(jvm.names(DmmObjectNames.RULES));
            names.sort(Comparator.comparingInt(RoutesCommand::position));
            for (ObjectName n : names) {
                Map<String, Object> a = jvm.attributes(n, "Index", "Source", "Stacks", "Hits", "Rule", "PolicyVersion");
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("index", a.get("Index"));
                r.put("source", a.get("Source"));
                r.put("stacks", Arrays.asList((String[]) a.get("Stacks")));
                r.put("hits", a.get("Hits"));
                r.put("rule", a.get("Rule"));
                r.put("policyVersion", a.get("PolicyVersion"));
                rules.add(r);
            }
        }
        if (out.json()) {
            out.json(rules);
            return Exit.OK;
        }
        TextTable t = new TextTable("RULE", "HITS", "STACKS", "SOURCE", "MATCH");
        for (Map<String, Object> r : rules) {
            String index = (String) r.get("index");
            @SuppressWarnings("unchecked")
            List<String> stacks = (List<String>) r.get("stacks");
            t.row(index.equals(DmmObjectNames.DEFAULT_RULE_INDEX) ? index : "#" + index, r.get("hits"),
                    String.join(",", stacks), r.get("source"), r.get("rule"));
        }
        out.table(t);
        if (!rules.isEmpty()) {
            out.line("(policy v" + rules.getFirst().get("policyVersion") + ")");
        }
        return Exit.OK;
    }

    /** Rules by index, the default route last. */
    private static int position(ObjectName n) {
        String index = n.getKeyProperty("index");
        try {
            return Integer.parseInt(index);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }
}
