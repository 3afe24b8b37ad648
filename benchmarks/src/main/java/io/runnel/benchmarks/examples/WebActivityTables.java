package io.runnel.benchmarks.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.benchmarks.CheckFailedException;
import io.runnel.benchmarks.data.SplitMix;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The four result tables of the web-activity example, summarised for the benchmark's check: per
 * table the number of rows, the sum of its count column and an order-independent fingerprint of
 * every row. {@link #expected} computes them directly from the input events (issue 5's definitions:
 * 1-minute views per url, exact distinct users per hour, sessions split by gaps of more than 30
 * minutes ending 30 minutes after their last event, the 10 most viewed urls per hour with ties by
 * url ascending); {@link #read} reads them from the database the example wrote. Two summaries are
 * equal exactly when the tables hold the same rows (up to a 2^-64 fingerprint collision).
 * Immutable.
 */
public final class WebActivityTables {

    static final long MINUTE_MS = 60_000;
    static final long HOUR_MS = 3_600_000;
    static final long SESSION_GAP_MS = 30 * MINUTE_MS;
    static final int TOP_PAGES = 10;

    /** The columns of each table, in the order the fingerprint reads them; the last one is summed. */
    static final Map<String, List<String>> COLUMNS = columns();

    /** One table's summary. */
    record Digest(long rows, long sum, long fingerprint) {}

    private final Map<String, Digest> digests;

    private WebActivityTables(Map<String, Digest> digests) {
        this.digests = digests;
    }

    private static Map<String, List<String>> columns() {
        Map<String, List<String>> columns = new LinkedHashMap<>();
        columns.put("page_views", List.of("window_start", "window_end", "url", "views"));
        columns.put("unique_visitors", List.of("window_start", "window_end", "visitors"));
        columns.put("sessions", List.of("user", "session_start", "session_end", "page_views"));
        columns.put("top_pages", List.of("window_start", "window_end", "rank", "url", "views"));
        return Collections.unmodifiableMap(columns);
    }

    /** One input event. */
    record Event(long ts, String user, String url) {}

    /** The tables as issue 5 defines them, from the events of a JSON-lines file. */
    public static WebActivityTables expected(Path eventsFile) throws IOException {
        List<Event> events = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader in = Files.newBufferedReader(eventsFile, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode e = json.readTree(line);
                events.add(new Event(e.get("ts").asLong(), e.get("user").asText(), e.get("url").asText()));
            }
        }
        return expected(events);
    }

    /** The tables as issue 5 defines them, from {@code events}. */
    static WebActivityTables expected(List<Event> events) {
        Map<String, List<List<Object>>> rows = expectedRows(events);
        Map<String, Digest> digests = new LinkedHashMap<>();
        rows.forEach((table, tableRows) -> digests.put(table, digest(tableRows)));
        return new WebActivityTables(digests);
    }

    /** The rows of each table, columns as in {@link #COLUMNS}. */
    static Map<String, List<List<Object>>> expectedRows(List<Event> events) {
        Map<List<Object>, Long> viewsPerMinute = new HashMap<>();
        Map<Long, Set<String>> visitorsPerHour = new HashMap<>();
        Map<Long, Map<String, Long>> viewsPerHour = new HashMap<>();
        Map<String, List<Long>> timesPerUser = new HashMap<>();
        for (Event e : events) {
            viewsPerMinute.merge(List.of(Math.floorDiv(e.ts(), MINUTE_MS) * MINUTE_MS, e.url()), 1L, Long::sum);
            long hour = Math.floorDiv(e.ts(), HOUR_MS) * HOUR_MS;
            visitorsPerHour.computeIfAbsent(hour, h -> new HashSet<>()).add(e.user());
            viewsPerHour.computeIfAbsent(hour, h -> new HashMap<>()).merge(e.url(), 1L, Long::sum);
            timesPerUser.computeIfAbsent(e.user(), u -> new ArrayList<>()).add(e.ts());
        }
        Map<String, List<List<Object>>> rows = new LinkedHashMap<>();
        List<List<Object>> pageViews = new ArrayList<>();
        viewsPerMinute.forEach((key, views) -> {
            long start = (Long) key.get(0);
            pageViews.add(List.of(start, start + MINUTE_MS, key.get(1), views));
        });
        rows.put("page_views", pageViews);
        List<List<Object>> visitors = new ArrayList<>();
        visitorsPerHour.forEach((start, users) -> visitors.add(List.of(start, start + HOUR_MS, (long) users.size())));
        rows.put("unique_visitors", visitors);
        List<List<Object>> sessions = new ArrayList<>();
        timesPerUser.forEach((user, times) -> {
            times.sort(null);
            int first = 0;
            for (int i = 1; i <= times.size(); i++) {
                // A new session starts when an event comes more than the gap after the previous one.
                if (i == times.size() || times.get(i) - times.get(i - 1) > SESSION_GAP_MS) {
                    sessions.add(List.of(user, times.get(first), times.get(i - 1) + SESSION_GAP_MS, (long) (i - first)));
                    first = i;
                }
            }
        });
        rows.put("sessions", sessions);
        List<List<Object>> topPages = new ArrayList<>();
        viewsPerHour.forEach((start, views) -> {
            List<Map.Entry<String, Long>> ranked = new ArrayList<>(views.entrySet());
            ranked.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
            for (int rank = 1; rank <= Math.min(TOP_PAGES, ranked.size()); rank++) {
                Map.Entry<String, Long> e = ranked.get(rank - 1);
                topPages.add(List.of(start, start + HOUR_MS, (long) rank, e.getKey(), e.getValue()));
            }
        });
        rows.put("top_pages", topPages);
        return rows;
    }

    /** The tables the example wrote to {@code jdbcUrl}. */
    public static WebActivityTables read(String jdbcUrl) throws SQLException {
        Map<String, Digest> digests = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            for (Map.Entry<String, List<String>> table : COLUMNS.entrySet()) {
                List<String> columns = table.getValue();
                List<List<Object>> rows = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT " + String.join(", ", columns) + " FROM " + table.getKey())) {
                    while (rs.next()) {
                        List<Object> row = new ArrayList<>(columns.size());
                        for (int i = 1; i <= columns.size(); i++) {
                            Object v = rs.getObject(i);
                            row.add(v instanceof Number n ? Long.valueOf(n.longValue()) : v);
                        }
                        rows.add(row);
                    }
                }
                digests.put(table.getKey(), digest(rows));
            }
        }
        return new WebActivityTables(digests);
    }

    static Digest digest(List<List<Object>> rows) {
        long sum = 0;
        long fingerprint = 0;
        for (List<Object> row : rows) {
            long h = 0;
            for (Object v : row) {
                h = SplitMix.combine(h, v instanceof Long l ? l : String.valueOf(v).hashCode());
            }
            fingerprint += SplitMix.mix(h);
            sum += (Long) row.get(row.size() - 1);
        }
        return new Digest(rows.size(), sum, fingerprint);
    }

    /** The summary of {@code table}. */
    Digest digest(String table) {
        return digests.get(table);
    }

    /**
     * Compares with the expected tables.
     *
     * @throws CheckFailedException naming every table that differs, with its rows and sums
     */
    public void verify(WebActivityTables expected) {
        List<String> differences = new ArrayList<>();
        for (String table : COLUMNS.keySet()) {
            Digest got = digests.get(table);
            Digest want = expected.digests.get(table);
            if (!got.equals(want)) {
                differences.add(String.format("%s: %d rows summing to %d, expected %d rows summing to %d%s", table, got.rows(),
                        got.sum(), want.rows(), want.sum(), got.rows() == want.rows() && got.sum() == want.sum()
                                ? " (rows and sums agree, row fingerprints do not)" : ""));
            }
        }
        if (!differences.isEmpty()) {
            throw new CheckFailedException("the example's tables differ from a direct computation over its input: "
                    + String.join("; ", differences));
        }
    }

    @Override
    public String toString() {
        return "WebActivityTables" + digests;
    }
}
