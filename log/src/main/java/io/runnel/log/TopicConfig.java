package io.runnel.log;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one topic, persisted with it. Immutable; start from {@link #partitions(int)}.
 * Retention applies to {@link CleanupPolicy#DELETE} topics; {@link CleanupPolicy#COMPACT} topics
 * keep the latest record per key instead.
 */
public final class TopicConfig {
    /** Retention age or size that never deletes anything. */
    public static final long UNLIMITED = -1;

    private final int partitions;
    private final long retentionMs;
    private final long retentionBytes;
    private final CleanupPolicy cleanupPolicy;
    private final Compression compression;
    private final long segmentBytes;
    private final long segmentAgeMs;
    private final long tombstoneRetentionMs;

    private TopicConfig(int partitions, long retentionMs, long retentionBytes, CleanupPolicy cleanupPolicy,
            Compression compression, long segmentBytes, long segmentAgeMs, long tombstoneRetentionMs) {
        this.partitions = partitions;
        this.retentionMs = retentionMs;
        this.retentionBytes = retentionBytes;
        this.cleanupPolicy = cleanupPolicy;
        this.compression = compression;
        this.segmentBytes = segmentBytes;
        this.segmentAgeMs = segmentAgeMs;
        this.tombstoneRetentionMs = tombstoneRetentionMs;
    }

    /**
     * A topic with {@code partitions} partitions (1 to 10000), unlimited retention, cleanup
     * {@link CleanupPolicy#DELETE}, no compression, the log's segment settings.
     */
    public static TopicConfig partitions(int partitions) {
        if (partitions < 1 || partitions > 10_000) {
            throw new InvalidConfigException("partitions must be in [1, 10000], was " + partitions);
        }
        return new TopicConfig(partitions, UNLIMITED, UNLIMITED, CleanupPolicy.DELETE, Compression.NONE, UNLIMITED,
                UNLIMITED, Duration.ofDays(1).toMillis());
    }

    public int partitionCount() {
        return partitions;
    }

    /**
     * Closed segments whose last append is older than this are deleted; {@code null} when unlimited.
     * Counts from append time, not record timestamps, so replayed historical events are kept.
     */
    public Duration retention() {
        return retentionMs == UNLIMITED ? null : Duration.ofMillis(retentionMs);
    }

    /** Retention age in ms, or {@link #UNLIMITED}. */
    public long retentionMs() {
        return retentionMs;
    }

    /** Oldest closed segments are deleted while a partition is larger than this; {@link #UNLIMITED} for no limit. */
    public long retentionBytes() {
        return retentionBytes;
    }

    public CleanupPolicy cleanupPolicy() {
        return cleanupPolicy;
    }

    public Compression compression() {
        return compression;
    }

    /** Segment size override, or {@link #UNLIMITED} to use {@link LogConfig#segmentBytes()}. */
    public long segmentBytes() {
        return segmentBytes;
    }

    /** Segment age override in ms, or {@link #UNLIMITED} to use {@link LogConfig#segmentAge()}. */
    public long segmentAgeMs() {
        return segmentAgeMs;
    }

    /** How long compaction keeps a tombstone (a null value) after its segment was closed. */
    public long tombstoneRetentionMs() {
        return tombstoneRetentionMs;
    }

    public TopicConfig withPartitions(int partitions) {
        return partitions(partitions).copyFrom(this);
    }

    private TopicConfig copyFrom(TopicConfig o) {
        return new TopicConfig(partitions, o.retentionMs, o.retentionBytes, o.cleanupPolicy, o.compression,
                o.segmentBytes, o.segmentAgeMs, o.tombstoneRetentionMs);
    }

    /** Delete closed segments older than {@code retention}; {@code null} for unlimited. */
    public TopicConfig withRetention(Duration retention) {
        long ms = UNLIMITED;
        if (retention != null) {
            LogConfig.requirePositive("retention", retention);
            ms = retention.toMillis();
        }
        return new TopicConfig(partitions, ms, retentionBytes, cleanupPolicy, compression, segmentBytes, segmentAgeMs,
                tombstoneRetentionMs);
    }

    /** Keep each partition under {@code bytes} (whole closed segments are deleted); {@link #UNLIMITED} for no limit. */
    public TopicConfig withRetentionBytes(long bytes) {
        if (bytes != UNLIMITED && bytes < 0) {
            throw new InvalidConfigException("retentionBytes must be >= 0 or TopicConfig.UNLIMITED, was " + bytes);
        }
        return new TopicConfig(partitions, retentionMs, bytes, cleanupPolicy, compression, segmentBytes, segmentAgeMs,
                tombstoneRetentionMs);
    }

    public TopicConfig withCleanupPolicy(CleanupPolicy policy) {
        return new TopicConfig(partitions, retentionMs, retentionBytes, Objects.requireNonNull(policy, "policy"),
                compression, segmentBytes, segmentAgeMs, tombstoneRetentionMs);
    }

    public TopicConfig withCompression(Compression compression) {
        return new TopicConfig(partitions, retentionMs, retentionBytes, cleanupPolicy,
                Objects.requireNonNull(compression, "compression"), segmentBytes, segmentAgeMs, tombstoneRetentionMs);
    }

    /** Roll this topic's segments at {@code bytes} instead of the log default. */
    public TopicConfig withSegmentBytes(long bytes) {
        if (bytes < 1024 || bytes > Integer.MAX_VALUE) {
            throw new InvalidConfigException("segmentBytes must be in [1024, 2147483647], was " + bytes);
        }
        return new TopicConfig(partitions, retentionMs, retentionBytes, cleanupPolicy, compression, bytes, segmentAgeMs,
                tombstoneRetentionMs);
    }

    /** Roll this topic's segments at {@code age} instead of the log default. */
    public TopicConfig withSegmentAge(Duration age) {
        LogConfig.requirePositive("segmentAge", age);
        return new TopicConfig(partitions, retentionMs, retentionBytes, cleanupPolicy, compression, segmentBytes,
                age.toMillis(), tombstoneRetentionMs);
    }

    public TopicConfig withTombstoneRetention(Duration d) {
        Objects.requireNonNull(d, "tombstoneRetention");
        if (d.isNegative()) {
            throw new InvalidConfigException("tombstoneRetention must be >= 0, was " + d);
        }
        return new TopicConfig(partitions, retentionMs, retentionBytes, cleanupPolicy, compression, segmentBytes,
                segmentAgeMs, d.toMillis());
    }

    /** Internal: rebuilds a config read from the topic's metadata file. */
    static TopicConfig restore(int partitions, long retentionMs, long retentionBytes, CleanupPolicy cleanupPolicy,
            Compression compression, long segmentBytes, long segmentAgeMs, long tombstoneRetentionMs) {
        return new TopicConfig(partitions, retentionMs, retentionBytes, cleanupPolicy, compression, segmentBytes,
                segmentAgeMs, tombstoneRetentionMs);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicConfig t && t.partitions == partitions && t.retentionMs == retentionMs
                && t.retentionBytes == retentionBytes && t.cleanupPolicy == cleanupPolicy
                && t.compression == compression && t.segmentBytes == segmentBytes && t.segmentAgeMs == segmentAgeMs
                && t.tombstoneRetentionMs == tombstoneRetentionMs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(partitions, retentionMs, retentionBytes, cleanupPolicy, compression, segmentBytes,
                segmentAgeMs, tombstoneRetentionMs);
    }

    @Override
    public String toString() {
        return "TopicConfig[partitions=" + partitions + ", retentionMs=" + retentionMs + ", retentionBytes="
                + retentionBytes + ", cleanupPolicy=" + cleanupPolicy + ", compression=" + compression
                + ", segmentBytes=" + segmentBytes + ", segmentAgeMs=" + segmentAgeMs + ", tombstoneRetentionMs="
                + tombstoneRetentionMs + "]";
    }
}
