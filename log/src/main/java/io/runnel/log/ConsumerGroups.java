package io.runnel.log;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Administration of a log's consumer groups: list, describe (members, committed offsets, lag),
 * reset and delete. Thread-safe.
 */
public interface ConsumerGroups {

    /** Groups with committed offsets or active members. */
    Set<String> list();

    /**
     * Members, their assignments and per partition the committed offset, end offset and lag of
     * {@code groupId} (for every partition of a topic the group subscribes to or committed for).
     */
    GroupDescription describe(String groupId);

    /**
     * Moves the committed offsets of {@code groupId} for {@code partitions}.
     *
     * @throws GroupActiveException if the group has active members
     */
    void resetOffsets(String groupId, Collection<TopicPartition> partitions, OffsetReset reset);

    /**
     * Forgets a group's committed offsets.
     *
     * @throws GroupActiveException if the group has active members
     */
    void delete(String groupId);

    /**
     * A group's state.
     *
     * @param groupId    the group
     * @param generation increases at every rebalance
     * @param members    active members
     * @param partitions per partition: committed offset, end offset and lag
     */
    record GroupDescription(String groupId, int generation, List<MemberDescription> members,
            Map<TopicPartition, PartitionOffsets> partitions) {
    }

    /**
     * One active member.
     *
     * @param memberId   unique within the log instance
     * @param topics     topics it subscribed to
     * @param assignment partitions it owns now
     */
    record MemberDescription(String memberId, Set<String> topics, Set<TopicPartition> assignment) {
    }

    /**
     * Offsets of one partition for a group.
     *
     * @param committed committed offset, empty if none
     * @param endOffset the partition's end offset
     * @param lag       {@code endOffset - committed} (or - start offset without a commit)
     */
    record PartitionOffsets(OptionalLong committed, long endOffset, long lag) {
    }
}
