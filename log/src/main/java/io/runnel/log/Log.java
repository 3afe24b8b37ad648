package io.runnel.log;

import io.runnel.log.internal.DiskLog;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A durable, partitioned log in one directory: topics of partitions of records, appended through
 * {@link Producer}s and read through {@link Consumer}s. Thread-safe.
 *
 * <p>One process writes a directory at a time (an OS file lock, released by the kernel if the
 * process dies); other processes may {@link #openReadOnly open it read-only} and tail it live.
 * Opening recovers from a crash: a torn tail past the durable point is cut (with a warning),
 * indexes are rebuilt, and damage inside acknowledged-durable data stops with
 * {@link DamagedLogException}.
 */
public interface Log extends AutoCloseable {

    /** Opens (creating if needed) the log in {@code dir} with {@link LogConfig#defaults()}. */
    static Log open(Path dir) {
        return open(dir, LogConfig.defaults());
    }

    /**
     * Opens (creating if needed) the log in {@code dir} for writing, recovering it first.
     *
     * @throws LogLockedException  if another process or open log owns {@code dir}
     * @throws DamagedLogException if acknowledged-durable data is damaged
     */
    static Log open(Path dir, LogConfig config) {
        return DiskLog.open(dir, config, false);
    }

    /** Opens the log in {@code dir} read-only with {@link LogConfig#defaults()}. */
    static Log openReadOnly(Path dir) {
        return openReadOnly(dir, LogConfig.defaults());
    }

    /**
     * Opens the log in {@code dir} read-only, while another process may own and append to it:
     * consumers see new topics, segments and complete CRC-valid batches as they appear (polled every
     * {@link LogConfig#tailPollInterval()}), up to the end the owner has acknowledged (it shares
     * that end in each partition's {@code visible-end} file): like the owner's own consumers, a view
     * never shows a batch that is written but not yet acknowledged, which under
     * {@link Durability#fsync()} means not yet forced. A log last written by a version without that
     * file shows every complete valid batch.
     * Writes (producers, topic changes, offset commits) throw {@link ReadOnlyLogException}; groups
     * work within this process but cannot commit.
     */
    static Log openReadOnly(Path dir, LogConfig config) {
        return DiskLog.open(dir, config, true);
    }

    /**
     * Whether a process (this one included) has {@code dir} open for writing, i.e. holds its
     * directory lock. For tools that want to say so before they {@link #openReadOnly} it. The
     * answer can change right after; it tests the lock without taking it for more than an instant
     * and without needing write permission. A directory that is not a log is not owned.
     *
     * @throws RunnelLogException if the lock cannot be tested (an I/O error)
     */
    static boolean isOwned(Path dir) {
        return DiskLog.isOwned(dir);
    }

    /**
     * Creates a topic, persisting its configuration atomically.
     *
     * @throws TopicExistsException if it exists
     */
    void createTopic(String name, TopicConfig config);

    /** Creates the topic unless it exists; returns whether it was created. */
    boolean createTopicIfAbsent(String name, TopicConfig config);

    /** Names of all topics. */
    Set<String> topics();

    /** @throws UnknownTopicException if the topic does not exist */
    TopicConfig topicConfig(String topic);

    /** @throws UnknownTopicException if the topic does not exist */
    int partitionCount(String topic);

    /** Deletes a topic and its data. Producers and consumers of it fail afterwards. */
    void deleteTopic(String name);

    /** First offset still stored in {@code partition}. */
    long startOffset(TopicPartition partition);

    /** Next offset to be written to {@code partition} (visible to consumers). */
    long endOffset(TopicPartition partition);

    /** First offset whose timestamp is >= {@code timestampMs}, or empty if there is none. */
    OptionalLong offsetForTimestamp(TopicPartition partition, long timestampMs);

    /** Offsets, sizes and segment counts of every partition of {@code topic}. */
    TopicDescription describe(String topic);

    /** A thread-safe producer. Close it when done. */
    <K, V> Producer<K, V> producer(Serde<K> keySerde, Serde<V> valueSerde);

    /** A producer with settings, e.g. {@link ProducerConfig#idempotent(String)}. */
    <K, V> Producer<K, V> producer(Serde<K> keySerde, Serde<V> valueSerde, ProducerConfig config);

    /**
     * A consumer (one thread at a time). Use {@link Serdes#bytes()} for both serdes to get raw
     * bytes and deserialize (and dead-letter) per record yourself.
     */
    <K, V> Consumer<K, V> consumer(Serde<K> keySerde, Serde<V> valueSerde, ConsumerConfig config);

    /** Consumer group administration. */
    ConsumerGroups groups();

    /** The log's directory. */
    Path directory();

    /** Whether this is a read-only open. */
    boolean isReadOnly();

    /**
     * Stops accepting appends, completes those already in the ring, forces and persists indexes
     * and recovery points, closes consumers' waits and releases the directory lock. Idempotent.
     */
    @Override
    void close();
}
