package io.dmm.cli;

import io.dmm.api.DmmConfigException;
import io.dmm.api.RouteExplanation;
import io.dmm.api.RouteQuery;
import io.dmm.core.config.PolicyLoader;
import io.dmm.management.jmx.DmmObjectNames;
import io.dmm.management.jmx.RouteQueryText;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.openmbean.CompositeData;

/**
 * {@code dmm explain PID|FILE PROTO ROLE ADDR:PORT [hints]}: which rule routes such a socket, to
 * which stacks, and why — asked of a running JVM (its running policy version) or of a policy file
 * (loaded and validated, nothing started). A target of digits only is a process id; write a file
 * named so as {@code ./1234}.
 */
final class ExplainCommand implements Command {
    private static final String STRING = String.class.getName();

    @Override
    public String usage() {
        return "explain PID|FILE tcp|udp ROLE ADDR:PORT [--src ADDR] [--qos Q] [--tag T] [--stack S] [--app A]"
                + " [--caller CLASS]";
    }

    @Override
    public Set<String> options() {
        return Set.of("src", "qos", "tag", "stack", "app", "caller");
    }

    @Override
    public int run(Args args, Output out) throws CliFailure {
        args.expect(4, 4, usage());
        String[] query = {args.get(1), args.get(2), args.get(3), args.option("src"), args.option("qos"),
                args.option("tag"), args.option("stack"), args.option("app"), args.option("caller")};
        RouteQuery parsed;
        try {
            // checked here, so that a mistyped query is a usage error whatever the target
            parsed = RouteQueryText.parse(query[0], query[1], query[2], query[3], query[4], query[5], query[6],
                    query[7], query[8]);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage(e.getMessage());
        }
        String target = args.get(0);
        Map<String, Object> result = target.chars().allMatch(Character::isDigit)
                ? fromJvm(target, query) : fromFile(Path.of(target), parsed);
        if (out.json()) {
            out.json(result);
        } else {
            int rule = (Integer) result.get("rule");
            @SuppressWarnings("unchecked")
            List<String> stacks = (List<String>) result.get("stacks");
            out.line("rule     " + (rule < 0 ? "-" : "#" + rule) + "  (" + result.get("source") + ")");
            out.line("stacks   " + String.join(", ", stacks));
            out.line("policy   " + result.get("policy"));
            out.line("reason   " + result.get("reason"));
        }
        return Exit.OK;
    }

    private static Map<String, Object> fromJvm(String pid, String[] query) throws CliFailure {
        try (DmmJvm jvm = DmmJvm.connect(pid)) {
            String[] signature = new String[query.length];
            Arrays.fill(signature, STRING);
            CompositeData e = (CompositeData) jvm.invoke(DmmObjectNames.POLICY, "explain", query, signature);
            return result((Integer) e.get("rule"), (String) e.get("source"), Arrays.asList((String[]) e.get("stacks")),
                    (String) e.get("reason"), "v" + e.get("policyVersion") + " of JVM " + jvm.pid());
        }
    }

    private static Map<String, Object> fromFile(Path file, RouteQuery query) throws CliFailure {
        RouteExplanation e;
        try {
            e = FileExplainer.explain(PolicyLoader.load(file), query);
        } catch (DmmConfigException ex) {
            throw CliFailure.failed(ex.getMessage());
        } catch (IllegalArgumentException ex) {
            throw CliFailure.usage(ex.getMessage());
        }
        return result(e.ruleIndex(), e.source(), e.stacks(), e.reason(), file.toString());
    }

    private static Map<String, Object> result(int rule, String source, List<String> stacks, String reason,
                                              String policy) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", rule);
        m.put("source", source);
        m.put("stacks", stacks);
        m.put("reason", reason);
        m.put("policy", policy);
        return m;
    }
}
