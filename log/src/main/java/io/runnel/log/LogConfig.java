package io.runnel.log;

import io.runnel.log.format.BatchDescriptor;
import io.runnel.log.format.RecordDescriptor;
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
    /** The settings; copied and changed by the {@code withX} methods, never changed in place. */
    private static final class Values implements Cloneable {
        Durability durability;
        int ringBufferSize;
        int maxRecordBytes;
        int maxBatchBytes;
        long segmentBytes;
        Duration segmentAge;
        int indexIntervalBytes;
        Duration backpressureTimeout;
        Duration retentionCheckInterval;
        Duration recoveryPointInterval;
        Duration tailPollInterval;
        Clock clock;
        ThreadFactory threadFactory;
        Storage storage;

        Values copy() {
            try {
                return (Values) clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private final Values v;

    private LogConfig(Values v) {
        this.v = v;
    }

    private LogConfig with(java.util.function.Consumer<Values> change) {
        Values c = v.copy();
        change.accept(c);
        return new LogConfig(c);
    }

    /**
     * The defaults: {@link Durability#fsync()} (an acknowledged record survives a power cut; group
     * commit keeps it fast), ring of 16384 requests, 1 MiB records and batches, 256 MiB or 7-day
     * segments, an index entry every 4 KiB, 30 s backpressure timeout, retention checked every
     * minute, the system UTC clock, daemon threads named {@code runnel-log-*}, real files.
     */
    public static LogConfig defaults() {
        Values v = new Values();
        v.durability = Durability.fsync();
        v.ringBufferSize = 16384;
        v.maxRecordBytes = 1 << 20;
        v.maxBatchBytes = 1 << 20;
        v.segmentBytes = 256L << 20;
        v.segmentAge = Duration.ofDays(7);
        v.indexIntervalBytes = 4096;
        v.backpressureTimeout = Duration.ofSeconds(30);
        v.retentionCheckInterval = Duration.ofMinutes(1);
        v.recoveryPointInterval = Duration.ofSeconds(1);
        v.tailPollInterval = Duration.ofMillis(20);
        v.clock = Clock.systemUTC();
        v.threadFactory = daemonThreads("runnel-log");
        v.storage = FileStorage.INSTANCE;
        return new LogConfig(v);
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
        return v.durability;
    }

    /** Slots in the append ring (a power of two); the producers' backlog before backpressure. */
    public int ringBufferSize() {
        return v.ringBufferSize;
    }

    /** Largest record (key + value + headers, encoded) accepted; larger ones fail before anything is written. */
    public int maxRecordBytes() {
        return v.maxRecordBytes;
    }

    /** A batch is cut when adding a record would exceed this many bytes (a single record may still fill one). */
    public int maxBatchBytes() {
        return v.maxBatchBytes;
    }

    /**
     * Largest batch, header included, that a reader of a log with these settings accepts (a longer
     * length field is damage, refused before anything is read): a batch is cut before it exceeds
     * {@link #maxBatchBytes()} but one record alone may fill it, plus the header, the compressed
     * region's length prefix and 1 KiB of slack. Tools reading segment files use it as the bound.
     */
    public int maxBatchLength() {
        return Math.max(v.maxBatchBytes, v.maxRecordBytes + RecordDescriptor.MAX_RECORD_OVERHEAD)
                + BatchDescriptor.HEADER_LENGTH + BatchDescriptor.UNCOMPRESSED_LENGTH_SIZE + 1024;
    }

    /** The active segment rolls when it reaches this size. */
    public long segmentBytes() {
        return v.segmentBytes;
    }

    /** The active segment rolls when its first append is older than this. */
    public Duration segmentAge() {
        return v.segmentAge;
    }

    /** Bytes of log between two sparse index entries. */
    public int indexIntervalBytes() {
        return v.indexIntervalBytes;
    }

    /** How long {@code send} blocks on a full ring before failing with {@link BackpressureTimeoutException}. */
    public Duration backpressureTimeout() {
        return v.backpressureTimeout;
    }

    /** How often the background cleaner applies retention and compaction. */
    public Duration retentionCheckInterval() {
        return v.retentionCheckInterval;
    }

    /** How often, at most, a partition's persisted recovery point is advanced after a force. */
    public Duration recoveryPointInterval() {
        return v.recoveryPointInterval;
    }

    /** How often a read-only log looks for data the owning process appended. */
    public Duration tailPollInterval() {
        return v.tailPollInterval;
    }

    /** Time source for timestamps, segment age and retention. */
    public Clock clock() {
        return v.clock;
    }

    /** Creates the journal, cleaner and tail threads. */
    public ThreadFactory threadFactory() {
        return v.threadFactory;
    }

    /** Where every file operation goes. */
    public Storage storage() {
        return v.storage;
    }

    public LogConfig withDurability(Durability durability) {
        Objects.requireNonNull(durability, "durability");
        return with(c -> c.durability = durability);
    }

    public LogConfig withRingBufferSize(int ringBufferSize) {
        if (ringBufferSize < 2 || Integer.bitCount(ringBufferSize) != 1) {
            throw new InvalidConfigException("ringBufferSize must be a power of two >= 2, was " + ringBufferSize
                    + " (for example 16384)");
        }
        return with(c -> c.ringBufferSize = ringBufferSize);
    }

    public LogConfig withMaxRecordBytes(int maxRecordBytes) {
        if (maxRecordBytes < 64 || maxRecordBytes > (64 << 20)) {
            throw new InvalidConfigException("maxRecordBytes must be in [64, 67108864], was " + maxRecordBytes);
        }
        return with(c -> c.maxRecordBytes = maxRecordBytes);
    }

    public LogConfig withMaxBatchBytes(int maxBatchBytes) {
        if (maxBatchBytes < 1024 || maxBatchBytes > (64 << 20)) {
            throw new InvalidConfigException("maxBatchBytes must be in [1024, 67108864], was " + maxBatchBytes);
        }
        return with(c -> c.maxBatchBytes = maxBatchBytes);
    }

    public LogConfig withSegmentBytes(long segmentBytes) {
        if (segmentBytes < 1024 || segmentBytes > Integer.MAX_VALUE) {
            throw new InvalidConfigException("segmentBytes must be in [1024, 2147483647], was " + segmentBytes
                    + " (segment positions are 32-bit)");
        }
        return with(c -> c.segmentBytes = segmentBytes);
    }

    public LogConfig withSegmentAge(Duration segmentAge) {
        requirePositive("segmentAge", segmentAge);
        return with(c -> c.segmentAge = segmentAge);
    }

    public LogConfig withIndexIntervalBytes(int indexIntervalBytes) {
        if (indexIntervalBytes < 1) {
            throw new InvalidConfigException("indexIntervalBytes must be >= 1, was " + indexIntervalBytes);
        }
        return with(c -> c.indexIntervalBytes = indexIntervalBytes);
    }

    public LogConfig withBackpressureTimeout(Duration backpressureTimeout) {
        Objects.requireNonNull(backpressureTimeout, "backpressureTimeout");
        if (backpressureTimeout.isNegative()) {
            throw new InvalidConfigException("backpressureTimeout must be >= 0, was " + backpressureTimeout);
        }
        return with(c -> c.backpressureTimeout = backpressureTimeout);
    }

    public LogConfig withRetentionCheckInterval(Duration retentionCheckInterval) {
        requirePositive("retentionCheckInterval", retentionCheckInterval);
        return with(c -> c.retentionCheckInterval = retentionCheckInterval);
    }

    public LogConfig withRecoveryPointInterval(Duration recoveryPointInterval) {
        requirePositive("recoveryPointInterval", recoveryPointInterval);
        return with(c -> c.recoveryPointInterval = recoveryPointInterval);
    }

    public LogConfig withTailPollInterval(Duration tailPollInterval) {
        requirePositive("tailPollInterval", tailPollInterval);
        return with(c -> c.tailPollInterval = tailPollInterval);
    }

    public LogConfig withClock(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        return with(c -> c.clock = clock);
    }

    public LogConfig withThreadFactory(ThreadFactory threadFactory) {
        Objects.requireNonNull(threadFactory, "threadFactory");
        return with(c -> c.threadFactory = threadFactory);
    }

    public LogConfig withStorage(Storage storage) {
        Objects.requireNonNull(storage, "storage");
        return with(c -> c.storage = storage);
    }

    static void requirePositive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new InvalidConfigException(name + " must be > 0, was " + d);
        }
    }

    @Override
    public String toString() {
        return "LogConfig[durability=" + v.durability + ", ringBufferSize=" + v.ringBufferSize + ", maxRecordBytes="
                + v.maxRecordBytes + ", maxBatchBytes=" + v.maxBatchBytes + ", segmentBytes=" + v.segmentBytes
                + ", segmentAge=" + v.segmentAge + ", indexIntervalBytes=" + v.indexIntervalBytes + "]";
    }
}
