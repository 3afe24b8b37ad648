package io.runnel.log.internal;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last batch each idempotent producer appended to one partition, for duplicate detection.
 *
 * <p>The table is a function of the partition's retained batches: for every producer id, its
 * last batch at or above the partition's start offset. A producer whose last batch was deleted by
 * retention is forgotten ({@link #lookup} and {@link #expireBelow}), exactly as a scan of the
 * retained segments would forget it; so a snapshot plus the batches after it, or a scan of every
 * segment, rebuild the same table. Guarded by its partition's journal (single writer); snapshots
 * are taken and loaded on the journal thread or before the partition is shared.
 */
final class ProducerStateTable {
    /**
     * The last batch of one producer: sequences {@code [baseSequence, lastSequence]} at offsets
     * from {@code baseOffset} (sequence {@code baseSequence + i} has offset {@code baseOffset + i}).
     */
    record Entry(long baseSequence, long lastSequence, long baseOffset) {
        long lastOffset() {
            return baseOffset + (lastSequence - baseSequence);
        }

        /** The offset of {@code sequence} if this batch holds it, else -1 (an older batch: not tracked). */
        long offsetOf(long sequence) {
            return sequence >= baseSequence && sequence <= lastSequence ? baseOffset + (sequence - baseSequence) : -1;
        }
    }

    private final Map<Long, Entry> entries = new HashMap<>();

    /** The producer's last batch, or null if it has none at or above {@code startOffset}. */
    Entry lookup(long producerId, long startOffset) {
        Entry e = entries.get(producerId);
        if (e != null && e.lastOffset() < startOffset) {
            entries.remove(producerId); // its last batch was deleted by retention: forgotten
            return null;
        }
        return e;
    }

    /**
     * Records a batch of {@code producerId} covering offsets {@code [baseOffset, baseOffset +
     * lastOffsetDelta]} with sequences from {@code baseSequence}; the later batch in the log is the
     * producer's state. {@code lastOffsetDelta} rather than the record count, so a batch that
     * compaction thinned out still says which sequences it held.
     */
    void onBatch(long producerId, long baseSequence, int lastOffsetDelta, long baseOffset) {
        entries.put(producerId, new Entry(baseSequence, baseSequence + lastOffsetDelta, baseOffset));
    }

    /** Forgets producers whose last batch lies below {@code startOffset} (deleted by retention). */
    void expireBelow(long startOffset) {
        entries.values().removeIf(e -> e.lastOffset() < startOffset);
    }

    int size() {
        return entries.size();
    }

    /** The table as snapshot entries ({@code asOf} first), see docs/FORMAT.md. */
    Map<String, String> toSnapshot(long asOfOffset) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("asOf", Long.toString(asOfOffset));
        for (Map.Entry<Long, Entry> e : entries.entrySet()) {
            Entry v = e.getValue();
            m.put("p" + e.getKey(), v.baseSequence + "," + v.lastSequence + "," + v.baseOffset);
        }
        return m;
    }

    /**
     * Replaces the table with a snapshot's entries; returns its as-of offset, or -1 (and an empty
     * table) if it does not parse.
     */
    long restore(Map<String, String> m) {
        entries.clear();
        try {
            long asOf = Long.parseLong(m.get("asOf"));
            for (Map.Entry<String, String> e : m.entrySet()) {
                if (e.getKey().startsWith("p")) {
                    String[] f = e.getValue().split(",", -1);
                    if (f.length != 3) {
                        throw new IllegalArgumentException("implausible entry " + e);
                    }
                    long id = Long.parseLong(e.getKey().substring(1));
                    Entry v = new Entry(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]));
                    if (id < 0 || v.lastSequence < v.baseSequence || v.lastOffset() >= asOf) {
                        throw new IllegalArgumentException("implausible entry " + e);
                    }
                    entries.put(id, v);
                }
            }
            if (asOf < 0) {
                throw new IllegalArgumentException("asOf " + asOf);
            }
            return asOf;
        } catch (RuntimeException e) {
            entries.clear();
            return -1;
        }
    }
}
