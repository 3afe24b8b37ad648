package io.runnel.benchmarks.kafka;

import io.runnel.benchmarks.BenchContext;
import io.runnel.benchmarks.BenchResult;
import io.runnel.benchmarks.CheckFailedException;
import io.runnel.benchmarks.Progress;
import io.runnel.benchmarks.data.PageView;
import io.runnel.benchmarks.data.PageViewCodec;
import io.runnel.benchmarks.data.PageViewGenerator;
import io.runnel.benchmarks.data.SessionCounts;
import io.runnel.benchmarks.data.WindowCounts;
import io.runnel.benchmarks.scenario.StreamWorkload;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.TimeWindows;

/**
 * The stream workloads in Kafka Streams ({@code system=kafka-streams}) through a real broker: page
 * views keyed by user in a 6-partition topic with {@code retention.ms=-1} (the events carry
 * historical timestamps, which time retention would delete), a grace of one day so that no event
 * is dropped (the dropped count is printed), and the default RocksDB stores.
 *
 * <p>Kafka Streams emits updates, not final results: the benchmark keeps the latest value per
 * window and stops the clock when every expected window holds its expected total, then compares
 * the whole result with the independent computation.
 */
public final class KafkaStreamsBench {

    public static final String SYSTEM = "kafka-streams";

    private static final Duration GRACE = Duration.ofDays(1);
    private static final Serde<PageView> PAGE_VIEWS = Serdes.serdeFrom(
            (topic, view) -> PageViewCodec.encode(view), (topic, bytes) -> PageViewCodec.decode(bytes));

    private final BenchContext context;
    private final KafkaBroker broker;
    private final StreamWorkload workload;

    public KafkaStreamsBench(BenchContext context, KafkaBroker broker, StreamWorkload workload) {
        this.context = context;
        this.broker = broker;
        this.workload = workload;
    }

    /** Produces page views {@code from .. from+count-1} into a new topic (not timed). */
    public String fillTopic(String name, long from, long count) throws Exception {
        broker.createTopic(name, 6, Map.of("retention.ms", "-1"));
        PageViewGenerator generator = workload.generator();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaClients.producer(broker.bootstrapServers(), "all"))) {
            for (long i = from; i < from + count; i++) {
                PageView view = generator.at(i);
                producer.send(new ProducerRecord<>(name, null, view.timestampMs(),
                        view.user().getBytes(StandardCharsets.UTF_8), PageViewCodec.encode(view)), (md, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("filling " + name + " failed", failure.get());
        }
        return name;
    }

    /** The latest count per (window start, url), as Kafka Streams updates it. Thread-safe. */
    private static final class LatestCounts {
        private record Key(String key, long start, long end) {}

        private final ConcurrentHashMap<Key, Long> latest = new ConcurrentHashMap<>();
        private final AtomicLong total = new AtomicLong();

        void update(String key, long start, long end, Long count) {
            Long previous = count == null ? latest.remove(new Key(key, start, end)) : latest.put(new Key(key, start, end), count);
            total.addAndGet((count == null ? 0 : count) - (previous == null ? 0 : previous));
        }

        long total() {
            return total.get();
        }

        int rows() {
            return latest.size();
        }

        WindowCounts windowCounts() {
            WindowCounts counts = new WindowCounts();
            latest.forEach((k, v) -> counts.add(k.start, k.key, v));
            return counts;
        }

        SessionCounts sessions() {
            SessionCounts counts = new SessionCounts();
            latest.forEach((k, v) -> counts.add(k.key, k.start, k.end, v));
            return counts;
        }
    }

    /** Tumbling 1-minute count by url of the non-bot views in {@code topic}. */
    public void window(String topic, long events, int threads, boolean measured) throws Exception {
        LatestCounts latest = new LatestCounts();
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, PageView> views = builder.stream(topic, Consumed.with(Serdes.String(), PAGE_VIEWS));
        views.filter((user, view) -> !view.bot())
                .groupBy((user, view) -> view.url(), Grouped.with(Serdes.String(), PAGE_VIEWS))
                .windowedBy(TimeWindows.ofSizeAndGrace(StreamWorkload.WINDOW, GRACE))
                .count()
                .toStream()
                .foreach((window, count) -> latest.update(window.key(), window.window().start(), window.window().end(), count));
        WindowCounts expected = workload.expectedWindowCounts(events);
        Run run = run("window", builder.build(), threads,
                () -> latest.total() == expected.total() && latest.rows() == expected.rows());
        latest.windowCounts().verify(expected);
        report(measured, events, threads, run);
    }

    /** Per-user session count (30-minute gap) of all views in {@code topic}. */
    public void session(String topic, long events, int threads, boolean measured) throws Exception {
        LatestCounts latest = new LatestCounts();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(topic, Consumed.with(Serdes.String(), PAGE_VIEWS))
                .groupByKey(Grouped.with(Serdes.String(), PAGE_VIEWS))
                .windowedBy(SessionWindows.ofInactivityGapAndGrace(StreamWorkload.SESSION_GAP, GRACE))
                .count()
                .toStream()
                // Kafka's session window end is the last event's time.
                .foreach((window, count) -> latest.update(window.key(), window.window().start(), window.window().end(), count));
        SessionCounts expected = workload.expectedSessions(events);
        Run run = run("session", builder.build(), threads,
                () -> latest.total() == expected.total() && latest.rows() == expected.sessions());
        latest.sessions().verify(expected);
        report(measured, events, threads, run);
    }

    private record Run(double seconds, double dropped) {}

    private Run run(String kind, Topology topology, int threads, BooleanSupplier complete) throws Exception {
        Path stateDir = context.tempDir("kafka-streams-state");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-" + kind + "-" + threads + "-" + UUID.randomUUID());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // Results reach the benchmark when caches flush at a commit; 1 s bounds how late the
        // clock sees the last one (the 30 s default would add up to 30 s to each run).
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1_000);
        long start = System.nanoTime();
        long deadline = start + workload.timeout().toNanos();
        try (KafkaStreams streams = new KafkaStreams(topology, props)) {
            AtomicReference<Throwable> error = new AtomicReference<>();
            streams.setUncaughtExceptionHandler(e -> {
                error.compareAndSet(null, e);
                return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                        .SHUTDOWN_CLIENT;
            });
            streams.start();
            while (!complete.getAsBoolean()) {
                if (error.get() != null) {
                    throw new IllegalStateException("kafka streams failed", error.get());
                }
                if (System.nanoTime() > deadline) {
                    throw new CheckFailedException("results incomplete after " + workload.timeout() + " (dropped records: "
                            + dropped(streams) + ")");
                }
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Run(seconds, dropped(streams));
        }
    }

    private static double dropped(KafkaStreams streams) {
        double sum = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
            if (e.getKey().name().equals("dropped-records-total") && e.getValue().metricValue() instanceof Double d) {
                sum += d;
            }
        }
        return sum;
    }

    private void report(boolean measured, long events, int threads, Run run) {
        if (!measured) {
            Progress.say("kafka-streams warm-up done in %.1f s", run.seconds());
            return;
        }
        if (run.dropped() != 0) {
            throw new CheckFailedException("kafka streams dropped " + (long) run.dropped() + " records");
        }
        context.report(BenchResult.of(workload.scenario(), SYSTEM, "threads-" + threads)
                .config("parallelism", threads)
                .measured(events, run.seconds())
                .extra("dropped", (long) run.dropped())
                .build());
    }
}
