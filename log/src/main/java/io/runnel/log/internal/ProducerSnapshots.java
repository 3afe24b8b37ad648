package io.runnel.log.internal;

import io.runnel.log.format.LogFiles;
import io.runnel.log.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;

/**
 * The producer-state snapshot files of one partition, {@code <asOf>.snapshot}: the
 * {@link ProducerStateTable} as of an offset (every batch below it applied), written when a
 * segment rolls and at a clean close, so recovery replays only the batches after the newest valid
 * one instead of every segment.
 *
 * <p>Snapshots are derived data, like indexes: written through a temp file and a rename but not
 * forced. A torn or damaged snapshot fails its CRC; one whose offset lies beyond the recovered end
 * describes data a power cut lost; both are deleted and the next older one is used, down to a
 * replay of every retained segment. So a snapshot can cost a longer open, never a forgotten or an
 * invented sequence. The newest {@link #KEEP} are kept. Used by the journal thread, or by the
 * loader before the partition is shared; not thread-safe.
 */
final class ProducerSnapshots {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProducerSnapshots.class);

    /** Snapshots kept: the fallbacks if the newest is damaged. */
    static final int KEEP = 3;

    private final Storage storage;
    private final Path dir;
    private final TreeSet<Long> offsets = new TreeSet<>();

    ProducerSnapshots(Storage storage, Path dir) {
        this.storage = storage;
        this.dir = dir;
    }

    /**
     * Loads into {@code table} the newest valid snapshot at or below {@code endOffset}; deletes
     * the ones above it (the data they describe is gone) and damaged ones on the way.
     *
     * @return its as-of offset, or -1 if there is none (the table is then empty)
     */
    long loadNewest(ProducerStateTable table, long endOffset) throws IOException {
        offsets.clear();
        for (Path f : storage.list(dir)) {
            long asOf = LogFiles.parseBaseOffset(f, LogFiles.SNAPSHOT_SUFFIX);
            if (asOf >= 0) {
                offsets.add(asOf);
            }
        }
        boolean deleted = false;
        long found = -1;
        for (Long asOf : offsets.descendingSet()) {
            Path f = LogFiles.snapshotFile(dir, asOf);
            if (asOf > endOffset) {
                LOG.info("{}: deleting producer snapshot beyond the log end {} (its data was not durable)", f, endOffset);
            } else {
                Map<String, String> m = AtomicFile.read(storage, f);
                if (m != null && table.restore(m) == asOf) {
                    found = asOf;
                    break;
                }
                LOG.warn("{} is damaged; falling back to an older producer snapshot or a replay of the log", f);
            }
            storage.delete(f);
            deleted = true;
        }
        offsets.tailSet(found, false).clear();
        if (deleted) {
            // Durably gone before anything is appended at those offsets again: a snapshot that came
            // back after a later power cut would describe other data.
            storage.forceDirectory(dir);
        }
        return found;
    }

    /** Writes the table as of {@code asOfOffset} and deletes snapshots beyond the newest {@link #KEEP}. */
    void write(ProducerStateTable table, long asOfOffset) throws IOException {
        AtomicFile.writeUnforced(storage, LogFiles.snapshotFile(dir, asOfOffset), table.toSnapshot(asOfOffset));
        offsets.add(asOfOffset);
        while (offsets.size() > KEEP) {
            storage.delete(LogFiles.snapshotFile(dir, offsets.pollFirst()));
        }
    }

    /** Whether a snapshot as of {@code asOfOffset} exists. */
    boolean has(long asOfOffset) {
        return offsets.contains(asOfOffset);
    }
}
