package io.runnel.log.testing;

import io.runnel.log.storage.FaultInjectingStorage;
import io.runnel.log.storage.FaultInjectingStorage.Event;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The "ack only after force" oracle (RELIABILITY.md) over a {@link FaultInjectingStorage}'s event
 * order: every {@code ACK} event (an acknowledgement, or a record a consumer read, recorded with
 * {@link FaultInjectingStorage#recordAck} and a note ending in the partition number) must come
 * after a completed force of its batch's bytes and, for a segment file created while recording,
 * of its directory entry.
 */
public final class ForceCoverage {
    private ForceCoverage() {
    }

    /** How many events were checked and how many of them were not covered by a completed force. */
    public record Result(int checked, int uncovered) {
    }

    /**
     * Checks the recorded ACK events whose note starts with {@code notePrefix} ("" for all) against
     * the final segment files of {@code topicDir}'s partitions.
     */
    public static Result check(FaultInjectingStorage disk, Path topicDir, int partitions, String notePrefix)
            throws IOException {
        // Where each offset lives, from the final files.
        Map<Integer, TreeMap<Long, SegmentScan.BatchLocation>> where = new HashMap<>();
        for (int part = 0; part < partitions; part++) {
            TreeMap<Long, SegmentScan.BatchLocation> m = new TreeMap<>();
            for (Path seg : SegmentScan.segments(disk, topicDir.resolve(Integer.toString(part)))) {
                for (SegmentScan.BatchLocation b : SegmentScan.batches(disk, seg)) {
                    m.put(b.baseOffset(), b);
                }
            }
            where.put(part, m);
        }
        Map<Path, Long> forcedUpTo = new HashMap<>();
        Set<Path> created = new HashSet<>();
        Set<Path> entryDurable = new HashSet<>();
        int bad = 0;
        int checked = 0;
        for (Event e : disk.events()) {
            switch (e.kind()) {
                case CREATE -> created.add(e.path());
                case FORCE -> forcedUpTo.put(e.path(), e.a());
                case DIR_FORCE -> {
                    for (Path c : created) {
                        if (e.path().equals(c.getParent())) {
                            entryDurable.add(c);
                        }
                    }
                }
                case ACK -> {
                    if (!e.note().startsWith(notePrefix)) {
                        continue;
                    }
                    checked++;
                    int part = Integer.parseInt(e.note().substring(e.note().lastIndexOf(' ') + 1));
                    SegmentScan.BatchLocation b = where.get(part).floorEntry(e.a()).getValue();
                    long forced = forcedUpTo.getOrDefault(b.file(), -1L);
                    boolean entryOk = !created.contains(b.file()) || entryDurable.contains(b.file());
                    if (forced < b.position() + b.length() || !entryOk) {
                        bad++;
                    }
                }
                default -> {
                }
            }
        }
        return new Result(checked, bad);
    }
}
