package io.dmm.api;

import java.util.List;
import java.util.Optional;

/**
 * A snapshot of DMM's counters: one entry per stack instance (retiring ones included) and per rule
 * of the running policy version {@code policyVersion}.
 */
public record DmmStats(List<StackStats> stacks, List<RuleStats> rules, long policyVersion) {
    public DmmStats {
        stacks = List.copyOf(stacks);
        rules = List.copyOf(rules);
    }

    public Optional<StackStats> stack(String name) {
        return stacks.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** A fixed-width table, one line per stack instance, then one per rule that decided. */
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-12s %-10s %-8s %9s %7s %7s %9s %9s %12s %12s%n", "stack", "type", "health",
                "decisions", "opened", "active", "conn-ok", "conn-fail", "bytes-in", "bytes-out"));
        for (StackStats s : stacks) {
            sb.append(String.format("%-12s %-10s %-8s %9d %7d %7d %9d %9d %12d %12d%n", s.name(), s.type(),
                    s.health(), s.decisions(), s.socketsOpened(), s.socketsActive(), s.connectsOk(),
                    s.connectsFailed(), s.bytesIn(), s.bytesOut()));
        }
        int sourceWidth = "source".length();
        for (RuleStats r : rules) {
            sourceWidth = Math.max(sourceWidth, r.source().length());
        }
        String ruleFormat = "%-6s %-" + sourceWidth + "s %-20s %9s%n";
        sb.append(String.format("%n" + ruleFormat, "rule", "source", "stacks", "decisions"));
        for (RuleStats r : rules) {
            if (r.decisions() == 0) {
                continue;
            }
            sb.append(String.format(ruleFormat, r.index() < 0 ? "dflt" : "#" + r.index(), r.source(),
                    String.join(",", r.stacks()), r.decisions()));
        }
        return sb.toString();
    }
}
