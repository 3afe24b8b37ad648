package io.runnel.connectors.log;

import com.google.common.hash.Hashing;
import io.runnel.connectors.InvalidConfigException;
import io.runnel.connectors.TimeSource;
import io.runnel.log.Log;
import io.runnel.log.LogConfig;
import io.runnel.log.Serde;
import io.runnel.log.UnknownTopicException;
import io.runnel.streams.connect.DeliveryGuarantee;
import io.runnel.streams.connect.RejectedRecordException;
import io.runnel.streams.connect.Sink;
import io.runnel.streams.connect.SinkContext;
import io.runnel.streams.connect.SinkWriter;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * Appends a job's results to a topic of a {@link Log}, exactly once: what a job writes between two
 * checkpoints becomes visible to the topic's readers only when the checkpoint that covers it
 * completes, and a crash at any point neither loses nor duplicates a record.
 *
 * <p>How: {@code write} serializes the record, checks its size against {@link #withMaxRecordBytes
 * maxRecordBytes} (a record too large is a {@link RejectedRecordException} at once, for the job's
 * bad-data policy, instead of a commit that could never succeed), chooses its partition (murmur3 of
 * the key bytes, as the log's producer does, or round robin for records without a key) and appends
 * it to a staging file in the sink's state directory (so memory stays bounded). {@code prepareCommit}
 * forces the staging file to disk and returns its name with the producer id of the writer that
 * staged it. {@code commit} appends the staged records through an idempotent producer of that id,
 * each with the sequence {@code checkpointId * 2^32 + its index in its partition}; the log
 * acknowledges a sequence it already holds as a duplicate without appending it, so a {@code commit}
 * repeated after a crash (with the same committable) appends only what the first attempt did not.
 * The staging file is deleted once every record is acknowledged.
 *
 * <p>Each writer opens with a new producer id ({@code <job>/<sink>/<task>#<random>}), so the
 * records of checkpoints it prepares never share sequences with records an earlier run appended.
 * That matters when a job restores a checkpoint older than one whose records were already appended
 * (its newest checkpoint was damaged and it fell back, or its state directory was reset while the
 * topic kept its output): the runtime then numbers checkpoints from the restored one again, and
 * with a fixed producer id the log would take the replayed records for duplicates of different
 * ones and drop them. With a new id they are appended: records the job replays over that span
 * appear twice (at-least-once there), none is lost. See docs/CONNECTORS.md.
 *
 * <p>Limits: at most 2^32 records per partition per checkpoint; checkpoint ids grow within a run
 * (they do). Immutable and thread-safe.
 *
 * @param <T> the record type
 */
public final class LogSink<T> implements Sink<T> {
    static final String CONNECTOR = "log sink";
    /** The log's own bounds for {@link LogConfig#withMaxRecordBytes}. */
    private static final int MIN_RECORD_BYTES = 64;
    private static final int MAX_RECORD_BYTES = 64 << 20;
    /** {@link io.runnel.log.ProducerConfig#idempotent} accepts at most this many characters. */
    private static final int MAX_PRODUCER_ID_CHARS = 255;

    private final Log log;
    private final String topic;
    private final Function<T, byte[]> key;
    private final Serde<T> valueSerde;
    private final String name;
    private final TimeSource time;
    private final int maxRecordBytes;

    private LogSink(Log log, String topic, Function<T, byte[]> key, Serde<T> valueSerde, String name, TimeSource time,
                    int maxRecordBytes) {
        this.log = log;
        this.topic = topic;
        this.key = key;
        this.valueSerde = valueSerde;
        this.name = name;
        this.time = time;
        this.maxRecordBytes = maxRecordBytes;
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
        InvalidConfigException.requireNonBlank(CONNECTOR, "topic", topic, "name the topic to write");
        if (log.isReadOnly()) {
            throw new InvalidConfigException(CONNECTOR, "log", log.directory(), "is opened read-only", "open it with Log.open to write");
        }
        return new LogSink<>(log, topic, key, serde, "log-sink:" + topic, TimeSource.system(),
                LogConfig.defaults().maxRecordBytes());
    }

    /** A stable name other than the default {@code "log-sink:<topic>"}. */
    public LogSink<T> withName(String sinkName) {
        InvalidConfigException.requireNonBlank(CONNECTOR, "name", sinkName, "give the sink a stable name");
        return new LogSink<>(log, topic, key, valueSerde, sinkName, time, maxRecordBytes);
    }

    /** The clock for record timestamps (taken when a record is written, so a re-commit appends the same). */
    public LogSink<T> withTimeSource(TimeSource source) {
        return new LogSink<>(log, topic, key, valueSerde, name, Objects.requireNonNull(source, "time"), maxRecordBytes);
    }

    /**
     * The largest record the log takes, as it measures it (key, value, headers and the record's
     * framing): the {@link LogConfig#maxRecordBytes()} the log was opened with. Default: that of
     * {@link LogConfig#defaults()} (1 MiB); set it when the log has another. {@code write} refuses a
     * larger record with a {@link RejectedRecordException}. If this is larger than the log's limit,
     * a record between the two is found only at commit, which then fails every time (the message
     * says so).
     */
    public LogSink<T> withMaxRecordBytes(int bytes) {
        if (bytes < MIN_RECORD_BYTES || bytes > MAX_RECORD_BYTES) {
            throw new InvalidConfigException(CONNECTOR, "maxRecordBytes", bytes, "is outside " + MIN_RECORD_BYTES + ".." + MAX_RECORD_BYTES,
                    "use the log's LogConfig.maxRecordBytes()");
        }
        return new LogSink<>(log, topic, key, valueSerde, name, time, bytes);
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
        return new StagedLogWriter<>(this, partitions, newProducerId(context.jobName(), name, context.taskIndex()), context.stateDir());
    }

    /**
     * A producer id no earlier writer used: {@code <job>/<sink>/<task>#<random>}, readable when it
     * fits the log's limit, else with the job and sink names replaced by a hash of them.
     */
    static String newProducerId(String jobName, String sinkName, int taskIndex) {
        String suffix = "/" + taskIndex + "#" + UUID.randomUUID();
        String prefix = jobName + "/" + sinkName;
        if (prefix.length() + suffix.length() > MAX_PRODUCER_ID_CHARS) {
            prefix = Hashing.sha256().hashString(prefix, StandardCharsets.UTF_8).toString();
        }
        return prefix + suffix;
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

    int maxRecordBytes() {
        return maxRecordBytes;
    }
}
