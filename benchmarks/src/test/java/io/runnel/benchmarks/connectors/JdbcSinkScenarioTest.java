package io.runnel.benchmarks.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.benchmarks.CheckFailedException;
import io.runnel.benchmarks.connectors.JdbcSinkScenario.UrlCount;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jdbc-sink check: what a correct table holds, and a table that lost or kept a stale row fails it. */
class JdbcSinkScenarioTest {

    @TempDir
    Path dir;

    @Test
    void shouldExpectTheLastValueOfEveryKey() {
        for (long rows : new long[] {1, 2, 5, 999, 2_000, 5_001}) {
            long keys = Math.max(1, rows / 2);
            Map<String, UrlCount> last = new HashMap<>();
            for (long i = 0; i < rows; i++) {
                UrlCount row = JdbcSinkScenario.row(i, keys);
                last.put(row.url() + "@" + row.windowStart(), row);
            }
            assertThat(JdbcSinkScenario.expected(rows)).as("rows=" + rows).isEqualTo(new JdbcSinkScenario.Expected(last.size(),
                    last.values().stream().mapToLong(UrlCount::views).sum(),
                    last.values().stream().mapToLong(UrlCount::windowStart).sum()));
        }
    }

    @Test
    void shouldPassOnTheUpsertedTableAndFailOnAStaleOrMissingRow() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("check.db");
        long rows = 1_000;
        long keys = rows / 2;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (url TEXT, window_start BIGINT, views BIGINT, PRIMARY KEY (url, window_start))");
            c.setAutoCommit(false); // one transaction: a commit per row would make the test slow
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?) ON CONFLICT (url, window_start)"
                    + " DO UPDATE SET views = excluded.views")) {
                for (long i = 0; i < rows; i++) {
                    UrlCount row = JdbcSinkScenario.row(i, keys);
                    upsert.setString(1, row.url());
                    upsert.setLong(2, row.windowStart());
                    upsert.setLong(3, row.views());
                    upsert.executeUpdate();
                }
            }
            c.commit();
            c.setAutoCommit(true);
            assertThatCode(() -> JdbcSinkScenario.verify(url, "t", JdbcSinkScenario.expected(rows))).doesNotThrowAnyException();

            s.execute("UPDATE t SET views = views - " + keys + " WHERE url = '/page/7'"); // a lost update: the older value
            assertThatThrownBy(() -> JdbcSinkScenario.verify(url, "t", JdbcSinkScenario.expected(rows)))
                    .isInstanceOf(CheckFailedException.class).hasMessageContaining("table t holds");

            s.execute("UPDATE t SET views = views + " + keys + " WHERE url = '/page/7'");
            s.execute("DELETE FROM t WHERE url = '/page/9'");
            assertThatThrownBy(() -> JdbcSinkScenario.verify(url, "t", JdbcSinkScenario.expected(rows)))
                    .isInstanceOf(CheckFailedException.class).hasMessageContaining("rows=" + (keys - 1));
        }
    }
}
