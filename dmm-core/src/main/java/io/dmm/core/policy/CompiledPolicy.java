package io.dmm.core.policy;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link Policy} implementation: validated stacks and rules, compiled into a {@link RuleIndex},
 * with an optional bounded cache of decisions for keys seen before.
 *
 * <p>The cache is a {@link ConcurrentHashMap} that is emptied when it reaches its capacity: simple,
 * thread-safe, and bounded; a miss costs one index lookup, so an occasional emptying is harmless.
 * {@link #uncached()} gives a view without it, which the benchmark uses to measure the index alone.
 */
public final class CompiledPolicy implements Policy {
    /** Default number of cached decisions. */
    public static final int DEFAULT_CACHE_CAPACITY = 4096;

    private final String origin;
    private final List<StackDefinition> stacks;
    private final List<Rule> ruleList;
    private final List<Route> routes;
    /** {@link #routes} as an array: one load less per decision. */
    private final Route[] routeArray;
    private final Route defaultRoute;
    private final RuleIndex index;
    private final LinearMatcher reference;
    private final boolean usesCaller;
    private final Map<RouteKey, Route> cache;
    private final int cacheCapacity;
    private final ManagementSettings management;

    /**
     * @param rules         the rules, where {@code rules.get(i).index() == i}
     * @param cacheCapacity decisions to cache; 0 disables the cache
     */
    public CompiledPolicy(String origin, List<StackDefinition> stacks, List<Rule> rules, Route defaultRoute,
                          int cacheCapacity) {
        this(origin, stacks, rules, defaultRoute, new RuleIndex(rules), cacheCapacity, ManagementSettings.DEFAULTS);
    }

    private CompiledPolicy(String origin, List<StackDefinition> stacks, List<Rule> rules, Route defaultRoute,
                           RuleIndex index, int cacheCapacity, ManagementSettings management) {
        this.management = Objects.requireNonNull(management, "management");
        this.origin = Objects.requireNonNull(origin, "origin");
        this.stacks = List.copyOf(stacks);
        this.ruleList = List.copyOf(rules);
        for (int i = 0; i < ruleList.size(); i++) {
            if (ruleList.get(i).index() != i) {
                throw new IllegalArgumentException("rule " + i + " has index " + ruleList.get(i).index());
            }
        }
        this.routes = ruleList.stream().map(Rule::route).toList();
        this.routeArray = routes.toArray(new Route[0]);
        this.defaultRoute = Objects.requireNonNull(defaultRoute, "defaultRoute");
        if (!defaultRoute.isDefault()) {
            throw new IllegalArgumentException("the default route must have index -1");
        }
        this.index = index;
        this.reference = new LinearMatcher(ruleList);
        this.usesCaller = ruleList.stream().anyMatch(r -> r.match().caller() != null);
        if (cacheCapacity < 0) {
            throw new IllegalArgumentException("cacheCapacity < 0");
        }
        this.cacheCapacity = cacheCapacity;
        this.cache = cacheCapacity == 0 ? null : new ConcurrentHashMap<>(Math.min(cacheCapacity, 1024));
    }

    @Override
    public Route route(RouteKey key) {
        if (cache == null) {
            return decide(key);
        }
        Route r = cache.get(key);
        if (r == null) {
            r = decide(key);
            if (cache.size() >= cacheCapacity) {
                cache.clear();
            }
            cache.put(key, r);
        }
        return r;
    }

    private Route decide(RouteKey key) {
        int i = index.find(key);
        return i < 0 ? defaultRoute : routeArray[i];
    }

    /** The same policy without a decision cache (sharing the compiled index). */
    public CompiledPolicy uncached() {
        return cache == null ? this : new CompiledPolicy(origin, stacks, ruleList, defaultRoute, index, 0, management);
    }

    /** The same policy with a cache of {@code capacity} decisions (0: none), sharing the index. */
    public CompiledPolicy withCacheCapacity(int capacity) {
        return new CompiledPolicy(origin, stacks, ruleList, defaultRoute, index, capacity, management);
    }

    /** The same policy with another {@code management} section (sharing the index). */
    public CompiledPolicy withManagement(ManagementSettings settings) {
        return new CompiledPolicy(origin, stacks, ruleList, defaultRoute, index, cacheCapacity, settings);
    }

    /** The same rules and stacks, said to come from {@code newOrigin} (sharing the index). */
    public CompiledPolicy withOrigin(String newOrigin) {
        return new CompiledPolicy(newOrigin, stacks, ruleList, defaultRoute, index, cacheCapacity, management);
    }

    /** The decision cache's capacity, 0 when there is none. */
    public int cacheCapacity() {
        return cache == null ? 0 : cacheCapacity;
    }

    /** How many decisions the cache holds now (never more than its capacity); 0 without a cache. */
    public int cachedDecisions() {
        return cache == null ? 0 : cache.size();
    }

    /** Whether decisions are cached. */
    public boolean isCached() {
        return cache != null;
    }

    /** Decides by trying every rule in order: the reference the index is tested against. */
    public Route routeByLinearScan(RouteKey key) {
        int i = reference.find(key);
        return i < 0 ? defaultRoute : routes.get(i);
    }

    /** The rules with their match conditions. */
    public List<Rule> ruleModel() {
        return ruleList;
    }

    /** The declared stack with this name, or null. */
    public StackDefinition stack(String name) {
        for (StackDefinition s : stacks) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    @Override
    public List<Route> rules() {
        return routes;
    }

    @Override
    public Route defaultRoute() {
        return defaultRoute;
    }

    @Override
    public List<StackDefinition> stacks() {
        return stacks;
    }

    @Override
    public boolean usesCaller() {
        return usesCaller;
    }

    @Override
    public ManagementSettings management() {
        return management;
    }

    @Override
    public String origin() {
        return origin;
    }

    @Override
    public String toString() {
        return "Policy[" + origin + ", " + stacks.size() + " stacks, " + ruleList.size() + " rules]";
    }
}
