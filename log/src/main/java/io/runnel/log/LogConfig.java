package io.runnel.log;

import io.runnel.log.storage.FileStorage;
import io.runnel.log.storage.Storage;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Settings of a {@link Log}. Immutable: every {@code withX} returns a new instance and validates
 * its argument, throwing {@link InvalidConfigException} that names the setting and its range.
 * Start from {@link #defaults()}.
 */
public final class LogConfig {
    private final Durability durability;
    private final int ringBufferSize;
    private final int maxRecordBytes;
    private final int maxBatchBytes;
    private final long segmentBytes;
    private final Duration segmentAge;
    private final int indexIntervalBytes;
    private final Duration backpressureTimeout;
    private final Duration retentionCheckInterval;
    private final Duration recoveryPointInterval;
    private final Duration tailPollInterval;
    private final Clock clock;
    private final ThreadFactory threadFactory;
    private final Storage storage;

    private LogConfig(Durability durability, int ringBufferSize, int maxRecordBytes, int maxBatchBytes,
            long segmentBytes, Duration segmentAge, int indexIntervalBytes, Duration backpressureTimeout,
            Duration retentionCheckInterval, Duration recoveryPointInterval, Duration tailPollInterval, Clock clock,
            ThreadFactory threadFactory, Storage storage) {
        this.durability = durability;
        this.ringBufferSize = ringBufferSize;
        this.maxRecordBytes = maxRecordBytes;
        this.maxBatchBytes = maxBatchBytes;
        this.segmentBytes = segmentBytes;
        this.segmentAge = segmentAge;
        this.indexIntervalBytes = indexIntervalBytes;
        this.backpressureTimeout = backpressureTimeout;
        this.retentionCheckInterval = retentionCheckInterval;
        this.recoveryPointInterval = recoveryPointInterval;
        this.tailPollInterval = tailPollInterval;
        this.clock = clock;
        this.threadFactory = threadFactory;
        this.storage = storage;
    }

    /**
     * The defaults: {@link Durability#fsync()} (an acknowledged record survives a power cut; group
     * commit keeps it fast), ring of 16384 requests, 1 MiB records and batches, 256 MiB or 7-day
     * segments, an index entry every 4 KiB, 30 s backpressure timeout, retention checked every
     * minute, the system UTC clock, daemon threads named {@code runnel-log-*}, real files.
     */
    public static LogConfig defaults() {
        return new LogConfig(Durability.fsync(), 16384, 1 << 20, 1 << 20, 256L << 20, Duration.ofDays(7), 4096,
                Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofMillis(20),
                Clock.systemUTC(), daemonThreads("runnel-log"), FileStorage.INSTANCE);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** When appends are acknowledged; see {@link Durability}. */
    public Durability durability() {
        return durability;
    }

    /** Slots in the append ring (a power of two); the producers' backlog before backpressure. */
    public int ringBufferSize() {
        return ringBufferSize;
    }

    /** Largest record (key + value + headers, encoded) accepted; larger ones fail before anything is written. */
    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    /** A batch is cut when adding a record would exceed this many bytes (a single record may still fill one). */
    public int maxBatchBytes() {
        return maxBatchBytes;
    }

    /** The active segment rolls when it reaches this size. */
    public long segmentBytes() {
        return segmentBytes;
    }

    /** The active segment rolls when its first append is older than this. */
    public Duration segmentAge() {
        return segmentAge;
    }

    /** Bytes of log between two sparse index entries. */
    public int indexIntervalBytes() {
        return indexIntervalBytes;
    }

    /** How long {@code send} blocks on a full ring before failing with {@link BackpressureTimeoutException}. */
    public Duration backpressureTimeout() {
        return backpressureTimeout;
    }

    /** How often the background cleaner applies retention and compaction. */
    public Duration retentionCheckInterval() {
        return retentionCheckInterval;
    }

    /** How often, at most, a partition's persisted recovery point is advanced after a force. */
    public Duration recoveryPointInterval() {
        return recoveryPointInterval;
    }

    /** How often a read-only log looks for data the owning process appended. */
    public Duration tailPollInterval() {
        return tailPollInterval;
    }

    /** Time source for timestamps, segment age and retention. */
    public Clock clock() {
        return clock;
    }

    /** Creates the journal, cleaner and tail threads. */
    public ThreadFactory threadFactory() {
        return threadFactory;
    }

    /** Where every file operation goes. */
    public Storage storage() {
        return storage;
    }

    public LogConfig withDurability(Durability durability) {
        return new LogConfig(Objects.requireNonNull(durability, "durability"), ringBufferSize, maxRecordBytes,
                maxBatchBytes, segmentBytes, segmentAge, indexIntervalBytes, backpressureTimeout,
                retentionCheckInterval, recoveryPointInterval, tailPollInterval, clock, threadFactory, storage);
    }

    public LogConfig withRingBufferSize(int ringBufferSize) {
        if (ringBufferSize < 2 || Integer.bitCount(ringBufferSize) != 1) {
            throw new InvalidConfigException("ringBufferSize must be a power of two >= 2, was " + ringBufferSize
                    + " (for example 16384)");
        }
        return new LogConfig(durability, ringBufferSize, maxRecordBytes, maxBatchBytes, segmentBytes, segmentAge,
                indexIntervalBytes, backpressureTimeout, retentionCheckInterval, recoveryPointInterval,
                tailPollInterval, clock, threadFactory, storage);
    }

    public LogConfig withMaxRecordBytes(int maxRecordBytes) {
        if (maxRecordBytes < 64 || maxRecordBytes > (64 << 20)) {
            throw new InvalidConfigException("maxRecordBytes must be in [64, 67108864], was " + maxRecordBytes);
        }
        return new LogConfig(durability, ringBufferSize, maxRecordBytes, maxBatchBytes, segmentBytes, segmentAge,
                indexIntervalBytes, backpressureTimeout, retentionCheckInterval, recoveryPointInterval,
                tailPollInterval, clock, threadFactory, storage);
    }

    public LogConfig withMaxBatchBytes(int maxBatchBytes) {
        if (maxBatchBytes < 1024 || maxBatchBytes > (64 << 20)) {
            throw new InvalidConfigException("maxBatchBytes must be in [1024, 67108864], was " + maxBatchBytes);
        }
        return new LogConfig(durability, ringBufferSize, maxRecordBytes, maxBatchBytes, segmentBytes, segmentAge,
                indexIntervalBytes, backpressureTimeout, retentionCheckInterval, recoveryPointInterval,
                tailPollInterval, clock, threadFactory, storage);
    }

    public LogConfig withSegmentBytes(long segmentBytes) {
        if (segmentBytes < 1024 || segmentBytes > Integer.MAX_VALUE) {
            throw new InvalidConfigException("segmentBytes must be in [1024, 2147483647], was " + segmentBytes
                    + " (segment positions are 32-bit)");
        }
        return new LogConfig(durability, ringBufferSize, maxRecordBytes, maxBatchBytes, segmentBytes, segmentAge,
                indexIntervalBytes, backpressureTimeout, retentionCheckInterval, recoveryPointInterval,
                tailPollInterval, clock, threadFactory, storage);
    }

    public LogConfig withSegmentAge(Duration segmentAge) {
        requirePositive("segmentAge", segmentAge);
        return new LogConfig(durability, ringBufferSize, maxRecordBytes, maxBatchBytes, segmentBytes, segmentAge,
                indexIntervalBytes, backpressureTimeout, retentionCheckInterval, recoveryPointInterval,
                tailPollInterval, clock, threadFactory, storage);
    }

    public LogConfig withIndexIntervalBytes(int indexIntervalBytes) {
        if (indexIntervalBytes < 1) {
            throw new InvalidConfigException("indexIntervalBytes must be >= 1, was " + indexIntervalBytes);
        }
        return new LogConfig(durability, ringBufferSize, maxRecordBytes, maxBatchBytes, segmentBytes, segmentAge,
                indexIntervalBytes, backpressureTimeout, retentionCheckInterval, recoveryPointInterval,
                tailPollInterval, clock, threadFactory, storage);
    }

    public LogConfig withBackpressureTimeout(Duration backpressureTimeout) {
        Objects.requireNonNull(backpressureTimeout, "backpressureTimeout");
        if (backpressureTimeout.isNegative()) {
            throw new InvalidConfigException("backpressureTimeout must be >= 0, was " + backpressureTimeout);
        }
        return new LogConfig(durability, ringBufferSize, maxRecordBytes, maxBatchBytes, segmentBytes, segmentAge,
                indexIntervalBytes, backpressureTimeout, retentionCheckInterval, recoveryPointInterval,
                tailPollInterval, clock, threadFactory, storage);
    }

    public LogConfig withRetentionCheckInterval(Duration retentionCheckInterval) {
        requirePositive("retentionCheckInterval", retentionCheckInterval);
        return new LogConfig(durability, ringBufferSize, maxRecordBytes, maxBatchBytes, segmentBytes, segmentAge,
                indexIntervalBytes, backpressureTimeout, retentionCheckInterval, recoveryPointInterval,
                tailPollInterval, clock, threadFactory, storage);
    }

    public LogConfig withRecoveryPointInterval(Duration recoveryPointInterval) {
        requirePositive("recoveryPointInterval", recoveryPointInterval);
        return new LogConfig(durability, ringBufferSize, maxRecordBytes, maxBatchBytes, segmentBytes, segmentAge,
                indexIntervalBytes, backpressureTimeout, retentionCheckInterval, recoveryPointInterval,
                tailPollInterval, clock, threadFactory, storage);
    }

    public LogConfig withTailPollInterval(Duration tailPollInterval) {
        requirePositive("tailPollInterval", tailPollInterval);
        return new LogConfig(durability, ringBufferSize, maxRecordBytes, maxBatchBytes, segmentBytes, segmentAge,
                indexIntervalBytes, backpressureTimeout, retentionCheckInterval, recoveryPointInterval,
                tailPollInterval, clock, threadFactory, storage);
    }

    public LogConfig withClock(Clock clock) {
        return new LogConfig(durability, ringBufferSize, maxRecordBytes, maxBatchBytes, segmentBytes, segmentAge,
                indexIntervalBytes, backpressureTimeout, retentionCheckInterval, recoveryPointInterval,
                tailPollInterval, Objects.requireNonNull(clock, "clock"), threadFactory, storage);
    }

    public LogConfig withThreadFactory(ThreadFactory threadFactory) {
        return new LogConfig(durability, ringBufferSize, maxRecordBytes, maxBatchBytes, segmentBytes, segmentAge,
                indexIntervalBytes, backpressureTimeout, retentionCheckInterval, recoveryPointInterval,
                tailPollInterval, clock, Objects.requireNonNull(threadFactory, "threadFactory"), storage);
    }

    public LogConfig withStorage(Storage storage) {
        return new LogConfig(durability, ringBufferSize, maxRecordBytes, maxBatchBytes, segmentBytes, segmentAge,
                indexIntervalBytes, backpressureTimeout, retentionCheckInterval, recoveryPointInterval,
                tailPollInterval, clock, threadFactory, Objects.requireNonNull(storage, "storage"));
    }

    static void requirePositive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new InvalidConfigException(name + " must be > 0, was " + d);
        }
    }

    @Override
    public String toString() {
        return "LogConfig[durability=" + durability + ", ringBufferSize=" + ringBufferSize + ", maxRecordBytes="
                + maxRecordBytes + ", maxBatchBytes=" + maxBatchBytes + ", segmentBytes=" + segmentBytes
                + ", segmentAge=" + segmentAge + ", indexIntervalBytes=" + indexIntervalBytes + "]";
    }
}
