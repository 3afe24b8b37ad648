package io.runnel.benchmarks.runnel;

import io.runnel.benchmarks.CheckFailedException;
import io.runnel.benchmarks.data.PageView;
import io.runnel.benchmarks.data.PageViewGenerator;
import io.runnel.connectors.log.LogSource;
import io.runnel.log.Durability;
import io.runnel.log.Log;
import io.runnel.log.LogConfig;
import io.runnel.log.Producer;
import io.runnel.log.ProducerRecord;
import io.runnel.log.RecordMetadata;
import io.runnel.log.Serdes;
import io.runnel.log.TopicConfig;
import io.runnel.log.TopicPartition;
import io.runnel.streams.connect.Source;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/**
 * A Runnel log of page-view topics for the stream variants that read from a log topic
 * ({@code log-p1}, {@code log-p2}): each topic has 6 partitions, like Kafka Streams' input topic,
 * and holds events keyed by user (so each partition is an order-preserving subset of the events,
 * within the generator's out-of-orderness bound), timestamped with their event time, in
 * {@link io.runnel.benchmarks.data.PageViewCodec} bytes. The log runs under the {@code os}
 * durability policy: filling it is not what is measured. Not thread-safe; closing it closes the log.
 */
public final class PageViewTopics implements AutoCloseable {

    /** Partitions of each topic: as many as Kafka's input topic has. */
    public static final int PARTITIONS = 6;
    private static final int SEND_BATCH = 1_000;

    private final Log log;

    private PageViewTopics(Log log) {
        this.log = log;
    }

    /** Opens a fresh log in {@code dir}. */
    public static PageViewTopics open(Path dir) {
        return new PageViewTopics(Log.open(dir, LogConfig.defaults().withDurability(Durability.os())));
    }

    /**
     * Creates {@code topic} and appends the events {@code from .. from+count-1} of {@code generator},
     * then checks that every append was acknowledged and that the partitions hold {@code count}
     * records.
     *
     * @return the topic name
     */
    public String fill(String topic, PageViewGenerator generator, long from, long count) throws InterruptedException {
        log.createTopic(topic, TopicConfig.partitions(PARTITIONS));
        AtomicLong acked = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (Producer<String, PageView> producer = log.producer(Serdes.string(), PageViewSerde.INSTANCE)) {
            List<ProducerRecord<String, PageView>> batch = new ArrayList<>(SEND_BATCH);
            for (long i = from; i < from + count; i++) {
                PageView view = generator.at(i);
                batch.add(ProducerRecord.of(topic, view.user(), view).withTimestampMs(view.timestampMs()));
                if (batch.size() == SEND_BATCH || i == from + count - 1) {
                    for (CompletableFuture<RecordMetadata> f : producer.sendAll(batch)) {
                        f.whenComplete((md, e) -> {
                            if (e == null) {
                                acked.incrementAndGet();
                            } else {
                                failure.compareAndSet(null, e);
                            }
                        });
                    }
                    batch = new ArrayList<>(SEND_BATCH);
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("filling topic " + topic + " failed", failure.get());
        }
        long stored = IntStream.range(0, PARTITIONS).mapToLong(p -> log.endOffset(new TopicPartition(topic, p))).sum();
        if (acked.get() != count || stored != count) {
            throw new CheckFailedException("topic " + topic + ": " + acked.get() + " appends acknowledged and " + stored
                    + " records stored, expected " + count);
        }
        return topic;
    }

    /** A bounded source over every partition of {@code topic}, from the beginning to its current end. */
    public Source<PageView> source(String topic) {
        return LogSource.of(log, topic, PageViewSerde.INSTANCE).bounded();
    }

    @Override
    public void close() {
        log.close();
    }

    @Override
    public String toString() {
        return "page-view topics in " + log.directory();
    }
}
