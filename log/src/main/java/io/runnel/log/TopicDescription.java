package io.runnel.log;

import java.util.List;

/**
 * A snapshot of one topic.
 *
 * @param name       topic name
 * @param config     its configuration
 * @param partitions one entry per partition, in partition order
 */
public record TopicDescription(String name, TopicConfig config, List<PartitionInfo> partitions) {

    /** Total bytes of all partitions' segments. */
    public long sizeInBytes() {
        long s = 0;
        for (PartitionInfo p : partitions) {
            s += p.sizeInBytes();
        }
        return s;
    }
}
