package io.runnel.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill -9 checker ({@link CrashChecker}) can fail: fed a "recovered" log that lacks an
 * acknowledged record, holds one twice or holds two out of order, it reports each.
 */
class CrashCheckerTest {
    @TempDir
    Path dir;

    /** Appends the ids in order to partition 0 of topic c, and writes an ack for each as the child would. */
    CrashChecker.Result check(String name, List<String> appended, List<String> acknowledged) throws Exception {
        Path logDir = dir.resolve(name);
        StringBuilder acks = new StringBuilder();
        try (Log log = Log.open(logDir)) {
            log.createTopic("c", TopicConfig.partitions(1));
            try (Producer<String, String> p = log.producer(Serdes.string(), Serdes.string())) {
                for (String id : appended) {
                    p.send(ProducerRecord.<String, String>of("c", id, id + "|x").withPartition(0)).get();
                }
            }
            for (String id : acknowledged) {
                acks.append("0 ").append(acknowledged.indexOf(id)).append(' ').append(id).append('\n');
            }
            Path ackFile = Files.writeString(dir.resolve(name + ".acks"), acks, StandardCharsets.UTF_8);
            CrashChecker.Result r = CrashChecker.check(ackFile, log, 1);
            System.out.println(name + ": " + r);
            return r;
        }
    }

    static List<String> ids(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("r0-" + (i % 2) + "-" + i / 2);
        }
        return out;
    }

    @Test
    void shouldPassASoundLogAndCatchLostDuplicatedAndReorderedRecords() throws Exception {
        List<String> acked = ids(20);
        assertThat(check("sound", acked, acked).sound()).isTrue();

        List<String> missing = new ArrayList<>(acked);
        missing.remove(7);
        assertThat(check("missing", missing, acked).lost()).isPositive();

        List<String> duplicated = new ArrayList<>(acked);
        duplicated.add(acked.get(4)); // appended again after a restart
        CrashChecker.Result dup = check("duplicated", duplicated, acked);
        assertThat(dup.duplicates()).isEqualTo(1);
        assertThat(dup.lost()).isZero();

        List<String> reordered = new ArrayList<>(acked);
        reordered.set(2, acked.get(4)); // r0-0-1 and r0-0-2 swapped
        reordered.set(4, acked.get(2));
        assertThat(check("reordered", reordered, acked).reordered()).isPositive();
    }
}
