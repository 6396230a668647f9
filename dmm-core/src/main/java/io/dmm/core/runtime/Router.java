package io.dmm.core.runtime;

import io.dmm.api.Protocol;
import io.dmm.api.Role;
import io.dmm.api.RouteExplanation;
import io.dmm.api.RouteHints;
import io.dmm.api.RouteQuery;
import io.dmm.api.RuleStats;
import io.dmm.core.policy.Policy;
import io.dmm.core.policy.Route;
import io.dmm.core.policy.RouteKey;
import io.dmm.core.policy.RouteKeys;
import io.dmm.core.routing.Decision;
import io.dmm.core.routing.RoutedChannel;
import io.dmm.core.routing.StackHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.Channel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * One policy version, running: turns a socket's description into a {@link Decision} — builds the
 * {@link RouteKey}, asks the policy (or honours an explicit stack hint) — and counts the decision
 * per rule and per stack. Immutable apart from its counters: a new policy version is a new Router,
 * swapped in whole by {@link DmmRuntime}, so a decision never mixes two versions.
 */
public final class Router {
    private static final StackWalker WALKER = StackWalker.getInstance();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Router.class);

    private final Policy policy;
    private final long version;
    private final Map<String, StackHandle> stacks;
    private final Decision[] ruleDecisions;
    private final LongAdder[] ruleCounters;
    private final Decision defaultDecision;
    private final LongAdder defaultCounter;
    private final Map<String, Decision> explicit = new LinkedHashMap<>();

    /** Version 1 of {@code policy} over the registry's current instances. */
    public Router(Policy policy, StackRegistry registry) {
        this(policy, 1, currentStacks(registry), null);
    }

    private static Map<String, StackHandle> currentStacks(StackRegistry registry) {
        Map<String, StackHandle> m = new LinkedHashMap<>();
        registry.all().forEach(h -> m.put(h.name(), h));
        return m;
    }

    /**
     * Version {@code version} of {@code policy} over {@code stacks} (by name). Rules written exactly
     * as a rule of {@code previous} keep its hit counter, so counts survive reloads that do not touch
     * them.
     *
     * @throws IllegalStateException when a route names a stack not in {@code stacks}
     */
    public Router(Policy policy, long version, Map<String, StackHandle> stacks, Router previous) {
        this.policy = policy;
        this.version = version;
        this.stacks = Map.copyOf(stacks);
        List<Route> rules = policy.rules();
        Map<String, java.util.ArrayDeque<LongAdder>> carried = previous == null ? Map.of() : previous.countersByRule();
        this.ruleDecisions = new Decision[rules.size()];
        this.ruleCounters = new LongAdder[rules.size()];
        for (int i = 0; i < rules.size(); i++) {
            ruleDecisions[i] = resolve(rules.get(i));
            ruleCounters[i] = carriedOver(carried, rules.get(i));
        }
        this.defaultDecision = resolve(policy.defaultRoute());
        this.defaultCounter = carriedOver(carried, policy.defaultRoute());
        for (StackHandle h : stacks.values()) {
            Route r = new Route(-1, "explicit stack hint", List.of(h.name()), "stack=" + h.name());
            explicit.put(h.name(), new Decision(r, List.of(h), version));
        }
    }

    private Map<String, java.util.ArrayDeque<LongAdder>> countersByRule() {
        Map<String, java.util.ArrayDeque<LongAdder>> m = new java.util.HashMap<>();
        for (int i = 0; i < ruleDecisions.length; i++) {
            m.computeIfAbsent(ruleDecisions[i].route().description(), k -> new java.util.ArrayDeque<>())
                    .add(ruleCounters[i]);
        }
        m.computeIfAbsent(defaultDecision.route().description(), k -> new java.util.ArrayDeque<>()).add(defaultCounter);
        return m;
    }

    private static LongAdder carriedOver(Map<String, java.util.ArrayDeque<LongAdder>> carried, Route route) {
        java.util.ArrayDeque<LongAdder> q = carried.get(route.description());
        LongAdder c = q == null ? null : q.poll();
        return c != null ? c : new LongAdder();
    }

    private Decision resolve(Route route) {
        List<StackHandle> handles = new ArrayList<>(route.stacks().size());
        for (String name : route.stacks()) {
            StackHandle h = stacks.get(name);
            if (h == null) {
                throw new IllegalStateException("route " + route.source() + " names stack \"" + name
                        + "\", which the policy does not define (defined: " + stacks.keySet() + ")");
            }
            handles.add(h);
        }
        return new Decision(route, handles, version);
    }

    /** The policy version this router runs (1 at start-up, one more per applied change). */
    public long version() {
        return version;
    }

    public Policy policy() {
        return policy;
    }

    /**
     * Checks an explicit stack hint at open time, so a typo fails where the socket is opened.
     *
     * @throws IllegalArgumentException naming the defined stacks
     */
    public void checkHints(RouteHints hints) {
        if (hints.stack() != null && !explicit.containsKey(hints.stack())) {
            throw new IllegalArgumentException("unknown stack \"" + hints.stack() + "\" in route hints; defined stacks: "
                    + String.join(", ", explicit.keySet()));
        }
    }

    /**
     * The fully qualified class name of the code opening a socket — the first frame outside DMM and
     * the JDK — or null when no rule matches on the caller (walking the stack costs, so only then).
     */
    public String callerIfNeeded() {
        if (!policy.usesCaller()) {
            return null;
        }
        return WALKER.walk(frames -> frames.map(StackWalker.StackFrame::getClassName)
                .filter(Router::isApplicationClass).findFirst().orElse(null));
    }

    static boolean isApplicationClass(String className) {
        return !(className.startsWith("io.dmm.") || className.startsWith("java.") || className.startsWith("javax.")
                || className.startsWith("jdk.") || className.startsWith("sun.") || className.startsWith("com.sun."));
    }

    /** Decides and counts. {@code service} may be null (unknown), {@code source} null (unbound). */
    public Decision decide(Protocol protocol, Role role, InetSocketAddress service, InetAddress source,
                           RouteHints hints, String caller) {
        Decision d;
        if (hints.stack() != null) {
            d = explicit.get(hints.stack());
            if (d == null) {
                checkHints(hints);
            }
        } else {
            if (caller == null && policy.usesCaller()) {
                // opened under a version without caller rules: the code routing it now is the best witness
                caller = callerIfNeeded();
            }
            RouteKey key = key(protocol, role, service == null ? null : service.getAddress(),
                    service == null ? -1 : service.getPort(), source, hints, System.getProperty("dmm.app"), caller);
            Route route = policy.route(key);
            if (route.isDefault()) {
                d = defaultDecision;
                defaultCounter.increment();
            } else {
                d = ruleDecisions[route.index()];
                ruleCounters[route.index()].increment();
            }
        }
        d.stacks().get(0).decided();
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} to {} from {}{}: policy v{} {} -> {}", protocol.configName(), role.configName(),
                    service, source, caller == null ? "" : " (caller " + caller + ")", version,
                    d.route().isDefault() ? d.route().source() : "rule #" + d.route().index() + " (" + d.route().source()
                            + ")", d.route().stacks());
        }
        return d;
    }

    private static RouteKey key(Protocol protocol, Role role, InetAddress service, int port, InetAddress source,
                                RouteHints hints, String app, String caller) {
        return new RouteKey(protocol, role, service, port, source, hints.qos(), hints.tag(), app, caller);
    }

    /** What {@link #decide} would choose for {@code query}; counts nothing. */
    public RouteExplanation explain(RouteQuery query) {
        RouteHints hints = query.hints();
        if (hints.stack() != null) {
            checkHints(hints);
            return new RouteExplanation(-1, "explicit stack hint", List.of(hints.stack()),
                    "explicit stack hint: stack=" + hints.stack() + " (rules not consulted)", version);
        }
        RouteKey key = RouteKeys.of(query, System.getProperty("dmm.app"));
        RouteExplanation e = RouteKeys.explain(key, policy.route(key));
        return new RouteExplanation(e.ruleIndex(), e.source(), e.stacks(), e.reason(), version);
    }

    /** How {@code channel} was routed, in the API's terms; empty before routing or for foreign channels. */
    public static Optional<RouteExplanation> explainChannel(Channel channel) {
        if (!(channel instanceof RoutedChannel routed) || routed.decision() == null) {
            return Optional.empty();
        }
        Decision decision = routed.decision();
        Route route = decision.route();
        List<String> inUse = routed.stacksInUse();
        String rule = route.isDefault() ? route.source() : "rule #" + route.index() + " (" + route.source() + ") "
                + route.description();
        return Optional.of(new RouteExplanation(route.index(), route.source(), inUse,
                "on " + String.join(", ", inUse) + ": " + rule + " (policy v" + decision.policyVersion() + ")",
                decision.policyVersion()));
    }

    /** Decisions per rule, the default last (index -1). */
    public List<RuleStats> ruleStats() {
        List<RuleStats> out = new ArrayList<>(ruleDecisions.length + 1);
        for (int i = 0; i < ruleDecisions.length; i++) {
            Route r = ruleDecisions[i].route();
            out.add(new RuleStats(r.index(), r.source(), r.stacks(), ruleCounters[i].sum(), r.description()));
        }
        Route dr = defaultDecision.route();
        out.add(new RuleStats(-1, dr.source(), dr.stacks(), defaultCounter.sum(), dr.description()));
        return out;
    }
}
