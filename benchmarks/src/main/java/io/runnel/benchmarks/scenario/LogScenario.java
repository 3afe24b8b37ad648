package io.runnel.benchmarks.scenario;

import io.runnel.benchmarks.BenchContext;
import io.runnel.benchmarks.Scenario;
import io.runnel.benchmarks.kafka.KafkaBroker;
import io.runnel.benchmarks.kafka.KafkaLogBench;
import java.util.List;

/**
 * The log scenarios: {@code log-append} (records/s and MB/s), {@code log-read} (sequential
 * consume from the beginning) and {@code log-latency} (send-to-receive at a fixed rate), each
 * against every log system of the command.
 */
public final class LogScenario implements Scenario {

    /** Which of the three log scenarios. */
    public enum Kind { APPEND, READ, LATENCY }

    private final Kind kind;

    public LogScenario(Kind kind) {
        this.kind = kind;
    }

    @Override
    public String name() {
        return switch (kind) {
            case APPEND -> "log-append";
            case READ -> "log-read";
            case LATENCY -> "log-latency";
        };
    }

    @Override
    public String summary() {
        return switch (kind) {
            case APPEND -> "append 5*10^6 records of 100 B to a 6-partition topic (Kafka: acks 1 and all)";
            case READ -> "read 5*10^6 records of 100 B from the beginning, one consumer, count and checksum checked";
            case LATENCY -> "send-to-receive latency p50/p99/p99.9 at 10,000 records/s (10 s warm-up, 30 s measured)";
        };
    }

    @Override
    public List<String> systems() {
        return List.of(KafkaLogBench.SYSTEM);
    }

    @Override
    public void run(BenchContext context) {
        LogWorkload workload = LogWorkload.of(name(), context);
        context.system(KafkaLogBench.SYSTEM, () -> {
            try (KafkaBroker broker = context.register(KafkaBroker.start(context.tempDir("kafka")))) {
                KafkaLogBench kafka = new KafkaLogBench(context, broker, workload);
                switch (kind) {
                    case APPEND -> {
                        context.variant(KafkaLogBench.SYSTEM, "acks-1", () -> kafka.append("1"));
                        context.variant(KafkaLogBench.SYSTEM, "acks-all", () -> kafka.append("all"));
                    }
                    case READ -> context.variant(KafkaLogBench.SYSTEM, "consumer-1", kafka::read);
                    case LATENCY -> {
                        context.variant(KafkaLogBench.SYSTEM, "acks-1", () -> kafka.latency("1"));
                        context.variant(KafkaLogBench.SYSTEM, "acks-all", () -> kafka.latency("all"));
                    }
                }
            }
        });
    }
}
