package io.runnel.cli;

import io.runnel.log.Compression;
import io.runnel.log.format.RecordBatch;
import io.runnel.log.format.RecordCursor;
import io.runnel.log.format.SegmentWalker;
import io.runnel.log.format.SegmentWalker.Damage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints segment files batch by batch (and record by record) as the log's
 * {@link SegmentWalker} walks and checks them, collecting the damage it reports. Reads the files
 * only; never changes them. Not thread-safe.
 *
 * <p>A damaged batch whose length is plausible is reported and the walk goes on at the next one,
 * so one flipped byte is one damaged batch; bytes that cannot be framed end the walk of that file
 * (at the end of the last segment that is the torn tail recovery cuts).
 */
final class SegmentDump {
    private static final int PREVIEW_CHARS = 60;

    private final int maxBatchLength;
    private final boolean printRecords;
    private final PrintStream out;
    private final RecordCursor cursor = new RecordCursor();
    private final List<Damage> damage = new ArrayList<>();
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
        try (SegmentWalker w = SegmentWalker.open(file, maxBatchLength)) {
            bytes += w.fileSize();
            out.println("segment " + file + " (" + w.fileSize() + " bytes" + (nameBaseOffset >= 0 ? ", base offset "
                    + nameBaseOffset : "") + ")");
            if (nameBaseOffset >= 0 && previousEnd >= 0 && nameBaseOffset != previousEnd) {
                damaged(new Damage(file, 0, previousEnd, SegmentWalker.DamageKind.OFFSET_GAP, "the segment is named"
                        + " for base offset " + nameBaseOffset + " but the previous segment ends before offset "
                        + previousEnd + " (offsets missing or repeated between segments)"));
            }
            while (w.next()) {
                if (w.isReadable()) {
                    printBatch(w);
                } else if (w.damage().kind() != SegmentWalker.DamageKind.UNFRAMED) {
                    out.println("batch position " + w.position() + " size " + w.length() + " DAMAGED: "
                            + w.damage().what());
                }
                if (w.damage() != null) {
                    damaged(w.damage());
                }
            }
            return w.expectedOffset();
        }
    }

    private void printBatch(SegmentWalker w) {
        RecordBatch batch = w.batch();
        batches++;
        long base = batch.baseOffset();
        if (firstOffset < 0) {
            firstOffset = base;
        }
        out.println(String.format(Locale.ROOT, "batch offsets %d-%d position %d size %d records %d first-timestamp %s"
                + " max-timestamp %s append-time %s compression %s producer-id %d base-sequence %d crc %08x ok",
                base, batch.lastOffset(), w.position(), w.length(), batch.recordCount(), time(batch.firstTimestamp()),
                time(batch.maxTimestamp()), time(batch.appendTime()), compression(batch.compressionId()),
                batch.producerId(), batch.baseSequence(), batch.storedCrc()));
        boolean malformed = w.damage() != null && w.damage().kind() == SegmentWalker.DamageKind.MALFORMED_RECORDS;
        if (!malformed) {
            records += batch.recordCount();
            if (printRecords) {
                batch.records(cursor, maxBatchLength);
                while (cursor.next()) {
                    printRecord();
                }
            }
        }
        nextOffset = batch.nextOffset();
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

    private void damaged(Damage d) {
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
}
