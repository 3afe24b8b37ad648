package io.runnel.cli;

import static io.runnel.cli.CliRunner.run;
import static io.runnel.cli.CliRunner.runWithInput;
import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.log.Log;
import io.runnel.log.Producer;
import io.runnel.log.Serdes;
import io.runnel.log.TopicConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands on a log directory another owner holds open for writing. The log's lock is an OS file
 * lock that also refuses a second open in the same JVM (LogLockedException), so an open Log in
 * this test is "another process" to the CLI; BinRunnelIT repeats the follow case across real
 * processes.
 */
class LockedLogTest {
    @TempDir
    Path dir;

    private String logDir() {
        return "--log-dir=" + dir;
    }

    private static void send(Producer<String, String> p, int from, int to) throws Exception {
        List<CompletableFuture<?>> acks = new ArrayList<>();
        for (int i = from; i < to; i++) {
            acks.add(p.send("live", "k" + i, "v" + i));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }

    @Test
    void shouldReadAndFollowALogOwnedByAnotherOpen() throws Exception {
        try (Log owner = Log.open(dir); Producer<String, String> p = owner.producer(Serdes.string(), Serdes.string())) {
            owner.createTopic("live", TopicConfig.partitions(2));
            send(p, 0, 50);

            CliRunner.Result once = run("consume", "live", logDir(), "--from-beginning");
            assertThat(once.exitCode()).as(once.toString()).isZero();
            assertThat(once.err()).contains("is owned by another process: reading it read-only");
            assertThat(once.outLines()).hasSize(50);

            CliRunner.Captured c = new CliRunner.Captured();
            CompletableFuture<Integer> follower = CompletableFuture.supplyAsync(() -> Runnel.execute(c.terminal,
                    "consume", "live", logDir(), "--from-beginning", "--follow", "--max-records", "80"));
            Conditions.await("the follower printed the first 50", () -> c.out().split("\n").length >= 50);
            send(p, 50, 80);
            int code = follower.get(60, TimeUnit.SECONDS);
            assertThat(code).as(c.err()).isZero();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                expected.add("v" + i);
            }
            assertThat(c.out().split("\n")).containsExactlyInAnyOrderElementsOf(expected);

            CliRunner.Result describe = run("topic", "describe", "live", logDir());
            assertThat(describe.exitCode()).isZero();
            assertThat(describe.out()).contains("topic live", "partitions: 2");
            assertThat(run("topic", "list", logDir()).outLines()).containsExactly("live");

            CliRunner.Result produce = runWithInput("x\n", "produce", "live", logDir());
            assertThat(produce.exitCode()).isEqualTo(ExitCode.FAILURE);
            assertThat(produce.err()).contains("produce needs to write to the log in " + dir, "another process owns it");
            CliRunner.Result create = run("topic", "create", "other", logDir());
            assertThat(create.exitCode()).isEqualTo(ExitCode.FAILURE);
        }
    }

    @Test
    void shouldNotKeepAWriterOutWhileFollowing() throws Exception {
        try (Log owner = Log.open(dir)) {
            owner.createTopic("live", TopicConfig.partitions(1));
        }
        CliRunner.Captured c = new CliRunner.Captured();
        // A follower started first reads read-only: a producer started after it can still open the log.
        CompletableFuture<Integer> follower = CompletableFuture.supplyAsync(() -> Runnel.execute(c.terminal,
                "consume", "live", logDir(), "--follow", "--max-records", "3"));
        Conditions.await("the follower is following", () -> c.err().contains("following"));
        CliRunner.Result produced = runWithInput("a\nb\nc\n", "produce", "live", logDir());
        assertThat(produced.exitCode()).as(produced.toString()).isZero();
        assertThat(follower.get(60, TimeUnit.SECONDS)).as(c.err()).isZero();
        assertThat(c.out()).isEqualTo("a\nb\nc\n");
    }
}
