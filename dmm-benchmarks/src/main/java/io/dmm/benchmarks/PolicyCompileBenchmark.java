package io.dmm.benchmarks;

import io.dmm.core.config.PolicyLoader;
import io.dmm.core.policy.Policy;
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
 * Time to compile a policy: {@code PolicyLoader.parse} of the JSON text of a generated policy
 * ({@link RuleSetGenerator}, the policies {@link DecisionBenchmark} decides on) — parsing with
 * locations, validation, the rule index and the linear reference — which a JVM does once at start-up
 * and once per reload. Each op is one compile, timed on its own (single-shot mode); the warm-up shots
 * let the JIT compile the loader, as in a JVM that has loaded policies before. The heap a compiled
 * policy keeps is measured by {@link PolicyMemory}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class PolicyCompileBenchmark {
    @Param({"100", "10000", "100000"})
    public int rules;

    @Param({"SPREAD", "DENSE"})
    public RuleSetGenerator.AddressSpace addresses;

    private String json;

    @Setup(Level.Trial)
    public void setUp() {
        json = new RuleSetGenerator(42, addresses).policyJson(rules);
    }

    @Benchmark
    public Policy compile() {
        return PolicyLoader.parse(json, "generated-" + rules + ".json");
    }
}
