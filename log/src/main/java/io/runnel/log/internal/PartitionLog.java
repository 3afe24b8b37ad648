package io.runnel.log.internal;

import io.runnel.log.TopicConfig;
import io.runnel.log.TopicPartition;
import io.runnel.log.format.BatchBuilder;
import io.runnel.log.format.LogFiles;
import io.runnel.log.storage.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * One partition: its segments, offsets and waiting readers.
 *
 * <p>Threading: the journal thread is the only appender (methods marked "journal"); under FSYNC
 * the {@link Forcer} thread forces what it wrote and publishes it; the background thread applies
 * retention, compaction and persists the recovery point; any thread reads. Readers see only what
 * {@link #publish(long)} made visible.
 */
final class PartitionLog {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PartitionLog.class);

    final TopicPartition tp;
    final Path dir;
    final LogContext ctx;
    volatile TopicConfig topicConfig;
    final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    final ProducerStateTable producers = new ProducerStateTable();
    final ProducerSnapshots snapshots;
    private final List<Thread> waiters = new CopyOnWriteArrayList<>();
    /** The end shared with read-only views: written by the owner's journal, read by a view's tail thread. */
    VisibleEnd visibleEnd;

    private volatile Segment active;
    private volatile long startOffset;
    private volatile long endOffset;
    private volatile boolean deleted;
    /** Offsets below this are forced to disk (journal or background thread advances it, lock-free). */
    private final java.util.concurrent.atomic.AtomicLong durableOffset = new java.util.concurrent.atomic.AtomicLong();
    /** Guards writing the recovery-point file (background thread and close), never taken by the journal. */
    private final Object persistLock = new Object();
    private long persistedRecoveryPoint;

    // Journal state.
    final BatchBuilder builder = new BatchBuilder();
    boolean touched;
    /** Segments written in the current drain, in order (the durability step forces and publishes them). */
    final List<Segment> writtenThisDrain = new ArrayList<>(2);
    Throwable drainFailure;
    long drainFailureFrom;

    PartitionLog(LogContext ctx, TopicPartition tp, Path dir, TopicConfig topicConfig) {
        this.ctx = ctx;
        this.tp = tp;
        this.dir = dir;
        this.topicConfig = topicConfig;
        this.snapshots = new ProducerSnapshots(ctx.storage, dir);
    }

    // ---- read side ----

    long startOffset() {
        return startOffset;
    }

    /** Next offset to be written, as visible to readers. */
    long endOffset() {
        return endOffset;
    }

    long durableOffset() {
        return durableOffset.get();
    }

    boolean isDeleted() {
        return deleted;
    }

    Segment activeSegment() {
        return active;
    }

    /** The segment holding {@code offset} (the floor by base offset), or null if below the first. */
    Segment segmentFor(long offset) {
        Map.Entry<Long, Segment> e = segments.floorEntry(offset);
        return e == null ? null : e.getValue();
    }

    /** The segment after {@code s}, or null. */
    Segment nextSegment(Segment s) {
        Map.Entry<Long, Segment> e = segments.higherEntry(s.baseOffset());
        return e == null ? null : e.getValue();
    }

    long sizeInBytes() {
        long s = 0;
        for (Segment seg : segments.values()) {
            s += seg.committedSize();
        }
        return s;
    }

    void addWaiter(Thread t) {
        waiters.add(t);
    }

    void removeWaiter(Thread t) {
        waiters.remove(t);
    }

    private void wakeWaiters() {
        for (Thread t : waiters) {
            LockSupport.unpark(t);
        }
    }

    // ---- loading (before the partition is shared) ----

    void initLoaded(Segment activeSegment, long recoveryPoint) {
        this.active = activeSegment;
        this.startOffset = segments.firstKey();
        this.endOffset = activeSegment.committedEnd();
        this.persistedRecoveryPoint = recoveryPoint;
        this.durableOffset.set(Math.min(Math.max(recoveryPoint, this.startOffset), endOffset));
    }

    // ---- journal side ----

    /** Next offset the journal assigns (including records not yet published). */
    long nextOffset() {
        return active.nextOffset();
    }

    /**
     * Writes the builder's batch (journal). Rolls first if the active segment is full or old.
     * On an I/O error the segment is cut back to before the batch and the error is returned.
     */
    IOException writeBatch(long appendTimeMs) {
        if (builder.recordCount() == 0) {
            return null;
        }
        ByteBuffer batch = builder.build(appendTimeMs, topicConfig.compression());
        int length = batch.remaining();
        Segment seg = active;
        try {
            if (shouldRoll(seg, length, appendTimeMs)) {
                seg = roll();
            }
        } catch (IOException e) {
            return e;
        }
        long position = seg.size();
        long base = builder.baseOffset();
        try {
            seg.write(batch);
        } catch (IOException e) {
            try {
                seg.truncateTo(position, base);
            } catch (IOException e2) {
                e.addSuppressed(e2);
                return new FatalIOException(e);
            }
            return e;
        }
        seg.onBatch(position, length, base, builder.nextOffset(), builder.maxTimestamp(), appendTimeMs,
                ctx.config.indexIntervalBytes());
        if (builder.producerId() >= 0) {
            producers.onBatch(builder.producerId(), builder.baseSequence(), (int) (builder.nextOffset() - 1 - base), base);
        }
        if (!writtenThisDrain.contains(seg)) {
            writtenThisDrain.add(seg);
        }
        return null;
    }

    private boolean shouldRoll(Segment seg, int length, long nowMs) {
        if (seg.isEmpty()) {
            return false;
        }
        long maxBytes = topicConfig.segmentBytes() > 0 ? topicConfig.segmentBytes() : ctx.config.segmentBytes();
        long maxAgeMs = topicConfig.segmentAgeMs() > 0 ? topicConfig.segmentAgeMs() : ctx.config.segmentAge().toMillis();
        return seg.size() + length > maxBytes || nowMs - seg.firstAppendTime() >= maxAgeMs;
    }

    /** Whether the active segment is non-empty and older than the segment age (journal). */
    boolean activeTooOld(long nowMs) {
        Segment seg = active;
        long maxAgeMs = topicConfig.segmentAgeMs() > 0 ? topicConfig.segmentAgeMs() : ctx.config.segmentAge().toMillis();
        return !seg.isEmpty() && nowMs - seg.firstAppendTime() >= maxAgeMs;
    }

    /** Closes the active segment and starts a new one at the next offset (journal). */
    Segment roll() throws IOException {
        Segment old = active;
        long base = old.nextOffset();
        old.writeIndexes();
        writeProducerSnapshot(base);
        StorageFile f = ctx.storage.openWrite(LogFiles.logFile(dir, base));
        Segment seg = new Segment(ctx.storage, dir, base, f, true);
        seg.commit();
        segments.put(base, seg);
        active = seg;
        LOG.debug("{}: rolled to segment {}", tp, base);
        return seg;
    }

    /**
     * Forces {@code written} (segments of this partition) and, if one of them is a new file, the
     * partition directory (FSYNC: the {@link Forcer}, while the journal may write on).
     */
    void force(List<Segment> written) throws IOException {
        boolean newFile = false;
        for (Segment s : written) {
            s.force();
            newFile |= !s.directoryEntryForced();
        }
        if (newFile) {
            ctx.storage.forceDirectory(dir); // after the files: their entries and sizes are then complete
            for (Segment s : written) {
                s.markDirectoryEntryForced();
            }
        }
    }

    /**
     * Forces everything published so far (and the directory, if a segment file is new) and counts
     * it durable: the INTERVAL flusher, on its own thread while the journal keeps writing (a force
     * covers at least what was written before it began; the journal publishes after writing).
     */
    void forcePublished() throws IOException {
        long target = endOffset;
        long durable = durableOffset.get();
        if (target <= durable) {
            return;
        }
        Map.Entry<Long, Segment> from = segments.floorEntry(durable);
        List<Segment> newFiles = new ArrayList<>(1);
        for (Segment s : (from == null ? segments : segments.tailMap(from.getKey(), true)).values()) {
            s.force();
            if (!s.directoryEntryForced()) {
                newFiles.add(s); // created before the directory force below, so covered by it
            }
        }
        if (!newFiles.isEmpty()) {
            ctx.storage.forceDirectory(dir);
            newFiles.forEach(Segment::markDirectoryEntryForced);
        }
        markDurable(target);
    }

    /** Forces every segment not yet known durable, and the directory (close). */
    void forceAll() throws IOException {
        Map.Entry<Long, Segment> from = segments.floorEntry(durableOffset.get());
        for (Segment s : (from == null ? segments : segments.tailMap(from.getKey(), true)).values()) {
            s.force();
        }
        ctx.storage.forceDirectory(dir);
        for (Segment s : segments.values()) {
            s.markDirectoryEntryForced();
        }
    }

    /**
     * Makes offsets below {@code end} visible to readers and wakes them, after their segments were
     * committed (the thread applying the durability step: the journal, or the {@link Forcer}).
     */
    void publish(long end) {
        endOffset = end;
        visibleEnd.publish(end);
        wakeWaiters();
    }

    /** Records that everything below {@code offset} is forced (journal, forcer or background). */
    void markDurable(long offset) {
        durableOffset.accumulateAndGet(offset, Math::max);
    }

    /** Ends a drain (journal). */
    void endDrain() {
        writtenThisDrain.clear();
        touched = false;
        drainFailure = null;
    }

    // ---- background side ----

    /** Persists the recovery point if it advanced (background thread and close). */
    void persistRecoveryPoint() throws IOException {
        synchronized (persistLock) {
            long rp = durableOffset.get();
            if (rp > persistedRecoveryPoint && !deleted) {
                AtomicFile.write(ctx.storage, dir.resolve(LogFiles.RECOVERY_POINT_FILE),
                        Map.of("recoveryPoint", Long.toString(rp)));
                persistedRecoveryPoint = rp;
            }
        }
    }

    /**
     * Snapshots the idempotent producers' state as of {@code asOfOffset}, the offset after the last
     * batch written (journal: at a roll, before the new segment exists; at close). Written even when
     * no producer is known, so recovery never has to replay closed segments to find that out. A
     * failure only costs a longer replay at the next open.
     */
    void writeProducerSnapshot(long asOfOffset) {
        if (deleted || snapshots.has(asOfOffset)) {
            return; // nothing was appended since the snapshot as of this offset
        }
        producers.expireBelow(startOffset);
        try {
            snapshots.write(producers, asOfOffset);
        } catch (IOException e) {
            LOG.warn("{}: producer snapshot as of offset {} not written ({}); the next open replays more of the log",
                    tp, asOfOffset, e.toString());
        }
    }

    long persistedRecoveryPoint() {
        synchronized (persistLock) {
            return persistedRecoveryPoint;
        }
    }

    /** Removes the oldest closed segment (retention); never the active one. */
    void deleteOldest(Segment s) throws IOException {
        if (s == active) {
            throw new IllegalStateException("the active segment is never deleted");
        }
        Segment next = nextSegment(s);
        startOffset = next.baseOffset(); // move the start first: readers below it get out-of-range
        segments.remove(s.baseOffset());
        s.delete();
    }

    void setStartOffset(long offset) {
        startOffset = offset;
    }

    void setEndOffsetForTail(long offset) {
        endOffset = offset;
        wakeWaiters();
    }

    void setActiveForTail(Segment s) {
        active = s;
    }

    /** Marks the partition deleted and closes its files. */
    void markDeleted() {
        deleted = true;
        for (Segment s : segments.values()) {
            s.close();
        }
        visibleEnd.close();
        wakeWaiters();
    }

    /** Closes files (log close). */
    void close() {
        for (Segment s : segments.values()) {
            s.close();
        }
        if (visibleEnd != null) {
            visibleEnd.close(); // null only if the open failed while loading
        }
        wakeWaiters();
    }

    @Override
    public String toString() {
        return tp.toString();
    }

    /** An I/O error after which the partition's file state is unknown: fatal like a failed force. */
    static final class FatalIOException extends IOException {
        private static final long serialVersionUID = 1L;

        FatalIOException(IOException cause) {
            super("could not roll back a failed write: " + cause.getMessage(), cause);
        }
    }
}
