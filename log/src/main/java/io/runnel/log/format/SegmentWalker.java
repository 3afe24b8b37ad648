package io.runnel.log.format;

import static io.runnel.log.format.BatchDescriptor.HEADER_LENGTH;

import io.runnel.log.CorruptRecordException;
import io.runnel.log.LogConfig;
import io.runnel.log.storage.FileStorage;
import io.runnel.log.storage.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Walks the batches of one segment file in order and checks each as recovery does: the length in
 * bounds, the CRC32C, the header, every record, and offsets continuing from the previous batch
 * (from the base offset in the file's name for the first). For tools such as {@code runnel dump}:
 * it reads the file only, and never stops at a damaged batch whose length is plausible (one
 * flipped byte is one damaged batch); bytes that cannot be framed end the walk. On a live log the
 * walk covers the file as long as it was when opened; a batch being written there shows as a
 * torn tail. Not thread-safe.
 *
 * <pre>{@code
 * try (SegmentWalker w = SegmentWalker.open(file, LogConfig.defaults().maxBatchLength())) {
 *     while (w.next()) {
 *         if (w.isReadable()) {
 *             RecordBatch b = w.batch(); // validated header; b.records(cursor, max) walks its records
 *         }
 *         if (w.damage() != null) {
 *             System.out.println(w.damage());
 *         }
 *     }
 * }
 * }</pre>
 */
public final class SegmentWalker implements AutoCloseable {

    /** What kind of damage a place has. */
    public enum DamageKind {
        /** The length is plausible but the batch fails its CRC32C or header checks; the walk goes on after it. */
        CORRUPT_BATCH,
        /** A sound batch whose base offset does not continue from the batch before (a stale batch, a gap). */
        OFFSET_GAP,
        /** A batch whose CRC matches but whose records do not parse: written like this (a writer bug, not a disk fault). */
        MALFORMED_RECORDS,
        /**
         * The bytes from here to the end cannot be framed (incomplete header, length out of bounds, a
         * batch running past the end): at the end of a log's last segment, the torn tail recovery
         * cuts. Ends the walk.
         */
        UNFRAMED
    }

    /**
     * One damaged place.
     *
     * @param file           the segment file
     * @param position       byte position in the file
     * @param expectedOffset the offset a batch there should start at, or -1 if unknown
     * @param kind           what kind of damage
     * @param what           what is wrong, in words
     */
    public record Damage(Path file, long position, long expectedOffset, DamageKind kind, String what) {
        @Override
        public String toString() {
            return file + " position " + position + (expectedOffset >= 0 ? " (offset " + expectedOffset + ")" : "")
                    + ": " + what;
        }
    }

    private final StorageFile file;
    private final boolean ownsFile;
    private final Path path;
    private final int maxBatchLength;
    private final long size;
    private final RecordBatch batch = new RecordBatch();
    private final RecordCursor cursor = new RecordCursor();
    private ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    private long position;
    private long nextPosition;
    private int length;
    private long expectedOffset;
    private boolean readable;
    private boolean done;
    private Damage damage;
    private Damage firstDamage;

    private SegmentWalker(StorageFile file, boolean ownsFile, Path path, long baseOffset, int maxBatchLength)
            throws IOException {
        if (maxBatchLength < HEADER_LENGTH) {
            throw new IllegalArgumentException("maxBatchLength must be >= " + HEADER_LENGTH + ", was " + maxBatchLength
                    + " (use LogConfig.maxBatchLength() of the log's settings)");
        }
        this.file = file;
        this.ownsFile = ownsFile;
        this.path = path;
        this.maxBatchLength = maxBatchLength;
        this.expectedOffset = baseOffset;
        this.size = file.size();
    }

    /**
     * Opens a segment file on the real disk. Its first batch must start at the base offset in its
     * name ({@code <20 digits>.log}); with another name, the first batch sets it.
     *
     * @param maxBatchLength the longest plausible batch, {@link LogConfig#maxBatchLength()} of the
     *                       settings the log was written with
     */
    public static SegmentWalker open(Path file, int maxBatchLength) throws IOException {
        Objects.requireNonNull(file, "file");
        StorageFile f = FileStorage.INSTANCE.openRead(file);
        try {
            return new SegmentWalker(f, true, file, LogFiles.parseBaseOffset(file, LogFiles.LOG_SUFFIX),
                    maxBatchLength);
        } catch (IOException | RuntimeException e) {
            f.close();
            throw e;
        }
    }

    /**
     * Walks an already open file (the caller keeps it and closes it).
     *
     * @param name       the file's name, for {@link Damage#file()}
     * @param baseOffset the offset the first batch must start at, or -1 to take the first batch's
     */
    public static SegmentWalker over(StorageFile file, Path name, long baseOffset, int maxBatchLength)
            throws IOException {
        return new SegmentWalker(Objects.requireNonNull(file, "file"), false, name, baseOffset, maxBatchLength);
    }

    /**
     * Moves to the next place: a batch (sound or damaged) or the unframeable rest of the file.
     *
     * @return false at the end of the file, or after an {@link DamageKind#UNFRAMED} place
     */
    public boolean next() throws IOException {
        if (done) {
            return false;
        }
        position = nextPosition;
        damage = null;
        readable = false;
        length = 0;
        long left = size - position;
        if (left <= 0) {
            done = true;
            return false;
        }
        if (left < HEADER_LENGTH) {
            return unframed(left, "incomplete batch header: " + left + " bytes before the end of the file (a torn"
                    + " tail: recovery cuts it)");
        }
        if (!read(HEADER_LENGTH)) {
            return unframed(left, "the file shrank while it was read");
        }
        int len;
        try {
            len = RecordBatch.checkedLength(buf, 0, maxBatchLength);
        } catch (CorruptRecordException e) {
            return unframed(left, e.getMessage() + "; the remaining " + left + " bytes of the file cannot be framed");
        }
        if (len > left) {
            return unframed(left, "batch of " + len + " bytes runs past the end of the file (" + left + " bytes left):"
                    + " a torn tail, or a damaged length");
        }
        if (!read(len)) {
            return unframed(left, "the file shrank while it was read");
        }
        length = len;
        nextPosition = position + len;
        batch.wrap(buf, 0);
        try {
            batch.validate(maxBatchLength);
        } catch (CorruptRecordException e) {
            damaged(DamageKind.CORRUPT_BATCH, expectedOffset, e.getMessage());
            expectedOffset = -1; // its header cannot be trusted: the next sound batch sets it again
            return true;
        }
        readable = true;
        long base = batch.baseOffset();
        if (expectedOffset >= 0 && base != expectedOffset) {
            damaged(DamageKind.OFFSET_GAP, expectedOffset, "batch starts at offset " + base + " but the previous"
                    + " batch ended before " + expectedOffset + " (offsets must be continuous)");
        }
        int walked = 0;
        try {
            batch.records(cursor, maxBatchLength);
            while (cursor.next()) {
                walked++;
            }
        } catch (CorruptRecordException e) {
            damaged(DamageKind.MALFORMED_RECORDS, base, "record " + (walked + 1) + " of the batch is malformed although"
                    + " the CRC matches: " + e.getMessage());
        }
        expectedOffset = batch.nextOffset();
        return true;
    }

    private boolean unframed(long left, String what) {
        length = (int) Math.min(Integer.MAX_VALUE, left);
        damaged(DamageKind.UNFRAMED, expectedOffset, what);
        expectedOffset = -1;
        done = true;
        return true;
    }

    private void damaged(DamageKind kind, long offset, String what) {
        if (damage == null) {
            damage = new Damage(path, position, offset, kind, what);
        }
        if (firstDamage == null) {
            firstDamage = damage;
        }
    }

    /** Reads {@code n} bytes at the position into the buffer; false if the file ended first. */
    private boolean read(int n) throws IOException {
        if (buf.capacity() < n) {
            buf = ByteBuffer.allocate(Math.max(n, buf.capacity() * 2));
        }
        buf.clear().limit(n);
        int got = file.read(buf, position);
        buf.flip();
        return got == n;
    }

    /** The file being walked. */
    public Path file() {
        return path;
    }

    /** The file's size when the walk began; the walk ends there. */
    public long fileSize() {
        return size;
    }

    /** Byte position of the current place. */
    public long position() {
        return position;
    }

    /** Bytes of the current place: the batch length, or what is left of the file for an unframed place. */
    public int length() {
        return length;
    }

    /**
     * Whether the current place is a batch that passed its CRC32C and header checks: {@link #batch()}
     * may be read (even with an {@link DamageKind#OFFSET_GAP} or {@link DamageKind#MALFORMED_RECORDS}).
     */
    public boolean isReadable() {
        return readable;
    }

    /**
     * The current batch (a flyweight valid until the next {@link #next()}); its header is
     * validated when {@link #isReadable()}, and its records may be walked with
     * {@link RecordBatch#records(RecordCursor, int)} unless the damage is {@link DamageKind#MALFORMED_RECORDS}.
     *
     * @throws IllegalStateException if the current place is not a readable batch
     */
    public RecordBatch batch() {
        if (!readable) {
            throw new IllegalStateException("no readable batch at position " + position + " of " + path
                    + (damage != null ? ": " + damage.what() : " (call next() first)"));
        }
        return batch;
    }

    /** The damage at the current place, or null if it is a sound batch. */
    public Damage damage() {
        return damage;
    }

    /** The first damage of the walk so far, or null. */
    public Damage firstDamage() {
        return firstDamage;
    }

    /** The offset the next batch must start at (after the last sound batch), or -1 if damage left it unknown. */
    public long expectedOffset() {
        return expectedOffset;
    }

    /** The longest plausible batch this walk accepts. */
    public int maxBatchLength() {
        return maxBatchLength;
    }

    @Override
    public void close() throws IOException {
        if (ownsFile) {
            file.close();
        }
    }
}
