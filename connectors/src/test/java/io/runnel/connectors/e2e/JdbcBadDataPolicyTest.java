package io.runnel.connectors.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.connectors.generator.GeneratorSource;
import io.runnel.connectors.jdbc.JdbcSink;
import io.runnel.streams.BadDataPolicy;
import io.runnel.streams.CollectingSink;
import io.runnel.streams.DeadLetter;
import io.runnel.streams.JobConfig;
import io.runnel.streams.JobFailedException;
import io.runnel.streams.StreamJob;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows the database refuses, through a real job: with the FAIL policy the job stops naming the
 * source split and position of the refused record; with DEAD_LETTER, rows written + records
 * dead-lettered = input, whether the refusal is found when the record is written (batch size 1) or
 * later, when its batch is flushed by a later record or at a checkpoint (batch size 100).
 */
class JdbcBadDataPolicyTest {
    private static final int EVENTS = 1_000;

    /** An order; every 97th has a code too long for its VARCHAR(8) column. */
    public record Order(long id, String code) {
    }

    @TempDir
    Path dir;

    private StreamJob job(String url, BadDataPolicy policy, CollectingSink<DeadLetter> deadLetters, int batchSize) {
        StreamJob job = StreamJob.named("orders", JobConfig.defaults().withStateDir(dir.resolve("state-" + policy)).withBadDataPolicy(policy));
        job.source(GeneratorSource.of("orders", 1, (split, seq, random) -> new Order(seq, seq % 97 == 50 ? "much-too-long-" + seq : "c" + seq))
                        .withLimit(EVENTS))
                .to(JdbcSink.<Order>upsert(url, "orders").columns("id BIGINT NOT NULL, code VARCHAR(8) NOT NULL").keys("id")
                        .row(o -> new Object[] {o.id(), o.code()}).createTable().batchSize(batchSize).build());
        if (deadLetters != null) {
            job.deadLetters().to(deadLetters);
        }
        return job;
    }

    @Test
    void failPolicyShouldStopNamingTheSourcePosition() {
        String url = "jdbc:sqlite:" + dir.resolve("fail.db");
        assertThatThrownBy(() -> job(url, BadDataPolicy.FAIL, null, 1).run())
                .isInstanceOf(JobFailedException.class)
                .hasMessageContaining("source 'orders' split '0'")
                .hasMessageContaining("event 50")
                .hasMessageContaining("much-too-long-50");
    }

    @Test
    void deadLetterPolicyShouldAccountForEveryRecord() throws Exception {
        assertDeadLettered(1);
    }

    @Test
    void deadLetterPolicyShouldAccountForEveryRecordOfBatches() throws Exception {
        assertDeadLettered(100);
    }

    private void assertDeadLettered(int batchSize) throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("dl-" + batchSize + ".db");
        CollectingSink<DeadLetter> deadLetters = CollectingSink.named("dead-letters");
        job(url, BadDataPolicy.DEAD_LETTER, deadLetters, batchSize).run();
        long rows;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM orders")) {
            rs.next();
            rows = rs.getLong(1);
        }
        assertThat(deadLetters.records()).hasSize(10).allSatisfy(d -> {
            assertThat(((Order) d.record()).code()).startsWith("much-too-long-");
            assertThat(d.reason()).contains("refused");
            assertThat(d.position()).contains("split '0'");
        });
        assertThat(rows + deadLetters.records().size()).as("written + dead-lettered = input").isEqualTo(EVENTS);
    }
}
