package io.runnel.benchmarks.scenario;

import io.runnel.benchmarks.BenchContext;
import io.runnel.benchmarks.Scenario;
import io.runnel.benchmarks.kafka.KafkaBroker;
import io.runnel.benchmarks.kafka.KafkaLogBench;
import io.runnel.benchmarks.runnel.RunnelLogBench;
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
            case APPEND -> "append 5*10^6 records of 100 B to a 6-partition topic, median of 5 passes (Runnel: each"
                    + " durability, 1 and 4 threads, send and sendAll of 100; Kafka: acks 1 and all)";
            case READ -> "read 5*10^6 records of 100 B from the beginning with 1 and with 2 consumers (3 partitions"
                    + " each), median of 5 passes, count and checksum checked (Runnel: ConsumerRecords, and record"
                    + " views read in place)";
            case LATENCY -> "send-to-receive latency p50/p99/p99.9 at 10,000 records/s (10 s warm-up, 30 s measured;"
                    + " Runnel: each durability)";
        };
    }

    /** Producer threads of Runnel's append variants. */
    public static final List<Integer> THREADS = List.of(1, 4);
    /** Records per send call of Runnel's append variants (1: {@code send}, more: {@code sendAll}). */
    public static final List<Integer> BATCHES = List.of(1, 100);
    /** Consumers of the read variants (each on its own thread, the partitions split evenly). */
    public static final List<Integer> CONSUMERS = List.of(1, 2);
    /** Runnel's durability policies, each a variant of every log scenario. */
    public static final List<String> DURABILITIES = List.of("os", "interval", "fsync");

    @Override
    public List<String> systems() {
        return List.of(RunnelLogBench.SYSTEM, KafkaLogBench.SYSTEM);
    }

    @Override
    public void run(BenchContext context) {
        LogWorkload workload = LogWorkload.of(name(), context);
        context.system(RunnelLogBench.SYSTEM, () -> {
            RunnelLogBench runnel = new RunnelLogBench(context, workload);
            switch (kind) {
                case APPEND -> {
                    for (String durability : DURABILITIES) {
                        for (int threads : THREADS) {
                            for (int batch : BATCHES) {
                                context.variant(RunnelLogBench.SYSTEM, durability + "-t" + threads + "-b" + batch,
                                        () -> runnel.append(durability, threads, batch));
                            }
                        }
                    }
                }
                case READ -> {
                    for (boolean view : List.of(false, true)) {
                        for (int consumers : CONSUMERS) {
                            context.variant(RunnelLogBench.SYSTEM, RunnelLogBench.readVariant(consumers, view),
                                    () -> runnel.read(consumers, view));
                        }
                    }
                }
                case LATENCY -> {
                    for (String durability : DURABILITIES) {
                        context.variant(RunnelLogBench.SYSTEM, durability, () -> runnel.latency(durability));
                    }
                }
            }
        });
        context.system(KafkaLogBench.SYSTEM, () -> {
            try (KafkaBroker broker = context.register(KafkaBroker.start(context.tempDir("kafka")))) {
                KafkaLogBench kafka = new KafkaLogBench(context, broker, workload);
                switch (kind) {
                    case APPEND -> {
                        context.variant(KafkaLogBench.SYSTEM, "acks-1", () -> kafka.append("1"));
                        context.variant(KafkaLogBench.SYSTEM, "acks-all", () -> kafka.append("all"));
                    }
                    case READ -> {
                        for (int consumers : CONSUMERS) {
                            context.variant(KafkaLogBench.SYSTEM, ParallelRead.variant(consumers), () -> kafka.read(consumers));
                        }
                    }
                    case LATENCY -> {
                        context.variant(KafkaLogBench.SYSTEM, "acks-1", () -> kafka.latency("1"));
                        context.variant(KafkaLogBench.SYSTEM, "acks-all", () -> kafka.latency("all"));
                    }
                }
            }
        });
    }
}
