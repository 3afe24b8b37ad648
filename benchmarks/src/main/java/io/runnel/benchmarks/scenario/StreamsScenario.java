package io.runnel.benchmarks.scenario;

import io.runnel.benchmarks.BenchContext;
import io.runnel.benchmarks.Progress;
import io.runnel.benchmarks.Scenario;
import io.runnel.benchmarks.flink.FlinkBench;
import io.runnel.benchmarks.kafka.KafkaBroker;
import io.runnel.benchmarks.kafka.KafkaStreamsBench;
import io.runnel.benchmarks.runnel.PageViewTopics;
import io.runnel.benchmarks.runnel.RunnelStreamsBench;
import java.util.List;

/**
 * The stream scenarios over the generated page views: {@code streams-window} (filter bots, key
 * by url, 1-minute tumbling count) and {@code streams-session} (key by user, 30-minute session
 * windows), in event time, at parallelism 1 and 2, each system's result checked. Runnel runs
 * twice: from an in-memory source ({@code memory-p<n>}, as Flink reads) and from a 6-partition
 * log topic ({@code log-p<n>}, as issue 3 asks and as Kafka Streams reads); the target
 * ratios are taken on the log-topic variants.
 */
public final class StreamsScenario implements Scenario {

    /** Which of the two stream scenarios. */
    public enum Kind { WINDOW, SESSION }

    private final Kind kind;

    public StreamsScenario(Kind kind) {
        this.kind = kind;
    }

    @Override
    public String name() {
        return kind == Kind.WINDOW ? "streams-window" : "streams-session";
    }

    @Override
    public String summary() {
        return kind == Kind.WINDOW
                ? "page views: filter bots, key by url, 1-minute tumbling count, parallelism 1 and 2 (Runnel"
                        + " from memory and from a log topic)"
                : "page views: key by user, session windows with a 30-minute gap, parallelism 1 and 2 (Runnel"
                        + " from memory and from a log topic)";
    }

    @Override
    public List<String> systems() {
        return List.of(RunnelStreamsBench.SYSTEM, KafkaStreamsBench.SYSTEM, FlinkBench.SYSTEM);
    }

    @Override
    public void run(BenchContext context) {
        StreamWorkload workload = StreamWorkload.of(name(), context);
        context.system(RunnelStreamsBench.SYSTEM, () -> runRunnel(context, workload));
        context.system(KafkaStreamsBench.SYSTEM, () -> runKafkaStreams(context, workload));
        context.system(FlinkBench.SYSTEM, () -> {
            FlinkBench flink = new FlinkBench(context, workload);
            context.variant(FlinkBench.SYSTEM, "warm-up", () -> runFlink(flink, workload.warmupEvents(), 1, false));
            for (int parallelism : StreamWorkload.PARALLELISMS) {
                context.variant(FlinkBench.SYSTEM, "p" + parallelism,
                        () -> runFlink(flink, workload.flinkEvents(), parallelism, true));
            }
        });
    }

    private void runKafkaStreams(BenchContext context, StreamWorkload workload) throws Exception {
        try (KafkaBroker broker = context.register(KafkaBroker.start(context.tempDir("kafka")))) {
            KafkaStreamsBench streams = new KafkaStreamsBench(context, broker, workload);
            long events = workload.kafkaStreamsEvents();
            String warmup = streams.fillTopic("page-views-warmup", 0, workload.warmupEvents());
            String topic = streams.fillTopic("page-views", 0, events);
            context.variant(KafkaStreamsBench.SYSTEM, "warm-up",
                    () -> runKafkaStreams(streams, warmup, workload.warmupEvents(), 1, false));
            for (int threads : StreamWorkload.PARALLELISMS) {
                context.variant(KafkaStreamsBench.SYSTEM, "threads-" + threads,
                        () -> runKafkaStreams(streams, topic, events, threads, true));
            }
        }
    }

    private void runKafkaStreams(KafkaStreamsBench streams, String topic, long events, int threads, boolean measured)
            throws Exception {
        if (kind == Kind.WINDOW) {
            streams.window(topic, events, threads, measured);
        } else {
            streams.session(topic, events, threads, measured);
        }
    }

    /**
     * Runnel reads the events from memory ({@code memory-p<n>}), then from a log topic
     * ({@code log-p<n>}) that is filled before, untimed. Each source has its own warm-up run.
     */
    private void runRunnel(BenchContext context, StreamWorkload workload) throws Exception {
        RunnelStreamsBench runnel = new RunnelStreamsBench(context, workload);
        runRunnelVariants(context, runnel, runnel.memory(workload.warmupEvents()), runnel.memory(workload.runnelEvents()));
        try (PageViewTopics topics = context.register(PageViewTopics.open(context.tempDir("runnel-topics")))) {
            long events = workload.runnelEvents();
            long start = System.nanoTime();
            String warmup = topics.fill("page-views-warmup", workload.generator(), 0, workload.warmupEvents());
            String topic = topics.fill("page-views", workload.generator(), 0, events);
            Progress.say("runnel: wrote %,d + %,d page views into %d-partition log topics in %.1f s (not timed)",
                    workload.warmupEvents(), events, PageViewTopics.PARTITIONS, (System.nanoTime() - start) / 1e9);
            runRunnelVariants(context, runnel, runnel.logTopic(topics, warmup, workload.warmupEvents()),
                    runnel.logTopic(topics, topic, events));
        }
    }

    private void runRunnelVariants(BenchContext context, RunnelStreamsBench runnel, RunnelStreamsBench.Input warmup,
            RunnelStreamsBench.Input measured) {
        context.variant(RunnelStreamsBench.SYSTEM, warmup.name() + "-warm-up", () -> runRunnel(runnel, warmup, 1, false));
        for (int parallelism : StreamWorkload.PARALLELISMS) {
            context.variant(RunnelStreamsBench.SYSTEM, measured.name() + "-p" + parallelism,
                    () -> runRunnel(runnel, measured, parallelism, true));
        }
    }

    private void runRunnel(RunnelStreamsBench runnel, RunnelStreamsBench.Input input, int parallelism, boolean measured) {
        if (kind == Kind.WINDOW) {
            runnel.window(input, parallelism, measured);
        } else {
            runnel.session(input, parallelism, measured);
        }
    }

    private void runFlink(FlinkBench flink, long events, int parallelism, boolean measured) throws Exception {
        if (kind == Kind.WINDOW) {
            flink.window(events, parallelism, measured);
        } else {
            flink.session(events, parallelism, measured);
        }
    }
}
