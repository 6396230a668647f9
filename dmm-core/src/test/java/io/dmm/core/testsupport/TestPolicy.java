package io.dmm.core.testsupport;

import io.dmm.api.spi.testing.MapStackSettings;
import io.dmm.core.policy.Policy;
import io.dmm.core.policy.Route;
import io.dmm.core.policy.RouteKey;
import io.dmm.core.policy.StackDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Test-only Policy: linear first match over predicates, each with its Route; remembers every key it
 * was asked about (so tests can check what the runtime put in the RouteKey).
 */
public final class TestPolicy implements Policy {
    private final List<Predicate<RouteKey>> matchers = new ArrayList<>();
    private final List<Route> rules = new ArrayList<>();
    private final List<StackDefinition> stacks = new ArrayList<>();
    private Route defaultRoute;
    private boolean usesCaller;
    public final List<RouteKey> keys = new CopyOnWriteArrayList<>();

    /** Declares a stack instance of {@code type} with the given settings. */
    public TestPolicy stack(String name, String type, Map<String, Object> settings) {
        stacks.add(new StackDefinition(name, type, MapStackSettings.of(name, type, settings), "test.json:" + (stacks.size() + 2)));
        return this;
    }

    public TestPolicy kernel(String name) {
        return stack(name, "kernel", Map.of());
    }

    public TestPolicy rule(Predicate<RouteKey> when, String... stackNames) {
        int index = rules.size();
        rules.add(new Route(index, "test.json:" + (10 + index), List.of(stackNames), "rule " + index));
        matchers.add(when);
        return this;
    }

    public TestPolicy defaults(String... stackNames) {
        defaultRoute = new Route(-1, "test.json: default", List.of(stackNames), "default");
        return this;
    }

    public TestPolicy usingCaller() {
        usesCaller = true;
        return this;
    }

    @Override
    public Route route(RouteKey key) {
        keys.add(key);
        for (int i = 0; i < matchers.size(); i++) {
            if (matchers.get(i).test(key)) {
                return rules.get(i);
            }
        }
        return defaultRoute();
    }

    public RouteKey lastKey() {
        return keys.getLast();
    }

    @Override public List<Route> rules() { return List.copyOf(rules); }

    @Override
    public Route defaultRoute() {
        return defaultRoute != null ? defaultRoute
                : new Route(-1, "test.json: default", List.of(stacks.getFirst().name()), "default");
    }

    @Override public List<StackDefinition> stacks() { return List.copyOf(stacks); }
    @Override public boolean usesCaller() { return usesCaller; }
    @Override public String origin() { return "test.json"; }
}
