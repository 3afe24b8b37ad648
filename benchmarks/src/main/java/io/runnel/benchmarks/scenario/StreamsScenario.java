package io.runnel.benchmarks.scenario;

import io.runnel.benchmarks.BenchContext;
import io.runnel.benchmarks.Scenario;
import io.runnel.benchmarks.flink.FlinkBench;
import io.runnel.benchmarks.kafka.KafkaBroker;
import io.runnel.benchmarks.kafka.KafkaStreamsBench;
import io.runnel.benchmarks.runnel.RunnelStreamsBench;
import java.util.List;

/**
 * The stream scenarios over the generated page views: {@code streams-window} (filter bots, key
 * by url, 1-minute tumbling count) and {@code streams-session} (key by user, 30-minute session
 * windows), in event time, at parallelism 1 and 2, each system's result checked.
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
                ? "page views: filter bots, key by url, 1-minute tumbling count, parallelism 1 and 2"
                : "page views: key by user, session windows with a 30-minute gap, parallelism 1 and 2";
    }

    @Override
    public List<String> systems() {
        return List.of(RunnelStreamsBench.SYSTEM, KafkaStreamsBench.SYSTEM, FlinkBench.SYSTEM);
    }

    @Override
    public void run(BenchContext context) {
        StreamWorkload workload = StreamWorkload.of(name(), context);
        context.system(RunnelStreamsBench.SYSTEM, () -> {
            RunnelStreamsBench runnel = new RunnelStreamsBench(context, workload);
            context.variant(RunnelStreamsBench.SYSTEM, "warm-up", () -> runRunnel(runnel, workload.warmupEvents(), 1, false));
            for (int parallelism : StreamWorkload.PARALLELISMS) {
                context.variant(RunnelStreamsBench.SYSTEM, "memory-p" + parallelism,
                        () -> runRunnel(runnel, workload.runnelEvents(), parallelism, true));
            }
        });
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

    private void runRunnel(RunnelStreamsBench runnel, long events, int parallelism, boolean measured) {
        if (kind == Kind.WINDOW) {
            runnel.window(events, parallelism, measured);
        } else {
            runnel.session(events, parallelism, measured);
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
