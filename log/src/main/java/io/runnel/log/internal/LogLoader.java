package io.runnel.log.internal;

import io.runnel.log.CorruptRecordException;
import io.runnel.log.DamagedLogException;
import io.runnel.log.TopicConfig;
import io.runnel.log.TopicPartition;
import io.runnel.log.format.LogFiles;
import io.runnel.log.format.RecordBatch;
import io.runnel.log.storage.Storage;
import io.runnel.log.storage.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Opens one partition and recovers it (writer mode) as DESIGN.md section 2 and issue 2 point 8
 * say:
 * <ol>
 *   <li>leftover {@code .tmp} files are deleted; a complete compaction {@code .swap} is finished;</li>
 *   <li>closed segments keep their persisted indexes if those pass a sanity check and the batches
 *       after the last index entry validate; otherwise the segment is scanned in full and its
 *       indexes rebuilt;</li>
 *   <li>the last segment is always scanned in full (length, CRC32C, contiguous offsets);</li>
 *   <li>at the first invalid byte: if the offset expected there is below the persisted recovery
 *       point, the data was acknowledged as durable and {@link DamagedLogException} names file and
 *       position; otherwise it is a torn tail: the segment is cut there (and later segments
 *       removed) with a warning saying what was cut.</li>
 * </ol>
 * A read-only open performs the same checks but changes nothing: invalid tails are simply not
 * visible (the owner may still be writing them).
 */
final class LogLoader {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LogLoader.class);

    static volatile boolean ignoreRecoveryPointForTesting;
    static volatile boolean ignoreProducerSnapshotsForTesting;

    private final LogContext ctx;
    private final Storage storage;
    private final BatchScanner scanner;

    LogLoader(LogContext ctx) {
        this.ctx = ctx;
        this.storage = ctx.storage;
        this.scanner = new BatchScanner(ctx.maxBatchLength);
    }

    /** Result of scanning part of a segment. */
    private static final class Scan {
        long validEnd; // position after the last valid batch
        long nextOffset; // offset after the last valid batch
        String error; // null if the scan reached the limit cleanly
        boolean bounded; // stopped at a batch beyond the owner's visible end (read-only)
        long lastAppendTime = -1;
        long maxTimestamp = Long.MIN_VALUE;
    }

    PartitionLog load(TopicPartition tp, Path dir, TopicConfig config) throws IOException {
        PartitionLog p = new PartitionLog(ctx, tp, dir, config);
        boolean ro = ctx.readOnly;
        if (!ro) {
            storage.createDirectories(dir);
            cleanLeftovers(dir);
        }
        TreeMap<Long, Path> logs = new TreeMap<>();
        for (Path f : storage.list(dir)) {
            long base = LogFiles.parseBaseOffset(f, LogFiles.LOG_SUFFIX);
            if (base >= 0) {
                logs.put(base, f);
            }
        }
        long rp = ignoreRecoveryPointForTesting ? 0 : readRecoveryPoint(dir);
        // A read-only view shows only what the owner acknowledged (its shared visible end).
        VisibleEnd shared = ro ? VisibleEnd.forReader(storage, dir) : null;
        long bound = ro ? shared.bound() : Long.MAX_VALUE;
        if (logs.isEmpty()) {
            if (rp > 0) {
                throw new DamagedLogException(dir, 0, 0, "no segment files, but the recovery point says offsets below "
                        + rp + " were durable");
            }
            Segment seg = ro ? new Segment(storage, dir, 0, null, false) : newSegment(dir, 0);
            p.segments.put(0L, seg);
            p.initLoaded(seg, rp);
            p.visibleEnd = ro ? shared : VisibleEnd.forWriter(storage, dir, 0);
            return p;
        }
        List<Long> bases = new ArrayList<>(logs.keySet());
        Segment active = null;
        for (int i = 0; i < bases.size(); i++) {
            long base = bases.get(i);
            boolean last = i == bases.size() - 1;
            if (i > 0 && base >= bound) {
                break; // read-only: nothing of it is visible yet; the tail adopts it later
            }
            Segment seg = new Segment(storage, dir, base,
                    last && !ro ? storage.openWrite(logs.get(base)) : storage.openRead(logs.get(base)), last && !ro);
            p.segments.put(base, seg);
            // Persisted indexes are trusted only for segments wholly below the recovery point (forced
            // data); anything later may hold damage anywhere and is scanned in full.
            Scan scan = last || bases.get(i + 1) > Math.min(rp, bound) ? null : tryPersistedIndexes(seg);
            if (scan == null) {
                seg.resetIndexes();
                scan = scan(seg, 0, base, seg.file().size(), true, bound);
            }
            if (scan.bounded) {
                seg.commit();
                active = seg;
                break;
            }
            long nextBase = last ? Long.MAX_VALUE : bases.get(i + 1);
            if (scan.error == null && !last && scan.nextOffset != nextBase) {
                scan.error = "segment ends at offset " + scan.nextOffset + " but the next segment starts at " + nextBase;
            }
            if (scan.error != null) {
                if (scan.nextOffset < rp) {
                    throw new DamagedLogException(seg.logFile(), scan.validEnd, scan.nextOffset, scan.error);
                }
                if (ro) {
                    active = seg;
                    break;
                }
                long fileSize = seg.file().size();
                LOG.warn("{}: cutting torn tail of {}: {} bytes from position {} (offset {}): {}", tp, seg.logFile(),
                        fileSize - scan.validEnd, scan.validEnd, scan.nextOffset, scan.error);
                if (!last) {
                    for (int j = i + 1; j < bases.size(); j++) {
                        Path f = logs.get(bases.get(j));
                        LOG.warn("{}: removing segment {} after the cut", tp, f);
                        storage.delete(f);
                        storage.delete(LogFiles.indexFile(dir, bases.get(j)));
                        storage.delete(LogFiles.timeIndexFile(dir, bases.get(j)));
                    }
                    seg.close();
                    seg = new Segment(storage, dir, base, storage.openWrite(logs.get(base)), true);
                    p.segments.put(base, seg);
                    seg.resetIndexes();
                    scan = scan(seg, 0, base, scan.validEnd, true);
                }
                seg.truncateTo(scan.validEnd, scan.nextOffset);
                seg.file().force();
                storage.delete(LogFiles.indexFile(dir, base));
                storage.delete(LogFiles.timeIndexFile(dir, base));
                seg.commit();
                active = seg;
                break;
            }
            seg.commit();
            if (last) {
                active = seg;
            }
        }
        if (active == null) {
            active = p.segments.lastEntry().getValue(); // read-only: the view ends where the owner's visible end is
        }
        // Everything past the active segment was removed above; drop it from the map too.
        p.segments.tailMap(active.baseOffset(), false).clear();
        if (!ro && active.size() > 0 && active.directoryEntryForced() == false) {
            active.markDirectoryEntryForced(); // it existed before this open: its entry is on disk
        }
        long end = active.nextOffset();
        if (end < Math.min(rp, bound)) { // (a view may be held back by the owner's visible end, not damage)
            throw new DamagedLogException(active.logFile(), active.size(), end, "the log ends at offset " + end
                    + " but the recovery point says offsets below " + rp + " were durable (acknowledged data is missing)");
        }
        p.initLoaded(active, rp);
        if (ro) {
            p.visibleEnd = shared;
        } else {
            restoreProducerState(p);
            p.visibleEnd = VisibleEnd.forWriter(storage, dir, p.endOffset());
        }
        return p;
    }

    private Segment newSegment(Path dir, long base) throws IOException {
        Segment s = new Segment(storage, dir, base, storage.openWrite(LogFiles.logFile(dir, base)), true);
        s.commit();
        return s;
    }

    private long readRecoveryPoint(Path dir) throws IOException {
        Path f = dir.resolve(LogFiles.RECOVERY_POINT_FILE);
        Map<String, String> m = AtomicFile.read(storage, f);
        if (m == null) {
            if (storage.exists(f)) {
                LOG.warn("{} is damaged; recovering without it (every tail is treated as not yet durable)", f);
            }
            return 0;
        }
        try {
            return Long.parseLong(m.get("recoveryPoint"));
        } catch (RuntimeException e) {
            LOG.warn("{} holds no valid recoveryPoint; recovering without it", f);
            return 0;
        }
    }

    /** Deletes temp files and orphaned indexes; finishes complete compaction swaps. */
    private void cleanLeftovers(Path dir) throws IOException {
        List<Path> files = storage.list(dir);
        boolean changed = false;
        for (Path f : files) {
            if (LogFiles.hasSuffix(f, LogFiles.TMP_SUFFIX) || f.endsWith(LogFiles.LEGACY_PRODUCER_STATE_FILE)) {
                LOG.info("removing leftover file {}", f);
                storage.delete(f);
                changed = true;
            }
        }
        for (Path f : storage.list(dir)) {
            if (LogFiles.hasSuffix(f, LogFiles.LOG_SUFFIX + LogFiles.SWAP_SUFFIX)) {
                finishSwap(dir, f);
                changed = true;
            }
        }
        for (Path f : storage.list(dir)) {
            long b = LogFiles.parseBaseOffset(f, LogFiles.INDEX_SUFFIX);
            if (b < 0) {
                b = LogFiles.parseBaseOffset(f, LogFiles.TIME_INDEX_SUFFIX);
            }
            if (b >= 0 && !storage.exists(LogFiles.logFile(dir, b))) {
                storage.delete(f);
                changed = true;
            }
        }
        if (changed) {
            storage.forceDirectory(dir);
        }
    }

    /**
     * A {@code <base>.log.swap} is a compacted replacement for the segments from base up to its end
     * offset, forced before it got its name: finish the replacement.
     */
    private void finishSwap(Path dir, Path swap) throws IOException {
        String name = swap.getFileName().toString();
        long base = LogFiles.parseBaseOffset(dir.resolve(name.substring(0, name.length() - LogFiles.SWAP_SUFFIX.length())),
                LogFiles.LOG_SUFFIX);
        if (base < 0) {
            storage.delete(swap);
            return;
        }
        long end;
        try (StorageFile f = storage.openRead(swap)) {
            Segment tmp = new Segment(storage, dir, base, f, false);
            Scan s = scan(tmp, 0, base, f.size(), false);
            if (s.error != null) {
                LOG.warn("removing invalid compaction swap file {}: {}", swap, s.error);
                storage.delete(swap);
                return;
            }
            end = s.nextOffset;
        }
        for (Path f : storage.list(dir)) {
            long b = LogFiles.parseBaseOffset(f, LogFiles.LOG_SUFFIX);
            if (b > base && b < end) {
                storage.delete(f);
                storage.delete(LogFiles.indexFile(dir, b));
                storage.delete(LogFiles.timeIndexFile(dir, b));
            }
        }
        storage.delete(LogFiles.indexFile(dir, base));
        storage.delete(LogFiles.timeIndexFile(dir, base));
        storage.rename(swap, LogFiles.logFile(dir, base));
        LOG.info("finished compaction swap into {}", LogFiles.logFile(dir, base));
    }

    /**
     * Loads a closed segment's persisted indexes if they are sane and the batches after the last
     * entry validate; returns the scan of that tail, or null to rebuild from a full scan.
     */
    private Scan tryPersistedIndexes(Segment seg) throws IOException {
        Path dir = seg.logFile().getParent();
        long base = seg.baseOffset();
        long fileSize = seg.file().size();
        ByteBuffer oi = readAll(LogFiles.indexFile(dir, base), 12);
        ByteBuffer ti = oi == null ? null : readAll(LogFiles.timeIndexFile(dir, base), 16);
        if (oi == null || ti == null || oi.remaining() / 12 != ti.remaining() / 16 || oi.remaining() == 0) {
            return null;
        }
        int n = oi.remaining() / 12;
        long prevOff = -1;
        long prevPos = -1;
        long prevTs = Long.MIN_VALUE;
        long[] offs = new long[n];
        long[] poss = new long[n];
        long[] tss = new long[n];
        for (int i = 0; i < n; i++) {
            long off = oi.getLong();
            long pos = oi.getInt() & 0xFFFFFFFFL;
            long ts = ti.getLong();
            long tOff = ti.getLong();
            boolean ok = off > prevOff && pos > prevPos && pos < fileSize && tOff == off && ts >= prevTs
                    && (i > 0 || (off == base && pos == 0));
            if (!ok) {
                LOG.info("rebuilding damaged indexes of {}", seg.logFile());
                return null;
            }
            offs[i] = off;
            poss[i] = pos;
            tss[i] = ts;
            prevOff = off;
            prevPos = pos;
            prevTs = ts;
        }
        for (int i = 0; i < n; i++) {
            seg.restoreIndexEntry(offs[i], poss[i], tss[i]);
        }
        Scan tail = scan(seg, poss[n - 1], offs[n - 1], fileSize, false);
        if (tail.error != null) {
            return null;
        }
        long maxTs = Math.max(tss[n - 1], tail.maxTimestamp);
        seg.restoreState(fileSize, tail.nextOffset, maxTs, tail.lastAppendTime, fileSize - poss[n - 1]);
        Scan s = new Scan();
        s.validEnd = fileSize;
        s.nextOffset = tail.nextOffset;
        return s;
    }

    private ByteBuffer readAll(Path f, int entrySize) throws IOException {
        if (!storage.exists(f)) {
            return null;
        }
        try (StorageFile sf = storage.openRead(f)) {
            long size = sf.size();
            if (size % entrySize != 0 || size > (1L << 30)) {
                return null;
            }
            ByteBuffer b = ByteBuffer.allocate((int) size);
            if (sf.read(b, 0) != size) {
                return null;
            }
            return b.flip();
        }
    }

    /**
     * Scans [from, limit) of {@code seg} expecting the first batch at {@code expectedOffset};
     * with {@code index} each valid batch is added to the segment's state and indexes.
     */
    private Scan scan(Segment seg, long from, long expectedOffset, long limit, boolean index) throws IOException {
        return scan(seg, from, expectedOffset, limit, index, Long.MAX_VALUE);
    }

    /** As above, stopping (not failing) before a batch that ends beyond {@code maxNextOffset}. */
    private Scan scan(Segment seg, long from, long expectedOffset, long limit, boolean index, long maxNextOffset)
            throws IOException {
        Scan s = new Scan();
        s.validEnd = from;
        s.nextOffset = expectedOffset;
        if (seg.file() == null) {
            return s;
        }
        scanner.reset(seg.file(), from, limit);
        int interval = ctx.config.indexIntervalBytes();
        while (true) {
            RecordBatch b;
            try {
                b = scanner.next();
            } catch (CorruptRecordException e) {
                s.error = e.getMessage();
                return s;
            }
            if (b == null) {
                return s;
            }
            if (b.baseOffset() != s.nextOffset) {
                s.error = "batch at position " + scanner.position() + " has base offset " + b.baseOffset()
                        + ", expected " + s.nextOffset + " (a stale batch from earlier contents)";
                return s;
            }
            if (b.nextOffset() > maxNextOffset) {
                s.bounded = true; // written, not yet acknowledged by the owner: not visible yet
                return s;
            }
            if (index) {
                seg.onBatch(scanner.position(), b.batchLength(), b.baseOffset(), b.nextOffset(), b.maxTimestamp(),
                        b.appendTime(), interval);
            }
            s.maxTimestamp = Math.max(s.maxTimestamp, b.maxTimestamp());
            s.lastAppendTime = b.appendTime();
            s.nextOffset = b.nextOffset();
            s.validEnd = scanner.nextPosition();
        }
    }

    /**
     * Rebuilds the idempotent producers' table (writer only: a read-only view never appends): the
     * newest valid snapshot at or below the end, then the batches after it; without one, every
     * retained segment, never just the active one (a forgotten producer would get duplicates
     * appended). Producers whose last batch is below the start offset are forgotten, as retention
     * deleted it. When the replay had to cover closed segments, a snapshot as of the active
     * segment's base is written on the way, so the next open does not repeat it.
     */
    private void restoreProducerState(PartitionLog p) throws IOException {
        long start = p.startOffset();
        long asOf = ignoreProducerSnapshotsForTesting
                ? p.activeSegment().baseOffset() // the broken variant: forgets what closed segments hold
                : p.snapshots.loadNewest(p.producers, p.nextOffset());
        p.producers.expireBelow(start);
        long from = Math.max(asOf, start);
        Segment active = p.activeSegment();
        if (asOf < 0 && active.baseOffset() > start) {
            LOG.info("{}: no valid producer snapshot; replaying the batches of all {} segments from offset {}", p.tp,
                    p.segments.size(), start);
        }
        for (Segment seg = p.segmentFor(from); seg != null && seg.file() != null; seg = p.nextSegment(seg)) {
            if (seg == active && from < active.baseOffset() && !ignoreProducerSnapshotsForTesting) {
                p.writeProducerSnapshot(active.baseOffset());
            }
            scanner.reset(seg.file(), seg.floorPosition(from), seg.committedSize());
            long expected = seg.floorBatchOffset(from);
            RecordBatch b;
            try {
                while ((b = scanner.next()) != null) {
                    if (b.producerId() >= 0 && b.baseOffset() >= from) {
                        p.producers.onBatch(b.producerId(), b.baseSequence(), b.lastOffsetDelta(), b.baseOffset());
                    }
                    expected = b.nextOffset();
                }
            } catch (CorruptRecordException e) {
                // A closed segment below the recovery point whose indexes were trusted was not scanned
                // in full by the load: damage in acknowledged data, reported like the load reports it.
                throw new DamagedLogException(seg.logFile(), scanner.position(), expected, "replaying the batches"
                        + " of idempotent producers: " + e.getMessage());
            }
        }
    }

    // ---- read-only tailing ----

    /**
     * Brings a read-only partition up to date with what the owning process wrote: new segments,
     * complete valid batches, segments removed by retention.
     */
    void refresh(PartitionLog p) throws IOException {
        TreeMap<Long, Path> logs = new TreeMap<>();
        for (Path f : storage.list(p.dir)) {
            long base = LogFiles.parseBaseOffset(f, LogFiles.LOG_SUFFIX);
            if (base >= 0) {
                logs.put(base, f);
            }
        }
        if (logs.isEmpty()) {
            return;
        }
        // Segments deleted by the owner's retention.
        for (Long base : new ArrayList<>(p.segments.keySet())) {
            Segment s = p.segments.get(base);
            if (!logs.containsKey(base) && s != p.activeSegment()) {
                p.segments.remove(base);
                s.close();
            }
        }
        if (!p.segments.isEmpty()) {
            p.setStartOffset(p.segments.firstKey());
        }
        Segment active = p.activeSegment();
        if (active.file() == null) {
            // Placeholder of an empty partition: adopt the first real segment.
            long first = logs.firstKey();
            p.segments.remove(active.baseOffset());
            active = new Segment(storage, p.dir, first, storage.openRead(logs.get(first)), false);
            active.commit();
            p.segments.put(first, active);
            p.setActiveForTail(active);
            p.setStartOffset(first);
        }
        long bound = p.visibleEnd.bound();
        while (true) {
            extendTail(active, bound);
            Map.Entry<Long, Path> next = logs.higherEntry(active.baseOffset());
            if (next == null || active.nextOffset() != next.getKey()) {
                break; // no newer segment, or the current one is not complete yet
            }
            Segment seg = new Segment(storage, p.dir, next.getKey(), storage.openRead(next.getValue()), false);
            seg.commit();
            p.segments.put(next.getKey(), seg);
            p.setActiveForTail(seg);
            active = seg;
        }
        if (active.committedEnd() != p.endOffset()) {
            p.setEndOffsetForTail(active.committedEnd());
        }
    }

    private void extendTail(Segment seg, long bound) throws IOException {
        long size = seg.file().size();
        if (size <= seg.size()) {
            return;
        }
        scanner.reset(seg.file(), seg.size(), size);
        int interval = ctx.config.indexIntervalBytes();
        try {
            RecordBatch b;
            while ((b = scanner.next()) != null) {
                if (b.baseOffset() != seg.nextOffset() || b.nextOffset() > bound) {
                    break; // stale bytes, or not acknowledged by the owner yet
                }
                seg.onBatch(scanner.position(), b.batchLength(), b.baseOffset(), b.nextOffset(), b.maxTimestamp(),
                        b.appendTime(), interval);
            }
        } catch (CorruptRecordException e) {
            // Incomplete batch: the owner is writing it; look again next time.
        }
        seg.commit();
    }
}
