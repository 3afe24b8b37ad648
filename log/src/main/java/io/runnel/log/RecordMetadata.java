package io.runnel.log;

/**
 * Where an acknowledged record was stored.
 *
 * @param topic       topic name
 * @param partition   partition number
 * @param offset      offset of the record; for a {@code duplicate}, the original's offset if it is
 *                    in the producer's last batch in the partition, else {@code -1} (older
 *                    originals are not tracked)
 * @param timestampMs record timestamp, epoch milliseconds (for a {@code duplicate}, the re-sent
 *                    record's)
 * @param duplicate   true if an idempotent producer re-sent a (producer id, sequence) that the
 *                    partition already held: nothing was appended, the original record stands
 */
public record RecordMetadata(String topic, int partition, long offset, long timestampMs, boolean duplicate) {

    /** Metadata of a record appended now (not a duplicate). */
    public RecordMetadata(String topic, int partition, long offset, long timestampMs) {
        this(topic, partition, offset, timestampMs, false);
    }

    /** The partition as a {@link TopicPartition}. */
    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }
}
