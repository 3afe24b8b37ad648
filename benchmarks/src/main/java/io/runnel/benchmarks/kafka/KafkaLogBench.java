package io.runnel.benchmarks.kafka;

import io.runnel.benchmarks.BenchContext;
import io.runnel.benchmarks.BenchResult;
import io.runnel.benchmarks.CheckFailedException;
import io.runnel.benchmarks.Progress;
import io.runnel.benchmarks.data.Payloads;
import io.runnel.benchmarks.latency.LatencyProbe;
import io.runnel.benchmarks.latency.LatencyRecorder;
import io.runnel.benchmarks.latency.Pacer;
import io.runnel.benchmarks.scenario.LogWorkload;
import io.runnel.benchmarks.scenario.ParallelRead;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The log workloads against one Kafka broker ({@code system=kafka}): produce, consume from the
 * beginning, and send-to-receive latency at a fixed rate, with the anchor's fixed settings.
 */
public final class KafkaLogBench {

    public static final String SYSTEM = "kafka";

    private final BenchContext context;
    private final KafkaBroker broker;
    private final LogWorkload workload;
    private int topics;

    public KafkaLogBench(BenchContext context, KafkaBroker broker, LogWorkload workload) {
        this.context = context;
        this.broker = broker;
        this.workload = workload;
    }

    /** Counts acknowledgements and remembers the first failure. Thread-safe. */
    private static final class Acks implements Callback {
        final AtomicLong acked = new AtomicLong();
        final AtomicReference<Exception> failure = new AtomicReference<>();

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            if (exception == null) {
                acked.incrementAndGet();
            } else {
                failure.compareAndSet(null, exception);
            }
        }

        void verify(long expected) {
            if (failure.get() != null) {
                throw new CheckFailedException("a send failed: " + failure.get());
            }
            if (acked.get() != expected) {
                throw new CheckFailedException("acknowledged " + acked.get() + " of " + expected + " records");
            }
        }
    }

    /** Produces the workload's records with {@code acks} and reports the throughput (median of the passes). */
    public void append(String acks) throws Exception {
        String warmTopic = newTopic("warmup-acks-" + acks);
        long n = workload.records();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaClients.producer(broker.bootstrapServers(), acks))) {
            Progress.say("kafka append acks=%s: warm-up %,d records", acks, workload.warmupRecords());
            produce(producer, warmTopic, workload.warmupRecords()).verify(workload.warmupRecords());
            double[] seconds = new double[workload.passes()];
            for (int i = 0; i < seconds.length; i++) {
                String topic = newTopic("append-acks-" + acks + "-" + i);
                Progress.say("kafka append acks=%s: pass %d of %d, %,d records of %d B", acks, i + 1, seconds.length, n,
                        workload.valueBytes());
                long start = System.nanoTime();
                Acks result = produce(producer, topic, n);
                seconds[i] = (System.nanoTime() - start) / 1e9;
                result.verify(n);
                long stored = endOffsetSum(topic);
                if (stored != n) {
                    throw new CheckFailedException("topic " + topic + " holds " + stored + " records, expected " + n);
                }
                deleteTopic(topic); // keeps the disk use to one pass
            }
            context.report(workload.fromPasses(BenchResult.of(workload.scenario(), SYSTEM, "acks-" + acks)
                    .config("acks", acks)
                    .extra("linger_ms", KafkaClients.LINGER_MS)
                    .extra("batch_bytes", KafkaClients.BATCH_BYTES), seconds));
        }
    }

    /**
     * Fills a topic (not timed), then consumes it from the beginning with {@code consumers}
     * consumers, each assigned an equal share of the partitions on a thread of its own.
     */
    public void read(int consumers) throws Exception {
        String topic = newTopic("read");
        String warmTopic = newTopic("read-warmup");
        long n = workload.records();
        Payloads payloads = workload.payloads();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaClients.producer(broker.bootstrapServers(), "1"))) {
            Progress.say("kafka read: filling topics with %,d + %,d records", workload.warmupRecords(), n);
            produce(producer, warmTopic, workload.warmupRecords()).verify(workload.warmupRecords());
            produce(producer, topic, n).verify(n);
        }
        long expectedChecksum = payloads.expectedChecksum(n);
        ParallelRead.run(warmTopic, consumers, workload.warmupRecords(),
                payloads.expectedChecksum(workload.warmupRecords()), workload.timeout(), this::reader);
        double[] seconds = new double[workload.passes()];
        for (int i = 0; i < seconds.length; i++) {
            Progress.say("kafka read: %d consumer(s), pass %d of %d, consuming %,d records", consumers, i + 1,
                    seconds.length, n);
            seconds[i] = ParallelRead.run(topic, consumers, n, expectedChecksum, workload.timeout(), this::reader);
        }
        context.report(workload.fromPasses(BenchResult.of(workload.scenario(), SYSTEM, ParallelRead.variant(consumers))
                .config("consumers", consumers), seconds));
    }

    private ParallelRead.Reader reader(String topic, List<Integer> share) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                KafkaClients.consumer(broker.bootstrapServers(), "read-" + topic));
        List<TopicPartition> partitions = share.stream().map(p -> new TopicPartition(topic, p)).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        partitions.forEach(consumer::position); // resolve the positions before the clock starts
        return new ParallelRead.Reader() {
            @Override
            public void poll(ParallelRead.Tally tally) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    tally.add(Payloads.hash(r.value()));
                }
            }

            @Override
            public void close() {
                consumer.close();
            }
        };
    }

    /**
     * Sends at the workload's fixed rate, records each record's latency from its intended send
     * time to its arrival at a consumer, and reports the percentiles after the warm-up.
     */
    public void latency(String acks) throws Exception {
        String topic = newTopic("latency-acks-" + acks);
        int valueBytes = workload.valueBytes();
        long warmupNanos = workload.latencyWarmup().toNanos();
        long measureNanos = workload.latencyMeasure().toNanos();
        long total = workload.latencyRate() * (warmupNanos + measureNanos) / 1_000_000_000L;
        AtomicReference<Throwable> consumerFailure = new AtomicReference<>();

        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                        KafkaClients.consumer(broker.bootstrapServers(), "latency-" + topic));
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaClients.producer(broker.bootstrapServers(), acks))) {
            List<TopicPartition> parts = partitions(topic);
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position); // resolve the end offsets before anything is sent
            long start = System.nanoTime() + 50_000_000L;
            long measureStart = start + warmupNanos;
            long end = measureStart + measureNanos;
            LatencyProbe probe = new LatencyProbe(total, measureStart);
            Thread receiver = new Thread(() -> {
                try {
                    long deadline = end + workload.timeout().toNanos();
                    while (!probe.complete() && System.nanoTime() < deadline) {
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                            probe.receive(r.value(), System.nanoTime());
                        }
                    }
                } catch (Throwable t) {
                    consumerFailure.set(t);
                }
            }, "kafka-latency-consumer");
            receiver.start();
            Progress.say("kafka latency acks=%s: %,d records/s for %s warm-up + %s measured", acks,
                    workload.latencyRate(), workload.latencyWarmup(), workload.latencyMeasure());
            Acks acked = new Acks();
            Pacer pacer = new Pacer(start, workload.latencyRate());
            for (long seq = 0; seq < total; seq++) {
                long intended = pacer.awaitNext();
                byte[] value = LatencyProbe.value(valueBytes, seq, intended);
                producer.send(new ProducerRecord<>(topic, value), acked);
            }
            producer.flush();
            receiver.join(workload.timeout().toMillis() + 5_000);
            acked.verify(total);
            if (consumerFailure.get() != null) {
                throw new IllegalStateException("latency consumer failed", consumerFailure.get());
            }
            probe.verify();
            reportLatency(context, workload, SYSTEM, "acks-" + acks, Map.of("acks", acks), probe);
        }
    }

    /** Reports a latency result and its distribution. */
    public static void reportLatency(BenchContext context, LogWorkload workload, String system, String variant,
            Map<String, Object> config, LatencyProbe probe) {
        LatencyRecorder recorder = probe.recorder();
        BenchResult.Builder b = BenchResult.of(workload.scenario(), system, variant);
        config.forEach(b::config);
        BenchResult result = b.measured(probe.measured(), workload.latencyMeasure().toNanos() / 1e9)
                .latency(recorder.percentileUs(50), recorder.percentileUs(99), recorder.percentileUs(99.9))
                .extra("rate", workload.latencyRate())
                .extra("max_us", recorder.maxUs())
                .build();
        context.distribution(result, recorder.distribution());
        context.report(result);
    }

    private Acks produce(KafkaProducer<byte[], byte[]> producer, String topic, long n) {
        Acks acks = new Acks();
        Payloads payloads = workload.payloads();
        for (long i = 0; i < n; i++) {
            producer.send(new ProducerRecord<>(topic, payloads.value(i)), acks);
        }
        producer.flush();
        return acks;
    }

    private String newTopic(String prefix) throws Exception {
        String name = prefix + "-" + (topics++);
        broker.createTopic(name, LogWorkload.PARTITIONS, Map.of());
        return name;
    }

    private void deleteTopic(String name) throws Exception {
        broker.admin().deleteTopics(List.of(name)).all().get(30, TimeUnit.SECONDS);
    }

    private List<TopicPartition> partitions(String topic) {
        return IntStream.range(0, LogWorkload.PARTITIONS)
                .mapToObj(p -> new TopicPartition(topic, p)).toList();
    }

    private long endOffsetSum(String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        for (TopicPartition tp : partitions(topic)) {
            specs.put(tp, OffsetSpec.latest());
        }
        return broker.admin().listOffsets(specs).all().get(30, TimeUnit.SECONDS).values().stream()
                .mapToLong(info -> info.offset()).sum();
    }
}
