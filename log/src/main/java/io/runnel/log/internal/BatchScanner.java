package io.runnel.log.internal;

import io.runnel.log.CorruptRecordException;
import io.runnel.log.format.BatchDescriptor;
import io.runnel.log.format.RecordBatch;
import io.runnel.log.storage.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Reads a segment's batches in order through a reusable buffer, validating each (length, CRC,
 * header). Used by recovery, index rebuilds, read-only tailing, compaction and reads. Not
 * thread-safe.
 *
 * <p>With a read-ahead executor (consumers), a sequential scan reads the next chunk of the file
 * into a second buffer on that executor while the caller decodes this one, so copying from the
 * page cache (a third of a consumer's time) overlaps with decoding. The chunk lands after
 * {@link #RESERVE} free bytes, where the tail of a batch that straddles the two chunks is copied;
 * a longer tail, a seek or a failed read falls back to reading in place.
 */
final class BatchScanner {
    private static final int MIN_BUFFER = 256 * 1024;
    /** The first read after a {@link #reset}: small, so a seek that needs one batch reads about that much. */
    private static final int FIRST_READ = 16 * 1024;
    /** Room before a read-ahead chunk for the straddling tail of the batch before it. */
    static final int RESERVE = 64 * 1024;
    /** Read ahead only when at least this much is committed past the buffer (not while tailing the end). */
    private static final int MIN_READ_AHEAD = 64 * 1024;
    private final int maxBatchLength;
    private final Executor readAheadExecutor; // null: no read-ahead
    private ByteBuffer spare; // the buffer a read-ahead fills; touched only when no read-ahead is in flight
    private CompletableFuture<Integer> pending; // the read-ahead in flight or done, or null
    private long pendingStart; // file position of spare[RESERVE]
    private long bufValidStart; // file position of the first valid byte of buf
    private long readAheadsUsed; // for tests
    private final RecordBatch batch = new RecordBatch();
    private ByteBuffer buf = ByteBuffer.allocate(0); // grown on first use: idle readers cost nothing
    private StorageFile file;
    private long bufStart; // file position of buf[0]
    private long position; // start of the batch returned last (or failing)
    private long next; // where the next batch starts
    private long limit;
    private int readAhead = FIRST_READ; // grows with each refill: sequential scans soon read whole buffers

    BatchScanner(int maxBatchLength) {
        this(maxBatchLength, null);
    }

    /** A scanner that reads ahead on {@code readAheadExecutor} during sequential scans. */
    BatchScanner(int maxBatchLength, Executor readAheadExecutor) {
        this.maxBatchLength = maxBatchLength;
        this.readAheadExecutor = readAheadExecutor;
        buf.limit(0);
    }

    /**
     * Scans {@code file} from {@code position} up to {@code limit} (exclusive). The same file again
     * keeps what is buffered (files only grow while open), so a seek into it may read nothing.
     */
    void reset(StorageFile file, long position, long limit) {
        dropReadAhead();
        if (this.file != file) {
            buf.limit(0);
        }
        this.readAhead = FIRST_READ;
        this.file = file;
        this.next = position;
        this.position = position;
        this.limit = limit;
    }

    /** Waits for a read-ahead in flight (its file may be closed next) and forgets it. */
    void dropReadAhead() {
        if (pending != null) {
            pending.exceptionally(e -> -1).join();
            pending = null;
        }
    }

    /** Extends the scan limit (the file grew). */
    void limit(long limit) {
        this.limit = limit;
    }

    /** Start of the batch {@link #next()} returned last, or where it failed. */
    long position() {
        return position;
    }

    /** Where the following batch starts. */
    long nextPosition() {
        return next;
    }

    /** Bytes left before the limit. */
    long remaining() {
        return limit - next;
    }

    /**
     * The next valid batch, or null at the limit.
     *
     * @throws CorruptRecordException if the bytes at {@link #position()} are not a complete valid batch
     */
    RecordBatch next() throws IOException {
        position = next;
        if (next >= limit) {
            return null;
        }
        if (limit - next < BatchDescriptor.HEADER_LENGTH) {
            throw new CorruptRecordException("incomplete batch header: " + (limit - next) + " bytes before the end");
        }
        int off = ensure(next, BatchDescriptor.HEADER_LENGTH);
        int len = RecordBatch.checkedLength(buf, off, maxBatchLength);
        if (len > limit - next) {
            throw new CorruptRecordException("batch of " + len + " bytes runs past the end (" + (limit - next)
                    + " bytes left)");
        }
        off = ensure(next, len);
        ByteBuffer view = buf; // validate sees the buffer limit as the end of data
        batch.wrap(view, off);
        batch.validate(maxBatchLength);
        next += len;
        return batch;
    }

    /** The buffer and offset of the last returned batch (valid until the next call). */
    ByteBuffer buffer() {
        return buf;
    }

    /** Makes bytes [pos, pos+n) available in the buffer; returns their offset in it. */
    private int ensure(long pos, int n) throws IOException {
        long bufEnd = bufStart + buf.limit();
        if (pos >= bufValidStart && pos + n <= bufEnd) {
            return (int) (pos - bufStart);
        }
        int off = pending != null ? takeReadAhead(pos, n, bufEnd) : -1;
        if (off < 0) {
            off = readInPlace(pos, n);
        }
        startReadAhead();
        return off;
    }

    /** Reads from {@code pos} into the buffer; returns 0 (pos is its first byte). */
    private int readInPlace(long pos, int n) throws IOException {
        if (buf.capacity() < n || buf.capacity() < MIN_BUFFER) {
            buf = ByteBuffer.allocate(Math.max(n, Math.max(MIN_BUFFER, buf.capacity() * 2)));
        }
        buf.clear();
        long want = Math.min(Math.min(buf.capacity(), Math.max(readAhead, n)), limit - pos);
        readAhead = Math.min(buf.capacity(), readAhead * 4);
        buf.limit((int) Math.max(want, n));
        int read = file.read(buf, pos);
        buf.flip();
        bufStart = pos;
        bufValidStart = pos;
        if (read < n) {
            throw new CorruptRecordException("file ends " + read + " bytes after position " + pos + ", needed " + n);
        }
        return 0;
    }

    /**
     * Switches to the read-ahead chunk if it continues the buffer at {@code bufEnd} and, with the
     * tail [pos, bufEnd) copied in front of it, holds [pos, pos+n); returns pos's offset, or -1.
     */
    private int takeReadAhead(long pos, int n, long bufEnd) {
        int got = pending.exceptionally(e -> -1).join(); // a failed read is retried in place, and fails there
        pending = null;
        long tail = bufEnd - pos;
        if (got <= 0 || pendingStart != bufEnd || tail < 0 || tail > RESERVE || pos < bufValidStart
                || pos + n > pendingStart + got) {
            return -1;
        }
        ByteBuffer next = spare;
        next.put(RESERVE - (int) tail, buf, (int) (pos - bufStart), (int) tail);
        next.limit(RESERVE + got);
        spare = buf;
        buf = next;
        bufStart = pendingStart - RESERVE;
        bufValidStart = pos;
        readAheadsUsed++;
        return RESERVE - (int) tail;
    }

    /** How many refills a read-ahead served (tests show the read-ahead path ran). */
    long readAheadsUsed() {
        return readAheadsUsed;
    }

    /** During a sequential scan with enough committed data ahead, starts reading what follows the buffer. */
    private void startReadAhead() {
        long from = bufStart + buf.limit();
        long left = limit - from;
        if (readAheadExecutor == null || readAhead < MIN_BUFFER || left < MIN_READ_AHEAD) {
            return;
        }
        if (spare == null || spare.capacity() < RESERVE + MIN_BUFFER) {
            spare = ByteBuffer.allocate(RESERVE + MIN_BUFFER);
        }
        ByteBuffer into = spare;
        into.clear();
        into.position(RESERVE);
        into.limit((int) Math.min(into.capacity(), RESERVE + left));
        StorageFile f = file;
        CompletableFuture<Integer> done = new CompletableFuture<>();
        try {
            readAheadExecutor.execute(() -> {
                try {
                    int total = 0;
                    int read;
                    while (into.hasRemaining() && (read = f.read(into, from + total)) > 0) {
                        total += read;
                    }
                    done.complete(total);
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            return; // the log is closing: read in place
        }
        pending = done;
        pendingStart = from;
    }
}
