package io.runnel.log;

import java.util.Collection;

/**
 * Told when a subscribed {@link Consumer}'s assignment changes. Called on the consumer's thread,
 * inside {@link Consumer#poll}: first the revoked partitions (commit progress here when auto commit
 * is off), then the assigned ones.
 */
public interface RebalanceListener {

    /** Partitions this member no longer owns; it will not return their records again. */
    default void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    }

    /** Partitions this member now owns, positioned at their committed offsets (or the reset policy). */
    default void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    }
}
