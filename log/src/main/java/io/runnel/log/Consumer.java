package io.runnel.log;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads records from partitions of a {@link Log}, either {@link #assign assigned} explicitly or
 * as a member of a group ({@link #subscribe}). Not thread-safe: use it from one thread at a time
 * (like Kafka's consumer); {@link #wakeup()} is the exception.
 *
 * <p>A consumer sees only acknowledged records (under {@link Durability#fsync()}, only forced
 * ones). Reads never block appends.
 *
 * @param <K> key type
 * @param <V> value type
 */
public interface Consumer<K, V> extends AutoCloseable {

    /** Reads exactly these partitions (replacing any earlier assignment); not with {@link #subscribe}. */
    void assign(Collection<TopicPartition> partitions);

    /**
     * Joins the group of {@link ConsumerConfig#groupId()} for {@code topics}: the group's members
     * split the topics' partitions and rebalance when members join or leave.
     *
     * @throws InvalidConfigException if the consumer has no group id
     */
    void subscribe(Collection<String> topics);

    /** As {@link #subscribe(Collection)}, telling {@code listener} about assignment changes. */
    void subscribe(Collection<String> topics, RebalanceListener listener);

    /**
     * Returns available records after the current positions, waiting up to {@code timeout} for
     * some to arrive (without spinning). Advances the positions past the returned records.
     *
     * @throws RecordDecodeException     if the next record's key or value cannot be deserialized; the
     *                                   position stays at it (records before it are returned first,
     *                                   by this poll), so seek past it after dead-lettering it
     * @throws OffsetOutOfRangeException if a position is outside the partition and the reset policy
     *                                   is {@link ConsumerConfig.AutoOffsetReset#NONE}
     */
    ConsumerRecords<K, V> poll(Duration timeout);

    /**
     * As {@link #poll(Duration)}, but hands each record to {@code handler} as a view over the
     * consumer's read buffer instead of returning {@link ConsumerRecord}s: no object and no copy
     * per record unless the handler asks for one (see {@link RecordView}). Up to
     * {@link ConsumerConfig#maxPollRecords()} records, in the same order and with the same position
     * and commit semantics as {@link #poll(Duration)}.
     *
     * @return how many records {@code handler} took (0 if none arrived before the timeout)
     * @throws OffsetOutOfRangeException as {@link #poll(Duration)}
     * @throws RuntimeException          what {@code handler} threw; the position stays at the
     *                                   record it threw on
     */
    int poll(Duration timeout, RecordHandler<K, V> handler);

    /** Sets the next offset to read from {@code partition} (must be assigned). */
    void seek(TopicPartition partition, long offset);

    void seekToBeginning(Collection<TopicPartition> partitions);

    void seekToEnd(Collection<TopicPartition> partitions);

    /** Seeks to the first offset with timestamp >= {@code timestampMs} (the end if none). */
    void seekToTimestamp(TopicPartition partition, long timestampMs);

    /** The next offset {@link #poll} reads from {@code partition}. */
    long position(TopicPartition partition);

    /** Commits the current positions of all owned partitions for the group, atomically and durably. */
    void commitSync();

    /** Commits {@code offsets} (next offset to read, per partition) for the group. */
    void commit(Map<TopicPartition, Long> offsets);

    /** The group's committed offset of {@code partition}, if any. */
    OptionalLong committed(TopicPartition partition);

    /** Partitions this consumer reads now. */
    Set<TopicPartition> assignment();

    /** Makes a blocked or the next {@link #poll} return early with no records. Thread-safe. */
    void wakeup();

    /** Commits (if auto commit is on) and leaves the group. */
    @Override
    void close();
}
