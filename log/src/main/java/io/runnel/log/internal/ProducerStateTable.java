package io.runnel.log.internal;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last sequence each idempotent producer appended to one partition, with the offset and
 * timestamp of that record, for duplicate detection. Rebuilt at recovery from a snapshot plus the
 * batches after it. Guarded by its partition's journal (single writer); snapshots are taken on
 * the journal thread.
 */
final class ProducerStateTable {
    /** Last appended (sequence, offset, timestamp) of one producer. */
    record Entry(long lastSequence, long lastOffset, long lastTimestamp) {
    }

    private final Map<Long, Entry> entries = new HashMap<>();

    Entry get(long producerId) {
        return entries.get(producerId);
    }

    void update(long producerId, long lastSequence, long lastOffset, long lastTimestamp) {
        Entry e = entries.get(producerId);
        if (e == null || lastSequence > e.lastSequence) {
            entries.put(producerId, new Entry(lastSequence, lastOffset, lastTimestamp));
        }
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    void clear() {
        entries.clear();
    }

    Map<String, String> snapshot(long asOfOffset) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("asOf", Long.toString(asOfOffset));
        for (Map.Entry<Long, Entry> e : entries.entrySet()) {
            Entry v = e.getValue();
            m.put("p" + e.getKey(), v.lastSequence + "," + v.lastOffset + "," + v.lastTimestamp);
        }
        return m;
    }

    /** Loads a snapshot; returns its as-of offset, or -1 if it is unusable. */
    long restore(Map<String, String> m) {
        entries.clear();
        try {
            long asOf = Long.parseLong(m.get("asOf"));
            for (Map.Entry<String, String> e : m.entrySet()) {
                if (e.getKey().startsWith("p")) {
                    String[] f = e.getValue().split(",");
                    entries.put(Long.parseLong(e.getKey().substring(1)),
                            new Entry(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2])));
                }
            }
            return asOf;
        } catch (RuntimeException e) {
            entries.clear();
            return -1;
        }
    }
}
