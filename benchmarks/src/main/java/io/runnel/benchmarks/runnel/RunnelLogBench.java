package io.runnel.benchmarks.runnel;

import io.runnel.benchmarks.BenchContext;
import io.runnel.benchmarks.BenchResult;
import io.runnel.benchmarks.CheckFailedException;
import io.runnel.benchmarks.Progress;
import io.runnel.benchmarks.data.Payloads;
import io.runnel.benchmarks.kafka.KafkaLogBench;
import io.runnel.benchmarks.latency.LatencyProbe;
import io.runnel.benchmarks.latency.Pacer;
import io.runnel.benchmarks.scenario.LogWorkload;
import io.runnel.benchmarks.scenario.ParallelRead;
import io.runnel.log.Consumer;
import io.runnel.log.ConsumerConfig;
import io.runnel.log.ConsumerRecord;
import io.runnel.log.Durability;
import io.runnel.log.Log;
import io.runnel.log.LogConfig;
import io.runnel.log.Producer;
import io.runnel.log.ProducerRecord;
import io.runnel.log.RecordHandler;
import io.runnel.log.RecordMetadata;
import io.runnel.log.RecordView;
import io.runnel.log.Serdes;
import io.runnel.log.TopicConfig;
import io.runnel.log.TopicPartition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;

/**
 * The log workloads against Runnel's log ({@code system=runnel}), embedded in this process: the
 * same records, topic shape and checks as {@link KafkaLogBench}, for each durability policy,
 * 1 and 4 producer threads sharing one producer, and single sends or batch sends
 * ({@code sendAll}) as variants. Each variant opens a fresh log in its own directory, deleted
 * afterwards.
 */
public final class RunnelLogBench {

    public static final String SYSTEM = "runnel";

    /** The force interval of the {@code interval} policy. */
    public static final Duration INTERVAL = Duration.ofMillis(10);

    private final BenchContext context;
    private final LogWorkload workload;

    public RunnelLogBench(BenchContext context, LogWorkload workload) {
        this.context = context;
        this.workload = workload;
    }

    /** The policy named {@code os}, {@code interval} or {@code fsync}. */
    public static Durability durability(String name) {
        return switch (name) {
            case "os" -> Durability.os();
            case "interval" -> Durability.interval(INTERVAL);
            case "fsync" -> Durability.fsync();
            default -> throw new IllegalArgumentException("unknown durability '" + name + "': os, interval or fsync");
        };
    }

    /** Counts acknowledgements and keeps the first failure. Thread-safe; one instance per run. */
    private static final class Acks implements BiConsumer<RecordMetadata, Throwable> {
        final AtomicLong acked = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        @Override
        public void accept(RecordMetadata metadata, Throwable error) {
            if (error == null) {
                acked.incrementAndGet();
            } else {
                failure.compareAndSet(null, error);
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

    /** Appends the workload's records with {@code threads} threads sending {@code batch} at a time. */
    public void append(String durability, int threads, int batch) throws Exception {
        String variant = durability + "-t" + threads + "-b" + batch;
        Path dir = context.tempDir("runnel-" + variant);
        try (Log log = Log.open(dir, LogConfig.defaults().withDurability(durability(durability)))) {
            log.createTopic("warmup", TopicConfig.partitions(LogWorkload.PARTITIONS));
            try (Producer<byte[], byte[]> producer = log.producer(Serdes.bytes(), Serdes.bytes())) {
                produce(producer, "warmup", workload.warmupRecords(), threads, batch).verify(workload.warmupRecords());
                long n = workload.records();
                double[] seconds = new double[workload.passes()];
                for (int i = 0; i < seconds.length; i++) {
                    String topic = "append-" + i;
                    log.createTopic(topic, TopicConfig.partitions(LogWorkload.PARTITIONS));
                    Progress.say("runnel append %s: pass %d of %d, %,d records of %d B", variant, i + 1, seconds.length,
                            n, workload.valueBytes());
                    long start = System.nanoTime();
                    Acks acks = produce(producer, topic, n, threads, batch);
                    seconds[i] = (System.nanoTime() - start) / 1e9;
                    acks.verify(n);
                    long stored = endOffsetSum(log, topic);
                    if (stored != n) {
                        throw new CheckFailedException("topic " + topic + " holds " + stored + " records, expected " + n);
                    }
                    log.deleteTopic(topic); // keeps the disk use of a variant to one pass
                }
                BenchResult.Builder result = BenchResult.of(workload.scenario(), SYSTEM, variant)
                        .config("durability", durability)
                        .config("threads", threads)
                        .config("batch", batch);
                if (durability.equals("interval")) {
                    result.config("interval_ms", INTERVAL.toMillis());
                }
                context.report(workload.fromPasses(result, seconds));
            }
        } finally {
            BenchContext.deleteRecursively(dir);
        }
    }

    /** The variant name of a read with {@code consumers} consumers, through record views if {@code view}. */
    public static String readVariant(int consumers, boolean view) {
        return ParallelRead.variant(consumers) + (view ? "-view" : "");
    }

    /**
     * Fills a topic (not timed), then reads it from the beginning with {@code consumers} consumers,
     * each assigned an equal share of the partitions on a thread of its own: through
     * {@link Consumer#poll(Duration)} ({@code ConsumerRecord}s, as Kafka's consumer reads), or with
     * {@code view} through {@link Consumer#poll(Duration, RecordHandler)}, hashing each value where
     * it lies in the consumer's buffer.
     */
    public void read(int consumers, boolean view) throws Exception {
        Path dir = context.tempDir("runnel-read");
        try (Log log = Log.open(dir, LogConfig.defaults().withDurability(Durability.os()))) {
            log.createTopic("warmup", TopicConfig.partitions(LogWorkload.PARTITIONS));
            log.createTopic("read", TopicConfig.partitions(LogWorkload.PARTITIONS));
            long n = workload.records();
            try (Producer<byte[], byte[]> producer = log.producer(Serdes.bytes(), Serdes.bytes())) {
                Progress.say("runnel read: filling topics with %,d + %,d records", workload.warmupRecords(), n);
                produce(producer, "warmup", workload.warmupRecords(), 1, 100).verify(workload.warmupRecords());
                produce(producer, "read", n, 1, 100).verify(n);
            }
            Payloads payloads = workload.payloads();
            ParallelRead.run("warmup", consumers, workload.warmupRecords(),
                    payloads.expectedChecksum(workload.warmupRecords()), workload.timeout(),
                    (topic, share) -> reader(log, topic, share, view));
            long expected = payloads.expectedChecksum(n);
            double[] seconds = new double[workload.passes()];
            for (int i = 0; i < seconds.length; i++) {
                Progress.say("runnel read: %d consumer(s), pass %d of %d, consuming %,d records", consumers, i + 1,
                        seconds.length, n);
                seconds[i] = ParallelRead.run("read", consumers, n, expected, workload.timeout(),
                        (topic, share) -> reader(log, topic, share, view));
            }
            context.report(workload.fromPasses(BenchResult.of(workload.scenario(), SYSTEM, readVariant(consumers, view))
                    .config("consumers", consumers).config("api", view ? "view" : "poll"), seconds));
        } finally {
            BenchContext.deleteRecursively(dir);
        }
    }

    private static ParallelRead.Reader reader(Log log, String topic, List<Integer> share, boolean view) {
        Consumer<byte[], byte[]> consumer = log.consumer(Serdes.bytes(), Serdes.bytes(), ConsumerConfig.defaults());
        List<TopicPartition> partitions = share.stream().map(p -> new TopicPartition(topic, p)).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return view ? new ViewReader(consumer) : new ParallelRead.Reader() {
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

    /** Reads through record views: each value is hashed where it lies in the consumer's buffer, nothing is copied. */
    private static final class ViewReader implements ParallelRead.Reader, RecordHandler<byte[], byte[]> {
        private final Consumer<byte[], byte[]> consumer;
        private ParallelRead.Tally tally;

        ViewReader(Consumer<byte[], byte[]> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void poll(ParallelRead.Tally tally) {
            this.tally = tally;
            consumer.poll(Duration.ofMillis(100), this);
        }

        @Override
        public void onRecord(RecordView<byte[], byte[]> record) {
            tally.add(Payloads.hash(record.valueBuffer()));
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    /**
     * Appends at the workload's fixed rate from one thread while a consumer polls; records each
     * record's latency from its intended send time to its arrival at the consumer.
     */
    public void latency(String durability) throws Exception {
        Path dir = context.tempDir("runnel-latency-" + durability);
        long warmupNanos = workload.latencyWarmup().toNanos();
        long measureNanos = workload.latencyMeasure().toNanos();
        long total = workload.latencyRate() * (warmupNanos + measureNanos) / 1_000_000_000L;
        AtomicReference<Throwable> consumerFailure = new AtomicReference<>();
        try (Log log = Log.open(dir, LogConfig.defaults().withDurability(durability(durability)))) {
            log.createTopic("latency", TopicConfig.partitions(LogWorkload.PARTITIONS));
            long start = System.nanoTime() + 50_000_000L;
            long measureStart = start + warmupNanos;
            long end = measureStart + measureNanos;
            LatencyProbe probe = new LatencyProbe(total, measureStart);
            Thread receiver = new Thread(() -> {
                try (Consumer<byte[], byte[]> consumer = log.consumer(Serdes.bytes(), Serdes.bytes(), ConsumerConfig.defaults())) {
                    consumer.assign(partitions("latency"));
                    long deadline = end + workload.timeout().toNanos();
                    while (!probe.complete() && System.nanoTime() < deadline) {
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                            probe.receive(r.value(), System.nanoTime());
                        }
                    }
                } catch (Throwable t) {
                    consumerFailure.set(t);
                }
            }, "runnel-latency-consumer");
            receiver.start();
            Progress.say("runnel latency %s: %,d records/s for %s warm-up + %s measured", durability,
                    workload.latencyRate(), workload.latencyWarmup(), workload.latencyMeasure());
            Acks acks = new Acks();
            try (Producer<byte[], byte[]> producer = log.producer(Serdes.bytes(), Serdes.bytes())) {
                Pacer pacer = new Pacer(start, workload.latencyRate());
                for (long seq = 0; seq < total; seq++) {
                    long intended = pacer.awaitNext();
                    byte[] value = LatencyProbe.value(workload.valueBytes(), seq, intended);
                    producer.send("latency", null, value).whenComplete(acks);
                }
                producer.flush();
            }
            receiver.join(workload.timeout().toMillis() + 5_000);
            acks.verify(total);
            if (consumerFailure.get() != null) {
                throw new IllegalStateException("latency consumer failed", consumerFailure.get());
            }
            probe.verify();
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("durability", durability);
            config.put("threads", 1);
            config.put("batch", 1);
            KafkaLogBench.reportLatency(context, workload, SYSTEM, durability, config, probe);
        } finally {
            BenchContext.deleteRecursively(dir);
        }
    }

    /**
     * Sends records 0 .. n-1 of the workload's payloads from {@code threads} threads (thread t
     * sends every index with {@code index % threads == t}), {@code batch} records per call, and
     * waits until all are acknowledged.
     */
    private Acks produce(Producer<byte[], byte[]> producer, String topic, long n, int threads, int batch)
            throws InterruptedException {
        Acks acks = new Acks();
        Payloads payloads = workload.payloads();
        AtomicReference<Throwable> senderFailure = new AtomicReference<>();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            Thread sender = new Thread(() -> {
                try {
                    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(batch);
                    for (long i = first; i < n; i += threads) {
                        if (batch == 1) {
                            producer.send(topic, null, payloads.value(i)).whenComplete(acks);
                            continue;
                        }
                        records.add(ProducerRecord.of(topic, null, payloads.value(i)));
                        if (records.size() == batch || i + threads >= n) {
                            for (CompletableFuture<RecordMetadata> f : producer.sendAll(records)) {
                                f.whenComplete(acks);
                            }
                            records = new ArrayList<>(batch);
                        }
                    }
                } catch (Throwable e) {
                    senderFailure.compareAndSet(null, e);
                }
            }, "runnel-sender-" + t);
            sender.start();
            senders.add(sender);
        }
        for (Thread sender : senders) {
            sender.join();
        }
        producer.flush();
        if (senderFailure.get() != null) {
            throw new IllegalStateException("a sender thread failed", senderFailure.get());
        }
        return acks;
    }

    private static List<TopicPartition> partitions(String topic) {
        return IntStream.range(0, LogWorkload.PARTITIONS).mapToObj(p -> new TopicPartition(topic, p)).toList();
    }

    private static long endOffsetSum(Log log, String topic) {
        return partitions(topic).stream().mapToLong(log::endOffset).sum();
    }
}
