package io.runnel.cli;

import io.runnel.log.Compression;
import io.runnel.log.CorruptRecordException;
import io.runnel.log.format.BatchDescriptor;
import io.runnel.log.format.RecordBatch;
import io.runnel.log.format.RecordCursor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Walks segment files batch by batch through the log's format classes ({@link RecordBatch} to
 * check length, CRC32C and header, {@link RecordCursor} to walk records), printing each batch (and
 * record) and collecting the {@link Damage} it finds. Reads the files only; never changes them.
 * Not thread-safe.
 *
 * <p>After a batch whose length is plausible but whose content is bad (CRC mismatch, bad header)
 * the walk resumes at the next batch, so one flipped byte is reported as one damaged batch. A bad
 * length or a batch running past the end of the file ends the walk of that file: the rest cannot
 * be framed (at the end of the last segment that is the torn tail recovery cuts).
 */
final class SegmentDump {
    /**
     * One damaged place.
     *
     * @param file     the segment file
     * @param position byte position in the file
     * @param offset   the offset a batch there should start at, or -1 if unknown
     * @param what     what is wrong
     */
    record Damage(Path file, long position, long offset, String what) {
        @Override
        public String toString() {
            return file + " position " + position + (offset >= 0 ? " (offset " + offset + ")" : "") + ": " + what;
        }
    }

    private static final int PREVIEW_CHARS = 60;

    private final int maxBatchLength;
    private final boolean printRecords;
    private final PrintStream out;
    private final RecordBatch batch = new RecordBatch();
    private final RecordCursor cursor = new RecordCursor();
    private final ByteBuffer header = ByteBuffer.allocate(BatchDescriptor.HEADER_LENGTH);
    private final List<Damage> damage = new ArrayList<>();
    private ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    private long files;
    private long batches;
    private long records;
    private long bytes;
    private long firstOffset = -1;
    private long nextOffset = -1;

    SegmentDump(int maxBatchLength, boolean printRecords, PrintStream out) {
        this.maxBatchLength = maxBatchLength;
        this.printRecords = printRecords;
        this.out = out;
    }

    /**
     * Walks one segment file.
     *
     * @param nameBaseOffset the base offset its name gives, or -1 if the name has none
     * @param previousEnd    the offset the previous segment of the partition ended before, or -1
     * @return the offset after the file's last batch, or -1 if damage left it unknown
     */
    long dump(Path file, long nameBaseOffset, long previousEnd) throws IOException {
        files++;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            bytes += size;
            out.println("segment " + file + " (" + size + " bytes" + (nameBaseOffset >= 0 ? ", base offset "
                    + nameBaseOffset : "") + ")");
            if (nameBaseOffset >= 0 && previousEnd >= 0 && nameBaseOffset != previousEnd) {
                damaged(file, 0, previousEnd, "the segment is named for base offset " + nameBaseOffset
                        + " but the previous segment ends before offset " + previousEnd
                        + " (offsets missing or repeated between segments)");
            }
            long expected = nameBaseOffset >= 0 ? nameBaseOffset : previousEnd;
            long pos = 0;
            while (pos < size) {
                long left = size - pos;
                if (left < BatchDescriptor.HEADER_LENGTH) {
                    damaged(file, pos, expected, "incomplete batch header: " + left + " bytes before the end of"
                            + " the file (a torn tail: recovery cuts it)");
                    expected = -1;
                    break;
                }
                header.clear();
                readFully(ch, header, pos);
                int len;
                try {
                    len = RecordBatch.checkedLength(header, 0, maxBatchLength);
                } catch (CorruptRecordException e) {
                    damaged(file, pos, expected, e.getMessage() + "; the remaining " + left
                            + " bytes of the file cannot be framed");
                    expected = -1;
                    break;
                }
                if (len > left) {
                    damaged(file, pos, expected, "batch of " + len + " bytes runs past the end of the file ("
                            + left + " bytes left): a torn tail, or a damaged length");
                    expected = -1;
                    break;
                }
                expected = batchAt(file, ch, pos, len, expected);
                pos += len;
            }
            return expected;
        }
    }

    /** Reads, checks and prints the batch at {@code pos}; returns the offset the next batch must start at (-1 unknown). */
    private long batchAt(Path file, FileChannel ch, long pos, int len, long expected) throws IOException {
        if (buf.capacity() < len) {
            buf = ByteBuffer.allocate(Math.max(len, buf.capacity() * 2));
        }
        buf.clear().limit(len);
        readFully(ch, buf, pos);
        batch.wrap(buf, 0);
        try {
            batch.validate(maxBatchLength);
        } catch (CorruptRecordException e) {
            out.println("batch position " + pos + " size " + len + " DAMAGED: " + e.getMessage());
            damaged(file, pos, expected, e.getMessage());
            return -1;
        }
        batches++;
        long base = batch.baseOffset();
        if (expected >= 0 && base != expected) {
            damaged(file, pos, expected, "batch starts at offset " + base + " but the previous batch ended before "
                    + expected + " (offsets must be continuous)");
        }
        if (firstOffset < 0) {
            firstOffset = base;
        }
        out.println(String.format(Locale.ROOT, "batch offsets %d-%d position %d size %d records %d first-timestamp %s"
                + " max-timestamp %s append-time %s compression %s producer-id %d base-sequence %d crc %08x ok",
                base, batch.lastOffset(), pos, len, batch.recordCount(), time(batch.firstTimestamp()),
                time(batch.maxTimestamp()), time(batch.appendTime()), compression(batch.compressionId()),
                batch.producerId(), batch.baseSequence(), batch.storedCrc()));
        int walked = 0;
        try {
            batch.records(cursor, maxBatchLength);
            while (cursor.next()) {
                walked++;
                if (printRecords) {
                    printRecord();
                }
            }
            if (walked != batch.recordCount()) {
                damaged(file, pos, base, "batch says " + batch.recordCount() + " records, holds " + walked);
            }
        } catch (CorruptRecordException e) {
            // The CRC matched, so these bytes were written like this: a writer bug, not a disk fault.
            damaged(file, pos, base, "record " + (walked + 1) + " of the batch is malformed although the CRC"
                    + " matches: " + e.getMessage());
        }
        records += walked;
        nextOffset = batch.nextOffset();
        return nextOffset;
    }

    private void printRecord() {
        StringBuilder b = new StringBuilder("  record offset ").append(cursor.offset())
                .append(" timestamp ").append(time(cursor.timestamp()))
                .append(" key-size ").append(cursor.keyLength())
                .append(" value-size ").append(cursor.valueLength())
                .append(" headers ").append(cursor.headerCount())
                .append(" key ").append(preview(cursor.keyCopy()))
                .append(" value ").append(preview(cursor.valueCopy()));
        out.println(b);
    }

    private void damaged(Path file, long pos, long offset, String what) {
        Damage d = new Damage(file, pos, offset, what);
        damage.add(d);
        out.println("DAMAGE " + d);
    }

    /** The damage found so far, in file order. */
    List<Damage> damage() {
        return damage;
    }

    /** Prints the totals and every damaged place. */
    void printSummary() {
        StringBuilder b = new StringBuilder("summary: ").append(files).append(files == 1 ? " file, " : " files, ")
                .append(batches).append(" valid batches, ").append(records).append(" records, ");
        if (firstOffset >= 0) {
            b.append("offsets ").append(firstOffset).append(" to ").append(nextOffset - 1).append(", ");
        }
        b.append(bytes).append(" bytes; ");
        if (damage.isEmpty()) {
            out.println(b.append("no damage found"));
            return;
        }
        out.println(b.append(damage.size()).append(damage.size() == 1 ? " damaged place:" : " damaged places:"));
        for (Damage d : damage) {
            out.println("  " + d);
        }
    }

    private static String time(long ms) {
        try {
            return Instant.ofEpochMilli(ms).toString();
        } catch (RuntimeException e) {
            return Long.toString(ms);
        }
    }

    private static String compression(int id) {
        for (Compression c : Compression.values()) {
            if (c.id() == id) {
                return OptionConverters.name(c);
            }
        }
        return "unknown(" + id + ")";
    }

    private static String preview(byte[] bytes) {
        if (bytes == null) {
            return "null";
        }
        String text = JsonText.utf8OrNull(bytes);
        if (text == null) {
            StringBuilder hex = new StringBuilder("0x");
            for (int i = 0; i < Math.min(bytes.length, PREVIEW_CHARS / 2); i++) {
                hex.append(String.format("%02x", bytes[i]));
            }
            return bytes.length > PREVIEW_CHARS / 2 ? hex.append("...").toString() : hex.toString();
        }
        return text.length() > PREVIEW_CHARS ? JsonText.quote(text.substring(0, PREVIEW_CHARS)) + "..."
                : JsonText.quote(text);
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long pos) throws IOException {
        long p = pos;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, p);
            if (n < 0) {
                throw new IOException("file ended at " + p + " while reading " + dst.remaining() + " more bytes");
            }
            p += n;
        }
        dst.flip();
    }
}
