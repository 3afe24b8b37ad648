package io.runnel.log.internal;

import io.runnel.log.CleanupPolicy;
import io.runnel.log.CorruptRecordException;
import io.runnel.log.TopicConfig;
import io.runnel.log.format.BatchBuilder;
import io.runnel.log.format.LogFiles;
import io.runnel.log.format.RecordBatch;
import io.runnel.log.format.RecordCursor;
import io.runnel.log.storage.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The background cleaner: retention for {@link CleanupPolicy#DELETE} topics (whole closed
 * segments, by append-time age and by partition size) and compaction for
 * {@link CleanupPolicy#COMPACT} topics (latest record per key; tombstones kept for the topic's
 * tombstone retention). It only touches closed segments that are already forced, never the
 * active one. Runs on the log's background thread.
 */
final class Cleaner {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Cleaner.class);

    private final LogContext ctx;
    /** Test hooks (see {@link TestHooks}): broken variants the retention and compaction oracles must catch. */
    static volatile boolean keepOldestForTesting;
    static volatile boolean retentionByRecordTimeForTesting;

    private final Supplier<Collection<PartitionLog>> partitions;
    private final BatchScanner scanner;
    private final RecordCursor cursor = new RecordCursor();
    private final BatchBuilder builder = new BatchBuilder();

    Cleaner(LogContext ctx, Supplier<Collection<PartitionLog>> partitions) {
        this.ctx = ctx;
        this.partitions = partitions;
        this.scanner = new BatchScanner(ctx.maxBatchLength);
    }

    void run() throws IOException {
        for (PartitionLog p : partitions.get()) {
            if (p.isDeleted()) {
                continue;
            }
            TopicConfig tc = p.topicConfig;
            if (tc.cleanupPolicy() == CleanupPolicy.DELETE) {
                applyRetention(p, tc);
            } else {
                compact(p, tc);
            }
        }
    }

    /** Closed segments whose data is forced, oldest first. */
    private static List<Segment> cleanable(PartitionLog p) {
        List<Segment> out = new ArrayList<>();
        Segment active = p.activeSegment();
        long durable = p.durableOffset();
        for (Segment s : p.segments.values()) {
            if (s == active || s.committedEnd() > durable || s.committedEnd() != s.nextOffset()) {
                break;
            }
            out.add(s);
        }
        return out;
    }

    private void applyRetention(PartitionLog p, TopicConfig tc) throws IOException {
        List<Segment> closed = cleanable(p);
        if (closed.isEmpty()) {
            return;
        }
        long now = ctx.nowMs();
        long total = p.sizeInBytes();
        boolean deleted = false;
        for (Segment s : closed) {
            long appended = retentionByRecordTimeForTesting ? s.maxTimestamp() : s.lastAppendTime();
            boolean tooOld = tc.retentionMs() != TopicConfig.UNLIMITED && now - appended > tc.retentionMs();
            boolean tooBig = tc.retentionBytes() != TopicConfig.UNLIMITED && total > tc.retentionBytes();
            if (!tooOld && !tooBig) {
                break;
            }
            LOG.info("{}: retention deletes segment {} ({} bytes, last append {} ms ago)", p, s, s.committedSize(),
                    now - s.lastAppendTime());
            total -= s.committedSize();
            p.deleteOldest(s);
            deleted = true;
        }
        if (deleted) {
            ctx.storage.forceDirectory(p.dir);
        }
    }

    private void compact(PartitionLog p, TopicConfig tc) throws IOException {
        List<Segment> closed = cleanable(p);
        if (closed.isEmpty()) {
            return;
        }
        // Latest offset per key over everything visible, the active segment included.
        Map<ByteBuffer, Long> latest = new HashMap<>();
        long end = p.endOffset();
        for (Segment s : p.segments.values()) {
            if (s.file() == null) {
                continue;
            }
            scanner.reset(s.file(), 0, s.committedSize());
            RecordBatch b;
            while ((b = nextBatch(s)) != null) {
                if (b.baseOffset() >= end) {
                    break;
                }
                b.records(cursor, ctx.maxBatchLength);
                while (cursor.next()) {
                    if (cursor.keyLength() >= 0) {
                        if (keepOldestForTesting) {
                            latest.putIfAbsent(ByteBuffer.wrap(cursor.keyCopy()), cursor.offset());
                        } else {
                            latest.put(ByteBuffer.wrap(cursor.keyCopy()), cursor.offset());
                        }
                    }
                }
            }
        }
        long now = ctx.nowMs();
        for (Segment s : closed) {
            boolean dropTombstones = now - s.lastAppendTime() > tc.tombstoneRetentionMs();
            compactSegment(p, tc, s, latest, dropTombstones);
        }
    }

    private RecordBatch nextBatch(Segment s) throws IOException {
        try {
            return scanner.next();
        } catch (CorruptRecordException e) {
            throw new CorruptRecordException("compaction found damaged data in " + s + ": " + e.getMessage(), e);
        }
    }

    private void compactSegment(PartitionLog p, TopicConfig tc, Segment s, Map<ByteBuffer, Long> latest,
            boolean dropTombstones) throws IOException {
        // First pass: is there anything to remove?
        scanner.reset(s.file(), 0, s.committedSize());
        int removable = 0;
        RecordBatch b;
        while ((b = nextBatch(s)) != null) {
            b.records(cursor, ctx.maxBatchLength);
            while (cursor.next()) {
                if (!keep(latest, dropTombstones)) {
                    removable++;
                }
            }
        }
        if (removable == 0) {
            return;
        }
        Path logFile = s.logFile();
        Path tmp = LogFiles.tmp(logFile);
        Path swap = LogFiles.swap(logFile);
        long written = 0;
        try (StorageFile out = ctx.storage.openWrite(tmp)) {
            out.truncate(0);
            scanner.reset(s.file(), 0, s.committedSize());
            long groupBase = -1;
            long groupAppendTime = 0;
            while ((b = nextBatch(s)) != null) {
                boolean idempotent = b.producerId() >= 0;
                if (idempotent && groupBase >= 0) {
                    written += writeGroup(out, written, groupAppendTime, tc);
                    groupBase = -1;
                    groupAppendTime = 0;
                }
                if (groupBase < 0) {
                    groupBase = b.baseOffset();
                    // An idempotent producer's batch keeps its own batch, id and base sequence (even if
                    // emptied): its last batch is what recovery rebuilds the producer's state from.
                    builder.reset(groupBase, b.producerId(), b.baseSequence());
                }
                groupAppendTime = Math.max(groupAppendTime, b.appendTime());
                long batchNext = b.nextOffset();
                b.records(cursor, ctx.maxBatchLength);
                while (cursor.next()) {
                    if (keep(latest, dropTombstones)) {
                        byte[] value = cursor.valueCopy();
                        builder.appendAt((int) (cursor.offset() - groupBase), cursor.timestamp(), cursor.keyCopy(),
                                value, 0, cursor.valueLength(), cursor.encodedHeaders());
                    }
                }
                builder.coverUpTo((int) (batchNext - 1 - groupBase));
                if (idempotent || builder.sizeInBytes() >= ctx.config.maxBatchBytes() / 2) {
                    written += writeGroup(out, written, groupAppendTime, tc);
                    groupBase = -1;
                    groupAppendTime = 0;
                }
            }
            if (groupBase >= 0) {
                written += writeGroup(out, written, groupAppendTime, tc);
            }
            out.force();
        }
        // The swap name marks a complete replacement: recovery finishes it from here on.
        ctx.storage.rename(tmp, swap);
        ctx.storage.forceDirectory(p.dir);
        s.markReplaced();
        ctx.storage.delete(LogFiles.indexFile(p.dir, s.baseOffset()));
        ctx.storage.delete(LogFiles.timeIndexFile(p.dir, s.baseOffset()));
        ctx.storage.rename(swap, logFile);
        ctx.storage.forceDirectory(p.dir);
        Segment fresh = new Segment(ctx.storage, p.dir, s.baseOffset(), ctx.storage.openRead(logFile), false);
        scanner.reset(fresh.file(), 0, written);
        while ((b = nextBatch(fresh)) != null) {
            fresh.onBatch(scanner.position(), b.batchLength(), b.baseOffset(), b.nextOffset(), b.maxTimestamp(),
                    b.appendTime(), ctx.config.indexIntervalBytes());
        }
        fresh.markDirectoryEntryForced();
        fresh.commit();
        fresh.writeIndexes();
        p.segments.put(s.baseOffset(), fresh);
        s.close();
        LOG.info("{}: compacted {}: removed {} records, {} -> {} bytes", p, logFile, removable, s.committedSize(),
                written);
    }

    private boolean keep(Map<ByteBuffer, Long> latest, boolean dropTombstones) {
        if (cursor.keyLength() < 0) {
            return true;
        }
        Long last = latest.get(cursor.buffer().slice(cursor.keyPosition(), cursor.keyLength()));
        if (last == null || last != cursor.offset()) {
            return false;
        }
        return !(dropTombstones && cursor.valueLength() < 0);
    }

    private long writeGroup(StorageFile out, long position, long appendTime, TopicConfig tc) throws IOException {
        ByteBuffer batch = builder.build(appendTime, tc.compression());
        int len = batch.remaining();
        out.write(batch, position);
        return len;
    }
}
