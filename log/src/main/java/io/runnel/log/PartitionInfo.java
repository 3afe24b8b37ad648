package io.runnel.log;

/**
 * A snapshot of one partition.
 *
 * @param partition     the partition
 * @param startOffset   first offset still stored
 * @param endOffset     next offset to be written
 * @param recoveryPoint offsets below this are known to be forced to disk (persisted)
 * @param sizeInBytes   bytes of its segment files
 * @param segmentCount  number of segments
 */
public record PartitionInfo(TopicPartition partition, long startOffset, long endOffset, long recoveryPoint,
        long sizeInBytes, int segmentCount) {
}
