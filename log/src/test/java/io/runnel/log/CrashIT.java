package io.runnel.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.log.testing.PartitionContents;
import io.runnel.log.testing.TestSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 during produce (RELIABILITY.md): a child JVM appends from 3 threads under FSYNC and OS,
 * recording every acknowledged (partition, offset, id) outside the log directory; the parent
 * kills it with SIGKILL ({@code destroyForcibly}) at random moments, 20+ times, restarting it on the
 * same directory. Pass: 0 acknowledged records lost, 0 duplicates, 0 reordered per producer thread,
 * 0 CRC errors, each restart continues at the recovered end offset.
 */
class CrashIT {
    @TempDir
    Path tmp;

    @Test
    void shouldLoseNothingAcknowledgedAcrossKills() throws Exception {
        long seed = TestSettings.seed("kill -9");
        Random r = new Random(seed);
        int kills = TestSettings.count("runnel.test.kills", 20);
        Path dir = tmp.resolve("log");
        Path acks = tmp.resolve("acks.txt");
        Files.createFile(acks);
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        long[] lastEnds = null;
        for (int k = 0; k < kills; k++) {
            String durability = k % 2 == 0 ? "fsync" : "os";
            Process child = new ProcessBuilder("java", "-Xmx256m", "-cp", cp, CrashChild.class.getName(), dir.toString(),
                    acks.toString(), durability, "r" + k, "3").redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try {
                    String l;
                    while ((l = out.readLine()) != null) {
                        lines.add(l);
                    }
                } catch (java.io.IOException e) {
                    // child gone
                }
                lines.add("EOF");
            });
            reader.start();
            String line;
            long[] ends = null;
            while (true) {
                line = lines.poll(120, TimeUnit.SECONDS); // generous: recovery plus a JVM start on a busy machine
                if (line == null || line.equals("READY") || line.equals("EOF")) {
                    break;
                }
                if (line.startsWith("ENDS")) {
                    String[] f = line.split(" ");
                    ends = new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                        Long.parseLong(f[4])};
                } else if (line.contains("Exception") || line.contains("ERROR")) {
                    System.out.println("child: " + line);
                }
            }
            if (!"READY".equals(line)) {
                child.destroyForcibly();
            }
            assertThat(line).as("child %d started (recovery succeeded)", k).isEqualTo("READY");
            if (lastEnds != null) {
                for (int p = 0; p < 4; p++) {
                    // Recovered ends never drop below the previous run's; the retained topic's start only moves forward.
                    assertThat(ends[p]).isGreaterThanOrEqualTo(lastEnds[p]);
                }
            }
            lastEnds = ends;
            Thread.sleep(200 + r.nextInt(1300)); // a random moment to kill at (not a wait for a condition)
            child.destroyForcibly(); // SIGKILL on Linux
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(10_000);
        }
        // Verify everything.
        Map<Integer, Map<Long, String>> acked = new HashMap<>();
        Map<Integer, Long> lastCommit = new HashMap<>();
        int ackCount = 0;
        for (String l : Files.readAllLines(acks, StandardCharsets.UTF_8)) {
            String[] f = l.split(" ");
            if (f.length == 3 && f[0].equals("COMMIT")) {
                lastCommit.merge(Integer.parseInt(f[1]), Long.parseLong(f[2]), Math::max);
                continue;
            }
            if (f.length != 3) {
                continue; // a line cut by the kill
            }
            acked.computeIfAbsent(Integer.parseInt(f[0]), x -> new HashMap<>()).put(Long.parseLong(f[1]), f[2]);
            ackCount++;
        }
        int lost = 0;
        int dup = 0;
        int reordered = 0;
        long total = 0;
        try (Log log = Log.open(dir)) {
            Set<String> seen = new HashSet<>();
            for (int p = 0; p < 3; p++) {
                TopicPartition tp = new TopicPartition("c", p);
                List<ConsumerRecord<String, String>> got = PartitionContents.readAll(log, tp);
                total += got.size();
                Map<String, Long> lastSeq = new HashMap<>();
                List<String> ids = new ArrayList<>();
                for (ConsumerRecord<String, String> rec : got) {
                    String id = rec.key();
                    assertThat(rec.value()).startsWith(id + "|");
                    ids.add(id);
                    if (!seen.add(id)) {
                        dup++;
                    }
                    String producerThread = id.substring(0, id.lastIndexOf('-'));
                    long seq = Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
                    Long prev = lastSeq.put(producerThread, seq);
                    if (prev != null && prev >= seq) {
                        reordered++;
                    }
                }
                for (Map.Entry<Long, String> a : acked.getOrDefault(p, Map.of()).entrySet()) {
                    long off = a.getKey();
                    if (off >= ids.size() || !ids.get((int) off).equals(a.getValue())) {
                        lost++;
                    }
                }
                long committed = log.groups().describe("cg").partitions().get(tp).committed().orElse(-1);
                assertThat(committed).as("committed offset of %s never goes backwards", tp)
                        .isGreaterThanOrEqualTo(lastCommit.getOrDefault(p, -1L)).isLessThanOrEqualTo(log.endOffset(tp));
                try (Producer<String, String> prod = log.producer(Serdes.string(), Serdes.string())) {
                    long end = log.endOffset(tp);
                    assertThat(prod.send(ProducerRecord.<String, String>of("c", "final", "final").withPartition(p)).get()
                            .offset()).isEqualTo(end);
                }
            }
        }
        try (Log log = Log.open(dir)) { // the retained topic: contiguous from its start
            TopicPartition rt = new TopicPartition("r", 0);
            List<ConsumerRecord<String, String>> got = PartitionContents.readAll(log, rt);
            for (int i = 0; i < got.size(); i++) {
                assertThat(got.get(i).offset()).isEqualTo(log.startOffset(rt) + i);
            }
        }
        System.out.println("kill -9: " + kills + " kills, " + total + " records in the log, " + ackCount
                + " acknowledged and recorded, lost=" + lost + " duplicates=" + dup + " reordered=" + reordered);
        assertThat(ackCount).isPositive();
        assertThat(lost).isZero();
        assertThat(dup).isZero();
        assertThat(reordered).isZero();
    }
}
