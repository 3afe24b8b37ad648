package io.runnel.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.log.testing.PartitionContents;
import io.runnel.log.testing.TestSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
            assertThat(Log.isOwned(dir)).as("the child owns the log").isTrue();
            Thread.sleep(200 + r.nextInt(1300)); // a random moment to kill at (not a wait for a condition)
            child.destroyForcibly(); // SIGKILL on Linux
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Log.isOwned(dir)).as("the kernel released the killed child's lock").isFalse();
            reader.join(10_000);
        }
        // Verify everything against the acknowledgements; then committed offsets and appends continuing.
        CrashChecker.Result result;
        try (Log log = Log.open(dir)) {
            result = CrashChecker.check(acks, log, 3);
            for (int p = 0; p < 3; p++) {
                TopicPartition tp = new TopicPartition("c", p);
                long end = log.endOffset(tp);
                long committed = log.groups().describe("cg").partitions().get(tp).committed().orElse(-1);
                assertThat(committed).as("committed offset of %s never goes backwards", tp)
                        .isGreaterThanOrEqualTo(result.lastCommit().getOrDefault(p, -1L)).isLessThanOrEqualTo(end);
                try (Producer<String, String> prod = log.producer(Serdes.string(), Serdes.string())) {
                    assertThat(prod.send(ProducerRecord.<String, String>of("c", "final", "final").withPartition(p)).get()
                            .offset()).isEqualTo(end);
                }
            }
        }
        int idempotentWrong = 0;
        int idempotentCount;
        try (Log log = Log.open(dir)) { // the retained topic: contiguous from its start
            TopicPartition rt = new TopicPartition("r", 0);
            List<ConsumerRecord<String, String>> got = PartitionContents.readAll(log, rt);
            for (int i = 0; i < got.size(); i++) {
                assertThat(got.get(i).offset()).isEqualTo(log.startOffset(rt) + i);
            }
            // The idempotent topic: every run re-sent from sequence 0, so it holds exactly 0, 1, 2, ... once each.
            List<ConsumerRecord<String, String>> idem = PartitionContents.readAll(log, new TopicPartition("i", 0));
            idempotentCount = idem.size();
            for (int i = 0; i < idem.size(); i++) {
                if (!idem.get(i).value().equals(Integer.toString(i))) {
                    idempotentWrong++;
                }
            }
        }
        System.out.println("kill -9: idempotent topic holds " + idempotentCount + " records, " + idempotentWrong
                + " not at the offset of their sequence (duplicated or lost)");
        assertThat(idempotentCount).isPositive();
        assertThat(idempotentWrong).isZero();
        System.out.println("kill -9: " + kills + " kills, " + result);
        assertThat(result.acknowledged()).isPositive();
        assertThat(result.lost()).as("lost").isZero();
        assertThat(result.duplicates()).as("duplicates").isZero();
        assertThat(result.reordered()).as("reordered").isZero();
        assertThat(result.corrupt()).as("corrupt").isZero();
    }
}
