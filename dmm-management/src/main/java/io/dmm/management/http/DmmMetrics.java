package io.dmm.management.http;

import io.dmm.api.DmmStats;
import io.dmm.api.PolicyStatus;
import io.dmm.api.RuleStats;
import io.dmm.api.StackStats;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * DMM's counters as Prometheus metrics ({@code GET /metrics}). Every stack instance's series
 * carries {@code stack="NAME"}; state-like values (health, administrative state) are state sets —
 * one series per possible state, 1 for the current one — so that alerts can match on the label.
 */
final class DmmMetrics {
    private static final List<String> HEALTH_STATES = List.of("UP", "DEGRADED", "DOWN");
    private static final List<String> ADMIN_STATES = List.of("active", "draining", "retiring");

    private DmmMetrics() {
    }

    static byte[] render(PolicyStatus status, DmmStats stats) {
        PrometheusText p = new PrometheusText();
        policy(p, status);
        stacks(p, stats.stacks());
        rules(p, stats.rules());
        return p.toBytes();
    }

    private static void policy(PrometheusText p, PolicyStatus s) {
        p.family("dmm_policy_version", "gauge", "Version of the running policy (1 at start, +1 per applied change).")
                .sample(s.version());
        p.family("dmm_policy_applied_timestamp_seconds", "gauge", "When the running policy version was applied.")
                .sample(PrometheusText.seconds(s.appliedAt()));
        PolicyStatus.Change c = s.lastChange();
        p.family("dmm_policy_last_reload_success", "gauge", "1 if the last attempt to change the policy (file"
                + " watch, reload, push, rule or stack edit) was applied, 0 if it was rejected; 1 before any attempt.")
                .sample(c == null || c.applied() ? 1 : 0);
        if (c != null) {
            p.family("dmm_policy_last_reload_timestamp_seconds", "gauge",
                    "When the last attempt to change the policy was made.").sample(PrometheusText.seconds(c.at()));
        }
    }

    private static void stacks(PrometheusText p, List<StackStats> stacks) {
        p.family("dmm_stack_info", "gauge", "One series per stack instance, with its type.");
        for (StackStats s : stacks) {
            p.sample(1, "stack", s.name(), "type", s.type());
        }
        stateSet(p, stacks, "dmm_stack_health", "Health of the stack instance: 1 for its current state.",
                HEALTH_STATES, StackStats::health);
        stateSet(p, stacks, "dmm_stack_admin_state", "Administrative state of the stack instance (draining: takes no"
                + " new sockets; retiring: removed from the policy, stops when its last socket closes).",
                ADMIN_STATES, StackStats::admin);
        counter(p, stacks, "dmm_stack_decisions_total", "Routing decisions that chose this stack instance first.",
                StackStats::decisions);
        counter(p, stacks, "dmm_stack_sockets_opened_total", "Sockets opened on this stack instance, accepted ones"
                + " included.", StackStats::socketsOpened);
        p.family("dmm_stack_sockets_active", "gauge", "Sockets of this stack instance not closed yet.");
        for (StackStats s : stacks) {
            p.sample(s.socketsActive(), "stack", s.name());
        }
        p.family("dmm_stack_connects_total", "counter", "Connects on this stack instance by result (ok, failed).");
        for (StackStats s : stacks) {
            p.sample(s.connectsOk(), "stack", s.name(), "result", "ok");
            p.sample(s.connectsFailed(), "stack", s.name(), "result", "failed");
        }
        counter(p, stacks, "dmm_stack_bytes_in_total", "Bytes the application read or received on this stack"
                + " instance.", StackStats::bytesIn);
        counter(p, stacks, "dmm_stack_bytes_out_total", "Bytes the application wrote or sent on this stack"
                + " instance.", StackStats::bytesOut);
        // the stack's own counters have names of its own choosing, so the name goes in a label
        // rather than into metric names; whether each is a counter or a gauge is the stack's business
        p.family("dmm_stack_counter", "untyped", "Counters a stack instance reports itself, by name.");
        for (StackStats s : stacks) {
            for (Map.Entry<String, Long> e : new TreeMap<>(s.stackCounters()).entrySet()) {
                p.sample(e.getValue(), "stack", s.name(), "counter", e.getKey());
            }
        }
    }

    private static void rules(PrometheusText p, List<RuleStats> rules) {
        p.family("dmm_rule_hits_total", "counter", "Decisions made by each rule of the running policy version"
                + " (index -1: the default route); a rule written exactly as in the previous version keeps its"
                + " count.");
        for (RuleStats r : rules) {
            p.sample(r.decisions(), "index", Integer.toString(r.index()), "source", r.source(),
                    "stacks", String.join(",", r.stacks()), "rule", r.rule());
        }
    }

    private static void counter(PrometheusText p, List<StackStats> stacks, String name, String help,
                                ToLongFunction<StackStats> value) {
        p.family(name, "counter", help);
        for (StackStats s : stacks) {
            p.sample(value.applyAsLong(s), "stack", s.name());
        }
    }

    private static void stateSet(PrometheusText p, List<StackStats> stacks, String name, String help,
                                 List<String> states, java.util.function.Function<StackStats, String> current) {
        p.family(name, "gauge", help);
        for (StackStats s : stacks) {
            String now = current.apply(s);
            boolean known = false;
            for (String state : states) {
                boolean on = state.equalsIgnoreCase(now);
                known |= on;
                p.sample(on ? 1 : 0, "stack", s.name(), "state", state.toLowerCase(Locale.ROOT));
            }
            if (!known && now != null) {
                p.sample(1, "stack", s.name(), "state", now.toLowerCase(Locale.ROOT));
            }
        }
    }
}
