package io.runnel.log;

/**
 * A record read from a partition.
 *
 * @param topic       topic name
 * @param partition   partition number
 * @param offset      offset in the partition
 * @param timestampMs record timestamp, epoch milliseconds
 * @param key         key, may be null
 * @param value       value, may be null
 * @param headers     headers, never null
 */
public record ConsumerRecord<K, V>(String topic, int partition, long offset, long timestampMs, K key, V value,
        Headers headers) {

    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }
}
