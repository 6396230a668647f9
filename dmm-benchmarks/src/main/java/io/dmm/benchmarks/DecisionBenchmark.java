package io.dmm.benchmarks;

import io.dmm.core.config.PolicyLoader;
import io.dmm.core.policy.CompiledPolicy;
import io.dmm.core.policy.Route;
import io.dmm.core.policy.RouteKey;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one routing decision at 100, 10,000 and 100,000 rules, cycling through 4096 keys so no
 * single path stays hot. {@code decideUncached} walks the compiled index every time (the number
 * that must stay flat); {@code decideCached} is what repeated keys cost with the decision cache on;
 * {@code decideLinearScan} tries every rule in file order until one matches
 * ({@link CompiledPolicy#routeByLinearScan}), the cost the index saves. Score: time per decision;
 * sample mode reports the median as p0.50.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class DecisionBenchmark {
    private static final int KEYS = 4096;

    @Param({"100", "10000", "100000"})
    public int rules;

    /** SPREAD: prefixes over the unicast space (routing-table-like); DENSE: all inside 10/8. */
    @Param({"SPREAD", "DENSE"})
    public RuleSetGenerator.AddressSpace addresses;

    private CompiledPolicy uncached;
    private CompiledPolicy cached;
    private RouteKey[] keys;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        RuleSetGenerator generator = new RuleSetGenerator(42, addresses);
        String json = generator.policyJson(rules);
        CompiledPolicy policy = (CompiledPolicy) PolicyLoader.parse(json, "generated-" + rules + ".json");
        uncached = policy.uncached();
        cached = policy.withCacheCapacity(2 * KEYS);
        keys = generator.keys(KEYS);
    }

    @Benchmark
    public Route decideUncached() {
        return uncached.route(keys[next++ & (KEYS - 1)]);
    }

    @Benchmark
    public Route decideCached() {
        return cached.route(keys[next++ & (KEYS - 1)]);
    }

    @Benchmark
    public Route decideLinearScan() {
        return uncached.routeByLinearScan(keys[next++ & (KEYS - 1)]);
    }
}
