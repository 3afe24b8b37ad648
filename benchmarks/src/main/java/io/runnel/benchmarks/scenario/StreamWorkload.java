package io.runnel.benchmarks.scenario;

import io.runnel.benchmarks.BenchContext;
import io.runnel.benchmarks.data.PageViewGenerator;
import io.runnel.benchmarks.data.PageViewSpec;
import io.runnel.benchmarks.data.SessionCounts;
import io.runnel.benchmarks.data.WindowCounts;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The stream workloads (DESIGN.md section 7, issue 3): page views of {@link PageViewSpec#standard},
 * a 1-minute tumbling count by url of the non-bot views, and per-user sessions with a 30-minute
 * gap. Flink reads 10^7 events from memory, Kafka Streams 4*10^6 through the broker, Runnel 10^7
 * from a log topic. The expected results are computed once per event count and shared. Not
 * thread-safe.
 */
public final class StreamWorkload {

    /** Tumbling window size of the window workload. */
    public static final Duration WINDOW = Duration.ofMinutes(1);
    /** Session gap of the session workload. */
    public static final Duration SESSION_GAP = Duration.ofMinutes(30);
    /** Parallelism (stream threads) of each measured run. */
    public static final List<Integer> PARALLELISMS = List.of(1, 2);

    private final String scenario;
    private final PageViewSpec spec;
    private final PageViewGenerator generator;
    private final long flinkEvents;
    private final long kafkaStreamsEvents;
    private final long runnelEvents;
    private final long warmupEvents;
    private final Duration timeout;
    private final Map<Long, WindowCounts> windowCounts = new HashMap<>();
    private final Map<Long, SessionCounts> sessionCounts = new HashMap<>();

    private StreamWorkload(String scenario, PageViewSpec spec, long flinkEvents, long kafkaStreamsEvents,
            long runnelEvents, long warmupEvents, Duration timeout) {
        this.scenario = scenario;
        this.spec = spec;
        this.generator = new PageViewGenerator(spec);
        this.flinkEvents = flinkEvents;
        this.kafkaStreamsEvents = kafkaStreamsEvents;
        this.runnelEvents = runnelEvents;
        this.warmupEvents = warmupEvents;
        this.timeout = timeout;
    }

    public static StreamWorkload of(String scenario, BenchContext context) {
        boolean quick = context.options().quick();
        return new StreamWorkload(scenario, PageViewSpec.standard(context.options().seed()),
                context.size(10_000_000, 60_000),
                context.size(4_000_000, 30_000),
                context.size(10_000_000, 60_000),
                quick ? 10_000 : 200_000,
                Duration.ofMinutes(4));
    }

    public String scenario() {
        return scenario;
    }

    public PageViewSpec spec() {
        return spec;
    }

    public PageViewGenerator generator() {
        return generator;
    }

    public long flinkEvents() {
        return flinkEvents;
    }

    public long kafkaStreamsEvents() {
        return kafkaStreamsEvents;
    }

    public long runnelEvents() {
        return runnelEvents;
    }

    /** Events of the untimed warm-up run each system makes first. */
    public long warmupEvents() {
        return warmupEvents;
    }

    /** The longest one measured run may take before it counts as failed. */
    public Duration timeout() {
        return timeout;
    }

    /** Expected tumbling counts by url of the non-bot views among the first {@code events}. */
    public WindowCounts expectedWindowCounts(long events) {
        return windowCounts.computeIfAbsent(events,
                n -> WindowCounts.expected(generator, n, WINDOW.toMillis(), true));
    }

    /** Expected sessions of all views among the first {@code events}. */
    public SessionCounts expectedSessions(long events) {
        return sessionCounts.computeIfAbsent(events,
                n -> SessionCounts.expected(generator, n, SESSION_GAP.toMillis()));
    }
}
