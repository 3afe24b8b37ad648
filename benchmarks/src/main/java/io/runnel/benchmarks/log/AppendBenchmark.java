package io.runnel.benchmarks.log;

import io.runnel.benchmarks.BenchContext;
import io.runnel.benchmarks.data.Payloads;
import io.runnel.log.Consumer;
import io.runnel.log.ConsumerConfig;
import io.runnel.log.ConsumerRecords;
import io.runnel.log.Durability;
import io.runnel.log.Log;
import io.runnel.log.LogConfig;
import io.runnel.log.Producer;
import io.runnel.log.ProducerRecord;
import io.runnel.log.RecordMetadata;
import io.runnel.log.Serdes;
import io.runnel.log.TopicConfig;
import io.runnel.log.TopicPartition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The append path end to end (serialize, ring, journal thread, batch encoding, write) under the
 * OS durability policy, and the read path's lookup (seek to a random offset, poll). Run with
 * {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes allocated per record sent, by every
 * thread (the caller's future and record, the journal's share).
 *
 * <p>Topics roll 64 MiB segments and keep at most 256 MiB per partition, so a long run does not
 * fill the disk.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AppendBenchmark {

    private static final int PARTITIONS = 6;
    private static final int BATCH = 100;
    private static final int LOOKUP_RECORDS = 1_000_000;

    private Path dir;
    private Log log;
    private Producer<byte[], byte[]> producer;
    private Consumer<byte[], byte[]> consumer;
    private byte[] value;
    private List<ProducerRecord<byte[], byte[]>> batch;
    private SplittableRandom random;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("runnel-jmh-append-");
        log = Log.open(dir, LogConfig.defaults().withDurability(Durability.os())
                .withRetentionCheckInterval(Duration.ofSeconds(1)));
        TopicConfig topic = TopicConfig.partitions(PARTITIONS).withSegmentBytes(64L << 20).withRetentionBytes(256L << 20);
        log.createTopic("append", topic);
        log.createTopic("lookup", TopicConfig.partitions(1));
        producer = log.producer(Serdes.bytes(), Serdes.bytes());
        value = new Payloads(42, 100).value(0);
        batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            batch.add(ProducerRecord.of("append", null, value));
        }
        List<ProducerRecord<byte[], byte[]>> fill = new ArrayList<>();
        for (int i = 0; i < LOOKUP_RECORDS; i++) {
            fill.add(ProducerRecord.of("lookup", null, value));
            if (fill.size() == 1000) {
                producer.sendAll(fill);
                fill.clear();
            }
        }
        producer.flush();
        consumer = log.consumer(Serdes.bytes(), Serdes.bytes(), ConsumerConfig.defaults().withMaxPollRecords(1));
        consumer.assign(List.of(new TopicPartition("lookup", 0)));
        random = new SplittableRandom(42);
    }

    @TearDown(Level.Iteration)
    public void flush() {
        producer.flush();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        consumer.close();
        producer.close();
        log.close();
        BenchContext.deleteRecursively(dir);
    }

    /** One record per {@code send}; score is records per microsecond. */
    @Benchmark
    public CompletableFuture<RecordMetadata> send() {
        return producer.send("append", null, value);
    }

    /** 100 records per {@code sendAll}; score is records per microsecond. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public List<CompletableFuture<RecordMetadata>> sendAll() {
        return producer.sendAll(batch);
    }

    /** Seek to a random offset and read the record there: index lookup plus forward scan. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public ConsumerRecords<byte[], byte[]> seekAndPoll() {
        TopicPartition tp = new TopicPartition("lookup", 0);
        consumer.seek(tp, random.nextLong(LOOKUP_RECORDS));
        return consumer.poll(Duration.ZERO);
    }
}
