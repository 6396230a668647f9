package io.dmm.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link ConnectionScaleMemory} as a JMH run ({@code ./dmm bench ConnectionScale}): one shot in a
 * fork limited to a 1 GiB heap and 512 MiB of direct memory, so that the JVM stays within 2 GiB of
 * RSS by construction and the run shows whether the connections fit. The score is the time to open
 * the pairs and move data on each; the memory comes as secondary results ({@code rssMiB},
 * {@code heapMiB}, {@code poolSlabsKiB}, {@code poolInUseKiB}) and in the fork's output.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-XX:MaxDirectMemorySize=512m"})
public class ConnectionScaleBenchmark {
    /** Connected pairs: each is two TCP connections of the one instance. */
    @Param("100000")
    public int pairs;

    @Param("64")
    public int message;

    /** The memory measured with every connection open, as JMH secondary results. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Memory {
        public long rssMiB;
        public long heapMiB;
        public long poolSlabsKiB;
        public long poolInUseKiB;
    }

    @Benchmark
    public void openAndExchange(Memory m) throws Exception {
        ConnectionScaleMemory.Result r = ConnectionScaleMemory.run(pairs, message);
        r.print();
        m.rssMiB = r.rss() >> 20;
        m.heapMiB = r.heap() >> 20;
        m.poolSlabsKiB = r.poolAllocated() >> 10;
        m.poolInUseKiB = r.poolInUse() >> 10;
    }
}
