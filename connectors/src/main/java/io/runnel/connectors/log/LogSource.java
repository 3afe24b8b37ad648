package io.runnel.connectors.log;

import io.runnel.connectors.InvalidConfigException;
import io.runnel.connectors.internal.PositionCodec;
import io.runnel.log.Log;
import io.runnel.log.RunnelLogException;
import io.runnel.log.Serde;
import io.runnel.log.TopicPartition;
import io.runnel.log.UnknownTopicException;
import io.runnel.streams.connect.Source;
import io.runnel.streams.connect.SourceContext;
import io.runnel.streams.connect.SourceReader;
import io.runnel.streams.connect.SourceSplit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads a topic of a {@link Log}: one split per partition, positioned by offset.
 *
 * <p>Unbounded by default: readers follow their partitions as records are appended. With
 * {@link #bounded()} each partition is read up to the end offset it had when the job first started
 * ({@link #splits()}); that end is kept in the position, so a restarted job reads to the same end.
 * A fresh start reads each partition from its start offset.
 *
 * <p>Values are decoded with the serde on the reader's thread; a value that does not decode is
 * reported through {@code SourceOutput.malformed} as {@code topic/partition@offset} with its bytes,
 * never thrown. Each record's timestamp is the log record's timestamp. A position below the
 * partition's start (retention deleted records the job had not read) fails with a
 * {@code ConnectorException} naming the partition and both offsets, never skips silently.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <T> the value type
 */
public final class LogSource<T> implements Source<T> {
    static final String CONNECTOR = "log source";

    private final Log log;
    private final String topic;
    private final Serde<T> serde;
    private final boolean bounded;
    private final String name;

    private LogSource(Log log, String topic, Serde<T> serde, boolean bounded, String name) {
        this.log = log;
        this.topic = topic;
        this.serde = serde;
        this.bounded = bounded;
        this.name = name;
    }

    /** An unbounded source over every partition of {@code topic}, decoding values with {@code serde}. */
    public static <T> LogSource<T> of(Log log, String topic, Serde<T> serde) {
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(serde, "serde");
        InvalidConfigException.requireNonBlank(CONNECTOR, "topic", topic, "name the topic to read");
        return new LogSource<>(log, topic, serde, false, "log:" + topic);
    }

    /** Reads each partition up to its end offset at the job's first start, then ends. */
    public LogSource<T> bounded() {
        return new LogSource<>(log, topic, serde, true, name);
    }

    /** A stable name other than the default {@code "log:<topic>"} (two sources of one topic in a job). */
    public LogSource<T> withName(String sourceName) {
        InvalidConfigException.requireNonBlank(CONNECTOR, "name", sourceName, "give the source a stable name");
        return new LogSource<>(log, topic, serde, bounded, sourceName);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isBounded() {
        return bounded;
    }

    @Override
    public List<SourceSplit> splits() {
        int partitions = partitionCount();
        List<SourceSplit> splits = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            long end = bounded ? log.endOffset(tp) : -1;
            splits.add(new SourceSplit(Integer.toString(p), PositionCodec.encode(log.startOffset(tp), end)));
        }
        return splits;
    }

    private int partitionCount() {
        try {
            return log.partitionCount(topic);
        } catch (UnknownTopicException e) {
            throw new InvalidConfigException(CONNECTOR, "topic", topic, "does not exist in the log at " + log.directory(),
                    "create it first (Log.createTopic or bin/runnel topic create)", e);
        }
    }

    @Override
    public SourceReader<T> open(SourceSplit split, SourceContext context) {
        int partition;
        try {
            partition = Integer.parseInt(split.id());
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(CONNECTOR, "split", split.id(), "is not a partition number", "restore a checkpoint of this source");
        }
        int partitions = partitionCount();
        if (partition < 0 || partition >= partitions) {
            throw new InvalidConfigException(CONNECTOR, "split", split.id(), "is not a partition of '" + topic + "' (0.." + (partitions - 1) + ")",
                    "restore a checkpoint taken with this topic");
        }
        TopicPartition tp = new TopicPartition(topic, partition);
        long[] position = split.position().length == 0
                ? new long[] {log.startOffset(tp), bounded ? log.endOffset(tp) : -1}
                : PositionCodec.decode(split.position(), 2, CONNECTOR + " '" + name + "' partition " + partition);
        try {
            return new LogPartitionReader<>(log, tp, serde, position[0], position[1]);
        } catch (RunnelLogException e) {
            throw new io.runnel.streams.connect.ConnectorException(CONNECTOR + ": cannot read " + tp + " at offset " + position[0] + ": " + e.getMessage(), e);
        }
    }
}
