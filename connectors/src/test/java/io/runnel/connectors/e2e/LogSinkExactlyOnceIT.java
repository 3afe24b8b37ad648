package io.runnel.connectors.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.connectors.log.LogConnectorsTest;
import io.runnel.log.Log;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log sink is exactly-once across SIGKILLs: a child-JVM job appends generated ids to a topic
 * while the test kills it; afterwards the topic holds every id exactly once (downstream readers of
 * the topic see no duplicate from replays). Sizes: {@code -Drunnel.test.logEvents=} (default
 * 10^5), {@code -Drunnel.test.logKills=} (default 5), {@code -Dseed=}.
 */
class LogSinkExactlyOnceIT {
    private static final long EVENTS = Long.getLong("runnel.test.logEvents", 100_000);
    private static final int KILLS = Integer.getInteger("runnel.test.logKills", 5);
    private static final long SEED = Long.getLong("seed", System.nanoTime());

    @TempDir
    Path dir;

    @Test
    void shouldAppendEveryRecordExactlyOnceAcrossKills() throws Exception {
        System.out.printf("log sink exactly-once: seed=%d events=%d kills=%d (re-run with -Dseed=%d)%n", SEED, EVENTS, KILLS, SEED);
        Map<String, Integer> copies = run("log", EVENTS, KILLS, Duration.ofMillis(400), Duration.ofMillis(1200));
        assertThat(copies.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).limit(10)).as("ids appended twice").isEmpty();
        assertThat(copies).as("distinct ids in the topic").hasSize((int) EVENTS);
    }

    /** The checker is able to fail: a sink that appends on write duplicates the replayed records. */
    @Test
    void checkerShouldFindDuplicatesOfASinkThatAppendsOnWrite() throws Exception {
        // killed late enough that each run has appended records after its last checkpoint
        Map<String, Integer> copies = run("log-broken-append", 20_000, 2, Duration.ofMillis(1800), Duration.ofMillis(2200));
        assertThat(copies.values().stream().filter(n -> n > 1)).as("ids appended twice by the broken sink").isNotEmpty();
    }

    private Map<String, Integer> run(String mode, long events, int kills, Duration minDelay, Duration maxDelay) throws Exception {
        Path logDir = dir.resolve(mode);
        double rate = events / (maxDelay.toMillis() / 1000.0 * kills + 5);
        ChildJob job = new ChildJob(Files.createDirectories(dir.resolve(mode + "-logs")), mode, logDir.toString(),
                dir.resolve(mode + "-state").toString(), Long.toString(events), Double.toString(rate));
        int killed = job.runWithKills(kills, minDelay, maxDelay, SEED, Duration.ofMinutes(5));
        assertThat(killed).as("runs killed").isEqualTo(kills);
        List<String> ids;
        try (Log log = Log.open(logDir)) {
            ids = LogConnectorsTest.readTopic(log, "ids");
        }
        Map<String, Integer> copies = new HashMap<>();
        ids.forEach(id -> copies.merge(id, 1, Integer::sum));
        return copies;
    }
}
