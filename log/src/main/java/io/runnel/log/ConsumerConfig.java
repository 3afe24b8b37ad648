package io.runnel.log;

import io.runnel.log.format.LogFiles;
import java.time.Duration;
import java.util.Objects;

/** Settings of one {@link Consumer}. Immutable; start from {@link #defaults()} or {@link #group(String)}. */
public final class ConsumerConfig {

    /** Where a partition without a committed offset (or with an out-of-range position) starts. */
    public enum AutoOffsetReset {
        /** The partition's start offset. */
        EARLIEST,
        /** The partition's end offset: only records appended from now on. */
        LATEST,
        /** Fail with {@link OffsetOutOfRangeException}. */
        NONE
    }

    private final String groupId;
    private final AutoOffsetReset autoOffsetReset;
    private final int maxPollRecords;
    private final boolean autoCommit;
    private final Duration autoCommitInterval;

    private ConsumerConfig(String groupId, AutoOffsetReset autoOffsetReset, int maxPollRecords, boolean autoCommit,
            Duration autoCommitInterval) {
        this.groupId = groupId;
        this.autoOffsetReset = autoOffsetReset;
        this.maxPollRecords = maxPollRecords;
        this.autoCommit = autoCommit;
        this.autoCommitInterval = autoCommitInterval;
    }

    /**
     * No group (use {@link Consumer#assign}), {@link AutoOffsetReset#EARLIEST}, up to 4096 records
     * per poll, auto commit on (every 5 s, at rebalance and at close; only with a group).
     */
    public static ConsumerConfig defaults() {
        return new ConsumerConfig(null, AutoOffsetReset.EARLIEST, 4096, true, Duration.ofSeconds(5));
    }

    /** The defaults, as a member of group {@code groupId}. */
    public static ConsumerConfig group(String groupId) {
        return defaults().withGroupId(groupId);
    }

    /** The group this consumer commits for and subscribes in; null for none. */
    public String groupId() {
        return groupId;
    }

    public AutoOffsetReset autoOffsetReset() {
        return autoOffsetReset;
    }

    /** Most records one poll returns. */
    public int maxPollRecords() {
        return maxPollRecords;
    }

    /**
     * Whether the consumer commits its positions by itself: every {@link #autoCommitInterval()}
     * during poll, for partitions it loses in a rebalance, and at close. Only with a group id.
     */
    public boolean autoCommit() {
        return autoCommit;
    }

    public Duration autoCommitInterval() {
        return autoCommitInterval;
    }

    public ConsumerConfig withGroupId(String groupId) {
        if (groupId != null) {
            LogFiles.checkName("groupId", groupId);
        }
        return new ConsumerConfig(groupId, autoOffsetReset, maxPollRecords, autoCommit, autoCommitInterval);
    }

    public ConsumerConfig withAutoOffsetReset(AutoOffsetReset reset) {
        return new ConsumerConfig(groupId, Objects.requireNonNull(reset, "autoOffsetReset"), maxPollRecords,
                autoCommit, autoCommitInterval);
    }

    public ConsumerConfig withMaxPollRecords(int maxPollRecords) {
        if (maxPollRecords < 1) {
            throw new InvalidConfigException("maxPollRecords must be >= 1, was " + maxPollRecords);
        }
        return new ConsumerConfig(groupId, autoOffsetReset, maxPollRecords, autoCommit, autoCommitInterval);
    }

    public ConsumerConfig withAutoCommit(boolean autoCommit) {
        return new ConsumerConfig(groupId, autoOffsetReset, maxPollRecords, autoCommit, autoCommitInterval);
    }

    public ConsumerConfig withAutoCommitInterval(Duration interval) {
        LogConfig.requirePositive("autoCommitInterval", interval);
        return new ConsumerConfig(groupId, autoOffsetReset, maxPollRecords, autoCommit, interval);
    }
}
