package io.runnel.benchmarks.scenario;

import io.runnel.benchmarks.BenchContext;
import io.runnel.benchmarks.BenchResult;
import io.runnel.benchmarks.data.Payloads;
import java.time.Duration;
import java.util.Arrays;

/**
 * The log workload every system runs the same way (DESIGN.md section 7): records of 100 bytes
 * into a 6-partition topic, 5*10^6 of them per pass (a warm-up before, not timed; five measured
 * passes by default, {@code --passes} to change, the median reported), and the latency test at 10,000 records per second. {@code --quick} shrinks every size for a smoke run. Immutable.
 *
 * @param scenario the scenario name on the RESULT lines
 * @param records records per measured run
 * @param warmupRecords records per warm-up run
 * @param valueBytes size of each record value
 * @param seed seed of the payloads
 * @param latencyRate records per second of the latency test
 * @param latencyWarmup sending time before latencies count
 * @param latencyMeasure sending time whose latencies count
 * @param passes measured passes of the append and read tests after their warm-up (each appends,
 *     or reads, {@code records}); the result is the median pass, because a JVM (the broker's and
 *     the client's) is still speeding up long after a short warm-up
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
        int passes,
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
                context.options().passes(5, 1),
                Duration.ofMinutes(3));
    }

    /**
     * Completes {@code result} from the seconds of its passes of {@code records} each: measured
     * as the median pass (the mean of the middle two of an even count), and every pass's rate as
     * {@code pass_records_per_s} (first pass first, so a slow start stays visible).
     */
    public BenchResult fromPasses(BenchResult.Builder result, double[] passSeconds) {
        double[] sorted = passSeconds.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        double median = sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        StringBuilder rates = new StringBuilder();
        for (double s : passSeconds) {
            rates.append(rates.length() == 0 ? "" : ",").append(Math.round(records / s));
        }
        return result.measured(records, median)
                .bytes(records * valueBytes)
                .extra("partitions", PARTITIONS)
                .extra("passes", passSeconds.length)
                .extra("pass_records_per_s", rates)
                .build();
    }

    public Payloads payloads() {
        return new Payloads(seed, valueBytes);
    }
}
