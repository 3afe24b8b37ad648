package io.runnel.log.internal;

import io.runnel.log.format.LogFiles;
import io.runnel.log.storage.Storage;
import io.runnel.log.storage.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * One segment of a partition: a {@code .log} file of batches starting at {@link #baseOffset()},
 * with its sparse offset index (batch base offset -> file position) and time index (max
 * timestamp so far -> batch base offset), held in memory and persisted when the segment closes.
 *
 * <p>Threading: the journal (or the loader, before the partition is shared) is the only writer;
 * readers use {@link #committedSize()} and {@link #committedEnd()}, published after the durability
 * step (by the journal, or under FSYNC by the {@link Forcer}), and never read beyond them.
 */
final class Segment {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Segment.class);

    private final Storage storage;
    private final Path dir;
    private final long baseOffset;
    private final SparseIndex offsetIndex = new SparseIndex();
    private final SparseIndex timeIndex = new SparseIndex();
    private StorageFile file;
    private boolean writable;

    // Writer state.
    private long size;
    private long nextOffset;
    private long bytesSinceIndex;
    private long maxTimestamp = Long.MIN_VALUE;
    private long firstAppendTime = -1;
    private volatile boolean directoryEntryForced; // the INTERVAL flusher reads and sets it too

    // Published to readers.
    private volatile long committedSize;
    private volatile long committedEnd;
    private volatile long lastAppendTime = -1;
    private volatile long committedMaxTimestamp = Long.MIN_VALUE;
    private volatile boolean replaced;

    Segment(Storage storage, Path dir, long baseOffset, StorageFile file, boolean writable) {
        this.storage = storage;
        this.dir = dir;
        this.baseOffset = baseOffset;
        this.file = file;
        this.writable = writable;
        this.nextOffset = baseOffset;
        this.committedEnd = baseOffset;
    }

    long baseOffset() {
        return baseOffset;
    }

    Path logFile() {
        return LogFiles.logFile(dir, baseOffset);
    }

    StorageFile file() {
        return file;
    }

    /** Bytes of complete batches written (writer's view). */
    long size() {
        return size;
    }

    /** Offset after the last batch written (writer's view). */
    long nextOffset() {
        return nextOffset;
    }

    long committedSize() {
        return committedSize;
    }

    long committedEnd() {
        return committedEnd;
    }

    long lastAppendTime() {
        return lastAppendTime;
    }

    long firstAppendTime() {
        return firstAppendTime;
    }

    long maxTimestamp() {
        return committedMaxTimestamp;
    }

    /** Compaction is replacing this segment's file: readers must look the segment up again. */
    boolean isReplaced() {
        return replaced;
    }

    void markReplaced() {
        replaced = true;
    }

    boolean isEmpty() {
        return size == 0;
    }

    boolean directoryEntryForced() {
        return directoryEntryForced;
    }

    void markDirectoryEntryForced() {
        directoryEntryForced = true;
    }

    /**
     * Records that a valid batch of {@code length} bytes for offsets [base, nextOffset) now sits at
     * {@code position} (loader and journal).
     */
    void onBatch(long position, int length, long batchBase, long batchNext, long batchMaxTs, long appendTime,
            int indexIntervalBytes) {
        if (offsetIndex.size() == 0 || bytesSinceIndex >= indexIntervalBytes) {
            offsetIndex.add(batchBase, position);
            long ts = Math.max(maxTimestamp, batchMaxTs);
            timeIndex.add(ts, batchBase);
            bytesSinceIndex = 0;
        }
        bytesSinceIndex += length;
        if (batchMaxTs > maxTimestamp) {
            maxTimestamp = batchMaxTs;
        }
        if (firstAppendTime < 0) {
            firstAppendTime = appendTime;
        }
        lastAppendTime = appendTime;
        size = position + length;
        nextOffset = batchNext;
    }

    /** Writes a finished batch at the end of the file (journal only). */
    void write(ByteBuffer batch) throws IOException {
        file.write(batch, size);
    }

    /** Max record timestamp written so far (writer's view). */
    long writtenMaxTimestamp() {
        return maxTimestamp;
    }

    /** Makes everything written so far visible to readers (after the durability step). */
    void commit() {
        commit(size, nextOffset, maxTimestamp);
    }

    /**
     * Makes the segment visible to readers as it was when the journal wrote {@code size} bytes
     * ({@code size}, {@link #nextOffset()} and {@link #writtenMaxTimestamp()} then): the publishing
     * thread, after the durability step, while the journal may have written more since.
     */
    void commit(long size, long end, long maxTimestamp) {
        committedMaxTimestamp = maxTimestamp;
        committedEnd = end;
        committedSize = size;
    }

    void force() throws IOException {
        file.force();
    }

    /** Cuts the file back to {@code newSize} after a failed write (journal) or a torn tail (loader). */
    void truncateTo(long newSize, long newNextOffset) throws IOException {
        file.truncate(newSize);
        size = newSize;
        nextOffset = newNextOffset;
        int keep = offsetIndex.lower(newNextOffset);
        // Keep entries for batches that start before the cut.
        int n = offsetIndex.size();
        int i = keep + 1;
        while (i < n && offsetIndex.value(i) < newSize) {
            i++;
        }
        offsetIndex.truncate(Math.min(i, n));
        timeIndex.truncate(Math.min(i, timeIndex.size()));
        if (committedSize > newSize) {
            committedSize = newSize;
            committedEnd = newNextOffset;
        }
    }

    /** Position of the batch holding {@code offset} or an earlier one, for a forward scan. */
    long floorPosition(long offset) {
        int i = offsetIndex.floor(offset);
        return i < 0 ? 0 : offsetIndex.value(i);
    }

    /** Base offset of the batch at {@link #floorPosition(long)}. */
    long floorBatchOffset(long offset) {
        int i = offsetIndex.floor(offset);
        return i < 0 ? baseOffset : offsetIndex.key(i);
    }

    /**
     * Offset of a batch from which a forward scan finds the first record with timestamp >= ts: the
     * batch of the last index entry whose max-timestamp-so-far is below ts (everything before it is
     * older), or the segment start.
     */
    long scanStartForTimestamp(long ts) {
        int i = timeIndex.lower(ts);
        return i < 0 ? baseOffset : timeIndex.value(i);
    }

    int indexEntries() {
        return offsetIndex.size();
    }

    long indexKey(int i) {
        return offsetIndex.key(i);
    }

    long indexValue(int i) {
        return offsetIndex.value(i);
    }

    /** Replaces the indexes with those loaded from files (loader only). */
    void restoreIndexEntry(long batchBase, long position, long maxTsSoFar) {
        offsetIndex.add(batchBase, position);
        timeIndex.add(maxTsSoFar, batchBase);
    }

    /** Sets the writer and reader state of a closed segment whose indexes were loaded from files. */
    void restoreState(long size, long nextOffset, long maxTimestamp, long lastAppendTime, long bytesSinceIndex) {
        this.size = size;
        this.nextOffset = nextOffset;
        this.maxTimestamp = maxTimestamp;
        this.lastAppendTime = lastAppendTime;
        this.firstAppendTime = lastAppendTime;
        this.bytesSinceIndex = bytesSinceIndex;
        this.directoryEntryForced = true;
        commit();
    }

    void resetIndexes() {
        offsetIndex.truncate(0);
        timeIndex.truncate(0);
        bytesSinceIndex = 0;
        maxTimestamp = Long.MIN_VALUE;
    }

    /** Persists the indexes (derived data: written via temp and rename, not forced). */
    void writeIndexes() throws IOException {
        int n = offsetIndex.size();
        ByteBuffer ob = ByteBuffer.allocate(n * 12);
        ByteBuffer tb = ByteBuffer.allocate(n * 16);
        for (int i = 0; i < n; i++) {
            ob.putLong(offsetIndex.key(i)).putInt((int) offsetIndex.value(i));
            tb.putLong(timeIndex.key(i)).putLong(timeIndex.value(i));
        }
        writeFile(LogFiles.indexFile(dir, baseOffset), ob.flip());
        writeFile(LogFiles.timeIndexFile(dir, baseOffset), tb.flip());
    }

    private void writeFile(Path p, ByteBuffer content) throws IOException {
        Path tmp = LogFiles.tmp(p);
        try (StorageFile f = storage.openWrite(tmp)) {
            f.truncate(0);
            f.write(content, 0);
        }
        storage.rename(tmp, p);
    }

    /** Switches a closed segment's handle to read-only. */
    void closeForWrites() throws IOException {
        if (writable) {
            StorageFile old = file;
            file = storage.openRead(logFile());
            writable = false;
            old.close();
        }
    }

    void close() {
        if (file == null) {
            return; // placeholder of a read-only view's empty partition: nothing opened yet
        }
        try {
            file.close();
        } catch (IOException e) {
            LOG.warn("closing {} failed: {}", logFile(), e.toString());
        }
    }

    /** Closes and deletes the segment's files. */
    void delete() throws IOException {
        close();
        storage.delete(LogFiles.logFile(dir, baseOffset));
        storage.delete(LogFiles.indexFile(dir, baseOffset));
        storage.delete(LogFiles.timeIndexFile(dir, baseOffset));
    }

    @Override
    public String toString() {
        return logFile().toString();
    }
}
