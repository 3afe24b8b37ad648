package io.runnel.log.internal;

import io.runnel.log.CorruptRecordException;
import io.runnel.log.OffsetOutOfRangeException;
import io.runnel.log.format.RecordBatch;
import io.runnel.log.format.RecordCursor;
import io.runnel.log.storage.StorageFile;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.locks.LockSupport;

/**
 * One consumer's sequential reader of one partition: its own file handle (so an interrupt of one
 * consumer cannot close a file others use), a reusable read buffer and a cursor that survives
 * between polls. Reads only what the journal published. Not thread-safe.
 */
final class PartitionReader {
    final PartitionLog partition;
    private final BatchScanner scanner;
    private final RecordCursor cursor = new RecordCursor();
    private long position;
    private Segment segment;
    private StorageFile file;
    private boolean inBatch;
    private boolean repositioned; // seek moved the position: the scan restarts at the batch holding it
    private boolean hasCurrent;
    private long batchNext;

    PartitionReader(PartitionLog partition, long position) {
        this.partition = partition;
        this.scanner = new BatchScanner(partition.ctx.maxBatchLength);
        this.position = position;
    }

    long position() {
        return position;
    }

    /** Moves the position; the next fetch finds its batch through the index, in the open file if it holds it. */
    void seek(long offset) {
        position = offset;
        inBatch = false;
        hasCurrent = false;
        repositioned = true;
    }

    /** Whether records past the position are visible now. */
    boolean hasData() {
        return position < partition.endOffset();
    }

    /**
     * Checks the position against the partition's range and returns the partition's end now:
     * {@link #peek} hands out records below it.
     *
     * @throws OffsetOutOfRangeException if the position is outside [start, end]
     */
    long visibleEnd() {
        long end = partition.endOffset();
        long start = partition.startOffset();
        if (position < start || position > end) {
            throw new OffsetOutOfRangeException(partition.tp, position, start, end);
        }
        return end;
    }

    /**
     * The record at the position (the first one at or after it), or null if there is none below
     * {@code end}. The record stays current, and is returned again, until {@link #take()}; so a
     * record the caller cannot take (it fails to deserialize) is first in the next poll. The
     * common case (the next record of the open batch) is small enough for the JIT to inline into
     * the consumer's loop; the rest is out of line.
     */
    RecordCursor peek(long end) throws IOException {
        if (!hasCurrent) {
            if (!inBatch || !cursor.next()) {
                return peekNextBatch(end);
            }
            hasCurrent = true;
        }
        return cursor.offset() < end ? cursor : null;
    }

    /**
     * Moves the position past the current record; false (and no move) if there is none, because
     * a {@link #seek} came after the {@link #peek} (a record handler may seek).
     */
    boolean take() {
        if (!hasCurrent) {
            return false;
        }
        position = cursor.offset() + 1;
        hasCurrent = false;
        return true;
    }

    /** The open batch ran out (or none is open): the first record at or after the position in the next batches. */
    private RecordCursor peekNextBatch(long end) throws IOException {
        if (inBatch) {
            inBatch = false;
            position = Math.max(position, batchNext); // compaction may leave the batch's last offsets empty
        }
        while (position < end) {
            RecordBatch b = nextBatch();
            if (b == null) {
                return null;
            }
            if (b.nextOffset() <= position) {
                continue;
            }
            batchNext = b.nextOffset();
            b.records(cursor, partition.ctx.maxBatchLength);
            if (b.baseOffset() < position) {
                cursor.skipBefore(position); // a seek into the batch: next() returns the first record at or after it
            }
            if (cursor.next()) {
                inBatch = true;
                hasCurrent = true;
                return cursor.offset() < end ? cursor : null;
            }
            position = Math.max(position, batchNext);
        }
        return null;
    }

    private RecordBatch nextBatch() throws IOException {
        while (true) {
            if (segment == null) {
                Segment s = partition.segmentFor(position);
                if (s == null || s.file() == null) {
                    return null;
                }
                try {
                    file = partition.ctx.storage.openRead(s.logFile());
                } catch (NoSuchFileException e) {
                    // Deleted by retention or replaced by compaction since the lookup: look again.
                    if (position < partition.startOffset()) {
                        throw new OffsetOutOfRangeException(partition.tp, position, partition.startOffset(),
                                partition.endOffset());
                    }
                    continue;
                }
                if (s.isReplaced()) {
                    // Compaction is swapping this file; the new segment is published in a moment.
                    file.close();
                    file = null;
                    LockSupport.parkNanos(100_000);
                    continue;
                }
                segment = s;
                scanner.reset(file, s.floorPosition(position), s.committedSize());
                repositioned = false;
            } else if (repositioned) {
                if (partition.segmentFor(position) != segment) {
                    closeFile(); // another segment (or this one was replaced by compaction): open that one
                    continue;
                }
                // Same file: no reopen, and the scanner keeps what it buffered (random access stays cheap).
                scanner.reset(file, segment.floorPosition(position), segment.committedSize());
                repositioned = false;
            } else {
                scanner.limit(segment.committedSize());
            }
            RecordBatch b;
            try {
                b = scanner.next();
            } catch (CorruptRecordException e) {
                throw new CorruptRecordException("damaged data in " + segment.logFile() + " at byte position "
                        + scanner.position() + " (" + partition.tp + ", reading offset " + position + "): "
                        + e.getMessage(), e);
            }
            if (b != null) {
                return b;
            }
            // End of this segment's committed bytes: move on if a later segment holds the position.
            Segment next = partition.nextSegment(segment);
            if (next == null || segment.committedEnd() > position) {
                return null;
            }
            closeFile();
        }
    }

    private void closeFile() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                // read handle: nothing to lose
            }
            file = null;
        }
        segment = null;
    }

    void close() {
        closeFile();
    }
}
