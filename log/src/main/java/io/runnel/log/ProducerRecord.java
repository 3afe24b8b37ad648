package io.runnel.log;

import java.util.Objects;

/**
 * A record to send. Immutable; build with {@link #of(String, Object, Object)} and the {@code withX}
 * methods.
 *
 * @param topic       target topic
 * @param partition   explicit partition, or null to choose by key hash (records without a key are
 *                    spread round robin per producer)
 * @param timestampMs record timestamp (epoch ms), or null for the log's clock at send time
 * @param key         key, may be null
 * @param value       value, may be null (a tombstone in a compacted topic)
 * @param headers     headers, never null
 * @param sequence    for an idempotent producer ({@link ProducerConfig#idempotent(String)}): the
 *                    record's sequence number in its partition, or null to let the producer number
 *                    it. Re-sending a sequence the partition already holds is acknowledged as a
 *                    duplicate without appending. Requires an explicit partition.
 */
public record ProducerRecord<K, V>(String topic, Integer partition, Long timestampMs, K key, V value, Headers headers,
        Long sequence) {

    public ProducerRecord {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(headers, "headers (use Headers.empty())");
        if (partition != null && partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0 or null, was " + partition);
        }
        if (sequence != null && sequence < 0) {
            throw new IllegalArgumentException("sequence must be >= 0 or null, was " + sequence);
        }
        if (sequence != null && partition == null) {
            throw new IllegalArgumentException("a record with an explicit sequence needs an explicit partition"
                    + " (sequences are numbered per partition)");
        }
    }

    /** A record for {@code topic} with a key and a value; partition by key, timestamp from the clock. */
    public static <K, V> ProducerRecord<K, V> of(String topic, K key, V value) {
        return new ProducerRecord<>(topic, null, null, key, value, Headers.empty(), null);
    }

    public ProducerRecord<K, V> withPartition(int partition) {
        return new ProducerRecord<>(topic, partition, timestampMs, key, value, headers, sequence);
    }

    public ProducerRecord<K, V> withTimestampMs(long timestampMs) {
        return new ProducerRecord<>(topic, partition, timestampMs, key, value, headers, sequence);
    }

    public ProducerRecord<K, V> withHeaders(Headers headers) {
        return new ProducerRecord<>(topic, partition, timestampMs, key, value, headers, sequence);
    }

    public ProducerRecord<K, V> withSequence(long sequence) {
        return new ProducerRecord<>(topic, partition, timestampMs, key, value, headers, sequence);
    }
}
