package io.runnel.connectors.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file source resumes after SIGKILLs at its checkpointed position, and the rolling file sink
 * publishes each line exactly once: a child-JVM job copies a JSON lines file (upper-casing each
 * line's text) while the test kills it several times. Sizes: {@code -Drunnel.test.fileLines=}
 * (default 10^5), {@code -Drunnel.test.fileKills=} (default 5), {@code -Dseed=}.
 */
class FileExactlyOnceIT {
    private static final int LINES = Integer.getInteger("runnel.test.fileLines", 100_000);
    private static final int KILLS = Integer.getInteger("runnel.test.fileKills", 5);
    private static final long SEED = Long.getLong("seed", System.nanoTime());

    @TempDir
    Path dir;

    @Test
    void shouldCopyEveryLineExactlyOnceAcrossKills() throws Exception {
        System.out.printf("file exactly-once: seed=%d lines=%d kills=%d (re-run with -Dseed=%d)%n", SEED, LINES, KILLS, SEED);
        Path input = dir.resolve("input.jsonl");
        try (BufferedWriter out = Files.newBufferedWriter(input)) {
            for (int i = 0; i < LINES; i++) {
                out.write("{\"id\":" + i + ",\"text\":\"line number " + i + "\"}\n");
            }
        }
        Path output = dir.resolve("out");
        // about (1.5 * kills + 5) s of work in total: each killed run lives at most 1.5 s
        long microsPerLine = (long) ((1.5 * KILLS + 5) * 1e6 / LINES);
        ChildJob job = new ChildJob(Files.createDirectories(dir.resolve("logs")), "file", input.toString(), dir.resolve("state").toString(),
                output.toString(), Long.toString(microsPerLine));
        long start = System.nanoTime();
        int killed = job.runWithKills(KILLS, Duration.ofMillis(500), Duration.ofMillis(1500), SEED, Duration.ofMinutes(5));
        System.out.printf("file exactly-once: %d kills, finished in %.1f s%n", killed, (System.nanoTime() - start) / 1e9);

        ObjectMapper json = new ObjectMapper();
        Map<Long, Integer> copies = new HashMap<>();
        long visibleFiles;
        try (Stream<Path> files = Files.list(output)) {
            var visible = files.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
            visibleFiles = visible.size();
            for (Path file : visible) {
                for (String line : Files.readAllLines(file)) {
                    ExactlyOnceJob.Line l = json.readValue(line, ExactlyOnceJob.Line.class);
                    assertThat(l.text()).isEqualTo("LINE NUMBER " + l.id());
                    copies.merge(l.id(), 1, Integer::sum);
                }
            }
        }
        assertThat(killed).as("runs killed").isEqualTo(KILLS);
        assertThat(visibleFiles).as("published part files").isPositive();
        assertThat(copies.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)).as("lines published twice").isEmpty();
        assertThat(copies).as("distinct lines published").hasSize(LINES);
    }
}
