package io.runnel.log;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kill -9 checker of {@link CrashIT}: compares what the child JVMs recorded as acknowledged
 * (lines {@code <partition> <offset> <id>} of the acks file) with what the recovered log holds in
 * topic {@code c}, streaming (millions of records within the test heap). Ids are
 * {@code r<run>-<thread>-<seq>}, values start with {@code <id>|}.
 */
final class CrashChecker {
    private CrashChecker() {
    }

    /**
     * What the recovered log holds against the acknowledgements.
     *
     * @param records      records in the log
     * @param acknowledged acknowledgements recorded
     * @param lost         acknowledged records not at their acknowledged offset (gone, or another record there)
     * @param duplicates   ids stored more than once
     * @param reordered    records of one producer thread not in send order within a partition
     * @param corrupt      records whose value does not belong to their key
     * @param lastCommit   per partition, the highest offset the committing member recorded
     */
    record Result(long records, int acknowledged, int lost, int duplicates, int reordered, int corrupt,
            Map<Integer, Long> lastCommit) {
        boolean sound() {
            return lost == 0 && duplicates == 0 && reordered == 0 && corrupt == 0;
        }
    }

    /** {@code r<run>-<thread>-<seq>} as one long: run and thread in the high 32 bits, seq in the low. */
    static long encode(String id) {
        String[] f = id.split("-");
        long run = Long.parseLong(f[0].substring(1));
        long thread = Long.parseLong(f[1]);
        long seq = Long.parseLong(f[2]);
        return ((run * 16 + thread) << 32) | seq;
    }

    static Result check(Path acks, Log log, int partitions) throws IOException {
        List<long[]> ackList = new ArrayList<>(); // {partition, offset, id}
        Map<Integer, Long> lastCommit = new HashMap<>();
        try (BufferedReader lines = Files.newBufferedReader(acks, StandardCharsets.UTF_8)) {
            for (String l = lines.readLine(); l != null; l = lines.readLine()) {
                String[] f = l.split(" ");
                if (f.length == 3 && f[0].equals("COMMIT")) {
                    lastCommit.merge(Integer.parseInt(f[1]), Long.parseLong(f[2]), Math::max);
                } else if (f.length == 3) {
                    ackList.add(new long[] {Integer.parseInt(f[0]), Long.parseLong(f[1]), encode(f[2])});
                }
            }
        }
        ackList.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
        int lost = 0;
        int reordered = 0;
        int corrupt = 0;
        long total = 0;
        long[] ids = new long[1 << 16];
        int idCount = 0;
        int ai = 0;
        for (int p = 0; p < partitions; p++) {
            TopicPartition tp = new TopicPartition("c", p);
            long end = log.endOffset(tp);
            Map<Long, Long> lastSeq = new HashMap<>();
            try (Consumer<String, String> c = log.consumer(Serdes.string(), Serdes.string(), ConsumerConfig.defaults())) {
                c.assign(List.of(tp));
                c.seekToBeginning(List.of(tp));
                while (c.position(tp) < end) {
                    for (ConsumerRecord<String, String> rec : c.poll(Duration.ofSeconds(10))) {
                        String id = rec.key();
                        if (!rec.value().startsWith(id + "|")) {
                            corrupt++;
                        }
                        long code = encode(id);
                        if (idCount == ids.length) {
                            ids = Arrays.copyOf(ids, ids.length * 2);
                        }
                        ids[idCount++] = code;
                        Long prev = lastSeq.put(code >>> 32, code & 0xFFFFFFFFL);
                        if (prev != null && prev >= (code & 0xFFFFFFFFL)) {
                            reordered++;
                        }
                        while (ai < ackList.size() && ackList.get(ai)[0] == p && ackList.get(ai)[1] < rec.offset()) {
                            lost++; // acknowledged at an offset the log does not have
                            ai++;
                        }
                        while (ai < ackList.size() && ackList.get(ai)[0] == p && ackList.get(ai)[1] == rec.offset()) {
                            if (ackList.get(ai)[2] != code) {
                                lost++; // a different record sits where an acknowledged one was
                            }
                            ai++;
                        }
                    }
                }
            }
            total += end - log.startOffset(tp);
            while (ai < ackList.size() && ackList.get(ai)[0] == p) {
                lost++; // acknowledged beyond the recovered end
                ai++;
            }
        }
        long[] sorted = Arrays.copyOf(ids, idCount);
        Arrays.sort(sorted);
        int duplicates = 0;
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                duplicates++;
            }
        }
        return new Result(total, ackList.size(), lost, duplicates, reordered, corrupt, lastCommit);
    }
}
