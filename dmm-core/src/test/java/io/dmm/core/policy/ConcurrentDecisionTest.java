package io.dmm.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;

/** Many threads deciding at once through a small cache (so it is emptied often) get the right routes. */
class ConcurrentDecisionTest {
    @Example
    void manyThreadsDecideConsistently() throws Exception {
        List<Rule> rules = new ArrayList<>();
        Arbitrary<RuleMatch> ruleGen = RuleIndexPropertyTest.rule();
        Arbitrary<RouteKey> keyGen = RuleIndexPropertyTest.key();
        ruleGen.sampleStream().limit(300)
                .forEach(m -> rules.add(Rule.of(rules.size(), null, m, List.of("s" + rules.size()), "t")));
        List<RouteKey> keys = keyGen.sampleStream().limit(2000).toList();
        Route def = new Route(-1, "t: default", List.of("d"), "default -> d");
        CompiledPolicy policy = new CompiledPolicy("t", List.of(), rules, def, 64);
        List<Route> expected = keys.stream().map(policy::routeByLinearScan).toList();

        int threads = 16;
        AtomicInteger checked = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t * 37;
                futures.add(pool.submit(() -> {
                    for (int round = 0; round < 20; round++) {
                        for (int i = 0; i < keys.size(); i++) {
                            int j = (i + offset) % keys.size();
                            assertEquals(expected.get(j), policy.route(keys.get(j)));
                            checked.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads * 20 * keys.size(), checked.get());
    }
}
