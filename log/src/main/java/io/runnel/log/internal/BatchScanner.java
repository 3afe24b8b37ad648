package io.runnel.log.internal;

import io.runnel.log.CorruptRecordException;
import io.runnel.log.format.BatchDescriptor;
import io.runnel.log.format.RecordBatch;
import io.runnel.log.storage.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads a segment's batches in order through a reusable buffer, validating each (length, CRC,
 * header). Used by recovery, index rebuilds, read-only tailing, compaction and reads. Not
 * thread-safe.
 *
 * <p>The buffer is direct: a read into a heap buffer goes through a temporary direct buffer of
 * the JDK's and is copied a second time (about 7% of a consumer's time at 100-byte records),
 * while batches are checked and records parsed in place wherever they lie. It is freed by the
 * garbage collector, never explicitly, so a buffer a consumer handed out as a record view can
 * never point at freed memory.
 */
final class BatchScanner {
    private static final int MIN_BUFFER = 256 * 1024;
    /** The first read after a {@link #reset}: small, so a seek that needs one batch reads about that much. */
    private static final int FIRST_READ = 16 * 1024;
    private final int maxBatchLength;
    private final RecordBatch batch = new RecordBatch();
    private ByteBuffer buf = ByteBuffer.allocateDirect(0); // grown on first use: idle readers cost nothing
    private StorageFile file;
    private long bufStart; // file position of buf[0]
    private long position; // start of the batch returned last (or failing)
    private long next; // where the next batch starts
    private long limit;
    private int readAhead = FIRST_READ; // grows with each refill: sequential scans soon read whole buffers

    BatchScanner(int maxBatchLength) {
        this.maxBatchLength = maxBatchLength;
        buf.limit(0);
    }

    /**
     * Scans {@code file} from {@code position} up to {@code limit} (exclusive). The same file again
     * keeps what is buffered (files only grow while open), so a seek into it may read nothing.
     */
    void reset(StorageFile file, long position, long limit) {
        if (this.file != file) {
            buf.limit(0);
        }
        this.readAhead = FIRST_READ;
        this.file = file;
        this.next = position;
        this.position = position;
        this.limit = limit;
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
        batch.wrap(buf, off); // validate sees the buffer's limit as the end of the data
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
        if (pos >= bufStart && pos + n <= bufEnd) {
            return (int) (pos - bufStart);
        }
        if (buf.capacity() < n || buf.capacity() < MIN_BUFFER) {
            buf = ByteBuffer.allocateDirect(Math.max(n, Math.max(MIN_BUFFER, buf.capacity() * 2)));
        }
        buf.clear();
        long want = Math.min(Math.min(buf.capacity(), Math.max(readAhead, n)), limit - pos);
        readAhead = Math.min(buf.capacity(), readAhead * 4);
        buf.limit((int) Math.max(want, n));
        int read = file.read(buf, pos);
        buf.flip();
        bufStart = pos;
        if (read < n) {
            throw new CorruptRecordException("file ends " + read + " bytes after position " + pos + ", needed " + n);
        }
        return 0;
    }
}
