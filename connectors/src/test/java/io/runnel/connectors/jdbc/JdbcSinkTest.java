package io.runnel.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.connectors.InvalidConfigException;
import io.runnel.streams.connect.ConnectorException;
import io.runnel.streams.connect.RejectedRecordException;
import io.runnel.streams.connect.SinkContext;
import io.runnel.streams.connect.SinkWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDBC sink against real SQLite files and H2 databases. */
class JdbcSinkTest {

    @TempDir
    Path dir;

    private SinkContext context() {
        return new SinkContext("job", "totals", 0, 1, dir.resolve("state"));
    }

    @Nested
    class SqliteContract extends JdbcSinkContract {
        @Override
        String url(Path d) {
            return "jdbc:sqlite:" + d.resolve("results.db");
        }
    }

    @Nested
    class H2Contract extends JdbcSinkContract {
        @Override
        String url(Path d) {
            return "jdbc:h2:" + d.resolve("results").toAbsolutePath();
        }
    }

    @Test
    void shouldUpsertLastValuePerKey() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("u.db");
        JdbcSink<Total> sink = Total.sinkInto(url, "totals").batchSize(7).build();
        try (SinkWriter<Total> writer = sink.open(context())) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 50; i++) {
                    writer.write(new Total("/p/" + (i % 20), 0, round * 100L + i)); // 20 keys, each written ~7 times
                }
                writer.prepareCommit(round + 1);
            }
        }
        List<Total> rows = Total.readAll(url, "totals");
        assertThat(rows).hasSize(20);
        for (Total t : rows) {
            int key = Integer.parseInt(t.url().substring(3));
            int last = key + 40 < 50 ? key + 40 : key + 20;
            assertThat(t.views()).as("last value written for %s", t.url()).isEqualTo(200L + last);
        }
    }

    @Test
    void shouldBlockWithBoundedBufferWhileSqliteIsLockedAndResume() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("locked.db");
        JdbcSink<Total> sink = Total.sinkInto(url, "totals").batchSize(50)
                .retry(Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofMinutes(2)).build();
        int total = 2_000;
        AtomicInteger accepted = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (SinkWriter<Total> writer = sink.open(context()); Connection locker = DriverManager.getConnection(url)) {
            writer.write(Total.of(0));
            writer.prepareCommit(1);
            accepted.set(1);
            try (Statement s = locker.createStatement()) {
                s.execute("BEGIN EXCLUSIVE"); // another process holds the write lock
            }
            Thread feeder = startFeeder(writer, 1, total, accepted, failure);
            JdbcSinkWriter<Total> jdbcWriter = (JdbcSinkWriter<Total>) writer;
            waitUntil(() -> feeder.getState() == Thread.State.TIMED_WAITING && accepted.get() >= 49, Duration.ofSeconds(20));
            for (int i = 0; i < 5; i++) { // while locked, the writer holds at most one batch and accepts no more
                assertThat(jdbcWriter.bufferedRows()).as("rows held while the database is locked").isLessThanOrEqualTo(50);
                assertThat(accepted.get()).as("records accepted while locked").isLessThan(1 + 50);
                Thread.sleep(100); // sample a few times while it is blocked
            }
            try (Statement s = locker.createStatement()) {
                s.execute("ROLLBACK");
            }
            feeder.join(60_000);
            assertThat(jdbcWriter.totalRetries()).as("retries while locked").isPositive();
            assertThat(failure.get()).isNull();
            assertThat(accepted.get()).isEqualTo(total);
        }
        assertThat(Total.readAll(url, "totals")).containsExactlyInAnyOrderElementsOf(expectedUpserts(total));
    }

    static List<Total> expectedUpserts(int count) {
        java.util.Map<List<Object>, Total> last = new java.util.LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            Total t = Total.of(i);
            last.put(List.of(t.url(), t.windowStart()), t);
        }
        return new ArrayList<>(last.values());
    }

    @Test
    void shouldRejectRowsTheDatabaseRefusesAndWriteTheRest() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("r.db");
        Total.assertRejectionsCounted(url, Total.refusingSink(url), context());
    }

    @Test
    void shouldRejectRowsInH2Too() throws Exception {
        String url = "jdbc:h2:" + dir.resolve("r").toAbsolutePath();
        Total.assertRejectionsCounted(url, Total.refusingSink(url), context());
    }

    @Test
    void shouldAcceptReservedWordsAsTableAndColumnNamesInSqlite() throws Exception {
        Visit.assertReservedWordsWork("jdbc:sqlite:" + dir.resolve("reserved.db"), context());
    }

    @Test
    void shouldAcceptReservedWordsAsTableAndColumnNamesInH2() throws Exception {
        Visit.assertReservedWordsWork("jdbc:h2:" + dir.resolve("reserved").toAbsolutePath(), context());
    }

    @Test
    void shouldExplainBadConfiguration() throws Exception {
        assertThatThrownBy(() -> Total.sinkInto("jdbc:mysql://x/db", "t").build()).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("url='jdbc:mysql://x/db'").hasMessageContaining("jdbc:sqlite:");
        assertThatThrownBy(() -> Total.sinkInto("jdbc:sqlite:x.db", "bad table").build()).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("table='bad table'");
        assertThatThrownBy(() -> JdbcSink.upsert("jdbc:sqlite:x.db", "t", Total.class).build()).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("keys=");
        assertThatThrownBy(() -> JdbcSink.upsert("jdbc:sqlite:x.db", "t", Total.class).keys("nope").build())
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("keys='nope'");
        assertThatThrownBy(() -> Total.sinkInto("jdbc:sqlite:x.db", "t").batchSize(0).build())
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("batchSize=0");
        assertThatThrownBy(() -> JdbcSink.<Total>upsert("jdbc:sqlite:x.db", "t").columns("a FLOAT8").keys("a").row(t -> null).build())
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("a FLOAT8");

        String url = "jdbc:sqlite:" + dir.resolve("m.db");
        JdbcSink<Total> noCreate = JdbcSink.upsert(url, "missing", Total.class).keys("url", "window_start").build();
        assertThatThrownBy(() -> noCreate.open(context())).isInstanceOf(ConnectorException.class)
                .hasMessageContaining("table missing").hasMessageContaining("does not exist").hasMessageContaining("createTable()");
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE nokey (url TEXT, window_start BIGINT, views BIGINT)");
        }
        JdbcSink<Total> noKey = JdbcSink.upsert(url, "nokey", Total.class).keys("url", "window_start").build();
        assertThatThrownBy(() -> noKey.open(context())).isInstanceOf(ConnectorException.class).hasMessageContaining("no primary key");

        JdbcSink<Total> badDir = Total.sinkInto("jdbc:sqlite:" + dir.resolve("no/such/dir/x.db"), "t").connectTimeout(Duration.ofMillis(200)).build();
        assertThatThrownBy(() -> badDir.open(context())).isInstanceOf(ConnectorException.class).hasMessageContaining("cannot connect");
    }

    /**
     * Starts a thread that writes {@code Total.of(from)} up to {@code to} (exclusive), counting each
     * accepted record, then prepares checkpoint 2; a failure is kept in {@code failure}.
     */
    static Thread startFeeder(SinkWriter<Total> writer, int from, int to, AtomicInteger accepted, AtomicReference<Throwable> failure) {
        Thread feeder = new Thread(() -> {
            try {
                for (int i = from; i < to; i++) {
                    writer.write(Total.of(i));
                    accepted.incrementAndGet();
                }
                writer.prepareCommit(2);
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "feeder");
        feeder.start();
        return feeder;
    }

    static void waitUntil(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(10);
        }
    }
}
