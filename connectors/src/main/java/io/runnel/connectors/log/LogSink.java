package io.runnel.connectors.log;

import io.runnel.connectors.InvalidConfigException;
import io.runnel.connectors.TimeSource;
import io.runnel.log.Log;
import io.runnel.log.Serde;
import io.runnel.log.UnknownTopicException;
import io.runnel.streams.connect.DeliveryGuarantee;
import io.runnel.streams.connect.Sink;
import io.runnel.streams.connect.SinkContext;
import io.runnel.streams.connect.SinkWriter;
import java.util.Objects;
import java.util.function.Function;

/**
 * Appends a job's results to a topic of a {@link Log}, exactly once: what a job writes between two
 * checkpoints becomes visible to the topic's readers only when the checkpoint that covers it
 * completes, and a crash at any point neither loses nor duplicates a record.
 *
 * <p>How: {@code write} serializes the record, chooses its partition (murmur3 of the key bytes, as
 * the log's producer does, or round robin for records without a key) and appends it to a staging
 * file in the sink's state directory (so memory stays bounded). {@code prepareCommit} forces the
 * staging file to disk and returns its name. {@code commit} appends the staged records through an
 * idempotent producer whose id is stable for the job, sink and task, each with the sequence
 * {@code checkpointId * 2^32 + its index in its partition}; the log acknowledges a sequence it
 * already holds as a duplicate without appending it, so a {@code commit} repeated after a crash
 * (with the same committable) appends only what the first attempt did not. The staging file is
 * deleted once every record is acknowledged.
 *
 * <p>Limits: at most 2^32 records per partition per checkpoint; checkpoint ids must grow (they do).
 * Immutable and thread-safe.
 *
 * @param <T> the record type
 */
public final class LogSink<T> implements Sink<T> {
    static final String CONNECTOR = "log sink";

    private final Log log;
    private final String topic;
    private final Function<T, byte[]> key;
    private final Serde<T> valueSerde;
    private final String name;
    private final TimeSource time;

    private LogSink(Log log, String topic, Function<T, byte[]> key, Serde<T> valueSerde, String name, TimeSource time) {
        this.log = log;
        this.topic = topic;
        this.key = key;
        this.valueSerde = valueSerde;
        this.name = name;
        this.time = time;
    }

    /** Records without a key (spread round robin over the partitions), values encoded with {@code serde}. */
    public static <T> LogSink<T> of(Log log, String topic, Serde<T> serde) {
        return create(log, topic, record -> null, serde);
    }

    /** Records keyed by {@code keyOf} (encoded with {@code keySerde}; the key picks the partition). */
    public static <T, K> LogSink<T> keyed(Log log, String topic, Function<T, K> keyOf, Serde<K> keySerde, Serde<T> valueSerde) {
        Objects.requireNonNull(keyOf, "keyOf");
        Objects.requireNonNull(keySerde, "keySerde");
        return create(log, topic, record -> keySerde.serialize(keyOf.apply(record)), valueSerde);
    }

    private static <T> LogSink<T> create(Log log, String topic, Function<T, byte[]> key, Serde<T> serde) {
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(serde, "serde");
        if (topic == null || topic.isBlank()) {
            throw new InvalidConfigException(CONNECTOR, "topic", topic, "is empty", "name the topic to write");
        }
        if (log.isReadOnly()) {
            throw new InvalidConfigException(CONNECTOR, "log", log.directory(), "is opened read-only", "open it with Log.open to write");
        }
        return new LogSink<>(log, topic, key, serde, "log-sink:" + topic, TimeSource.system());
    }

    /** A stable name other than the default {@code "log-sink:<topic>"}. */
    public LogSink<T> withName(String sinkName) {
        if (sinkName == null || sinkName.isBlank()) {
            throw new InvalidConfigException(CONNECTOR, "name", sinkName, "is empty", "give the sink a stable name");
        }
        return new LogSink<>(log, topic, key, valueSerde, sinkName, time);
    }

    /** The clock for record timestamps (taken when a record is written, so a re-commit appends the same). */
    public LogSink<T> withTimeSource(TimeSource source) {
        return new LogSink<>(log, topic, key, valueSerde, name, Objects.requireNonNull(source, "time"));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DeliveryGuarantee guarantee() {
        return DeliveryGuarantee.EXACTLY_ONCE;
    }

    @Override
    public SinkWriter<T> open(SinkContext context) {
        int partitions;
        try {
            partitions = log.partitionCount(topic);
        } catch (UnknownTopicException e) {
            throw new InvalidConfigException(CONNECTOR, "topic", topic, "does not exist in the log at " + log.directory(),
                    "create it first (Log.createTopic or bin/runnel topic create)", e);
        }
        if (context.stateDir() == null) {
            throw new InvalidConfigException(CONNECTOR, "stateDir", null, "is not set", "run the sink in a job with a state directory");
        }
        String producerId = context.jobName() + "/" + name + "/" + context.taskIndex();
        return new StagedLogWriter<>(this, partitions, producerId, context.stateDir());
    }

    Log log() {
        return log;
    }

    String topic() {
        return topic;
    }

    byte[] key(T record) {
        return key.apply(record);
    }

    byte[] value(T record) {
        return valueSerde.serialize(record);
    }

    long nowMs() {
        return time.epochMillis();
    }
}
