package io.runnel.benchmarks.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.benchmarks.CheckFailedException;
import io.runnel.benchmarks.examples.WebActivityTables.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web-activity check: the tables computed by hand, and a database that differs in one row fails it. */
class WebActivityTablesTest {

    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z, on an hour boundary
    private static final long MIN = WebActivityTables.MINUTE_MS;

    @TempDir
    Path dir;

    @Test
    void shouldSplitSessionsOnlyAfterMoreThanTheGap() {
        List<Event> events = List.of(
                new Event(T0, "a", "/x"),
                new Event(T0 + 30 * MIN, "a", "/x"), // exactly the gap later: same session
                new Event(T0 + 60 * MIN + 1, "a", "/x"), // more than the gap: a new one
                new Event(T0 + 5, "b", "/y"));

        assertThat(WebActivityTables.expectedRows(events).get("sessions")).containsExactlyInAnyOrder(
                List.of("a", T0, T0 + 60 * MIN, 2L),
                List.of("a", T0 + 60 * MIN + 1, T0 + 90 * MIN + 1, 1L),
                List.of("b", T0 + 5, T0 + 30 * MIN + 5, 1L));
    }

    @Test
    void shouldRankTopPagesByViewsThenUrlAndCountVisitorsPerHour() {
        List<Event> events = new ArrayList<>();
        for (int url = 0; url < 12; url++) {
            for (int v = 0; v <= url / 2; v++) { // /p10 and /p11 have 6 views each, /p8 and /p9 5, ...
                events.add(new Event(T0 + url * MIN + v, "u" + v, "/p" + url));
            }
        }
        events.add(new Event(T0 + 61 * MIN, "u9", "/p0")); // the next hour

        Map<String, List<List<Object>>> rows = WebActivityTables.expectedRows(events);

        List<List<Object>> top = rows.get("top_pages").stream().filter(r -> r.get(0).equals(T0))
                .sorted((a, b) -> Long.compare((Long) a.get(2), (Long) b.get(2))).toList();
        assertThat(top).hasSize(10);
        assertThat(top.subList(0, 3)).containsExactly(
                List.of(T0, T0 + 3_600_000L, 1L, "/p10", 6L),
                List.of(T0, T0 + 3_600_000L, 2L, "/p11", 6L),
                List.of(T0, T0 + 3_600_000L, 3L, "/p8", 5L));
        assertThat(rows.get("unique_visitors")).containsExactlyInAnyOrder(
                List.of(T0, T0 + 3_600_000L, 6L), List.of(T0 + 3_600_000L, T0 + 7_200_000L, 1L));
        assertThat(rows.get("page_views")).contains(List.of(T0 + MIN, T0 + 2 * MIN, "/p1", 1L));
    }

    @Test
    void shouldPassOnTheExpectedTablesAndFailWhenOneRowDiffers() throws Exception {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            events.add(new Event(T0 + i * 7_919L % 10_800_000L, "user-" + (i % 97), "/page/" + (i % 13)));
        }
        Path file = dir.resolve("events.jsonl");
        Files.write(file, events.stream().map(e -> "{\"ts\":" + e.ts() + ",\"user\":\"" + e.user() + "\",\"url\":\"" + e.url()
                + "\",\"referrer\":\"\",\"userAgent\":\"t\"}").toList());
        String url = "jdbc:sqlite:" + dir.resolve("tables.db");
        writeTables(url, WebActivityTables.expectedRows(events));
        WebActivityTables expected = WebActivityTables.expected(file);

        assertThatCode(() -> WebActivityTables.read(url).verify(expected)).doesNotThrowAnyException();

        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            // A session that lost its last event: same rows and (after the compensating change) same sum.
            s.execute("UPDATE sessions SET session_end = session_end - 1 WHERE rowid = 1");
            assertThatThrownBy(() -> WebActivityTables.read(url).verify(expected)).isInstanceOf(CheckFailedException.class)
                    .hasMessageContaining("sessions:").hasMessageContaining("row fingerprints do not")
                    .hasMessageNotContaining("page_views:");
            s.execute("UPDATE sessions SET session_end = session_end + 1 WHERE rowid = 1");
            s.execute("DELETE FROM top_pages WHERE rowid = 3");
            assertThatThrownBy(() -> WebActivityTables.read(url).verify(expected)).hasMessageContaining("top_pages:");
        }
    }

    private static void writeTables(String url, Map<String, List<List<Object>>> rows) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            c.setAutoCommit(false); // one transaction: a commit per row would make the test slow
            for (Map.Entry<String, List<String>> table : WebActivityTables.COLUMNS.entrySet()) {
                List<String> columns = table.getValue();
                s.execute("CREATE TABLE " + table.getKey() + " (" + String.join(", ", columns) + ")");
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table.getKey() + " VALUES ("
                        + String.join(", ", columns.stream().map(col -> "?").toList()) + ")")) {
                    for (List<Object> row : rows.get(table.getKey())) {
                        for (int i = 0; i < row.size(); i++) {
                            insert.setObject(i + 1, row.get(i));
                        }
                        insert.executeUpdate();
                    }
                }
            }
            c.commit();
        }
    }
}
