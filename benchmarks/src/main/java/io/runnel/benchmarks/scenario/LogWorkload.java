package io.runnel.benchmarks.scenario;

import io.runnel.benchmarks.BenchContext;
import io.runnel.benchmarks.data.Payloads;
import java.time.Duration;

/**
 * The log workload every system runs the same way (DESIGN.md section 7): records of 100 bytes
 * into a 6-partition topic, 5*10^6 of them (a warm-up before, not timed), and the latency test
 * at 10,000 records per second. {@code --quick} shrinks every size for a smoke run. Immutable.
 *
 * @param scenario the scenario name on the RESULT lines
 * @param records records per measured run
 * @param warmupRecords records per warm-up run
 * @param valueBytes size of each record value
 * @param seed seed of the payloads
 * @param latencyRate records per second of the latency test
 * @param latencyWarmup sending time before latencies count
 * @param latencyMeasure sending time whose latencies count
 * @param timeout the longest a single measured run may take before it counts as failed
 */
public record LogWorkload(
        String scenario,
        long records,
        long warmupRecords,
        int valueBytes,
        long seed,
        long latencyRate,
        Duration latencyWarmup,
        Duration latencyMeasure,
        Duration timeout) {

    /** Partitions of every topic. */
    public static final int PARTITIONS = 6;

    public static LogWorkload of(String scenario, BenchContext context) {
        boolean quick = context.options().quick();
        return new LogWorkload(
                scenario,
                context.size(5_000_000, 50_000),
                quick ? 10_000 : 500_000,
                100,
                context.options().seed(),
                10_000,
                quick ? Duration.ofMillis(500) : Duration.ofSeconds(10),
                quick ? Duration.ofSeconds(1) : Duration.ofSeconds(30),
                Duration.ofMinutes(3));
    }

    public Payloads payloads() {
        return new Payloads(seed, valueBytes);
    }
}
