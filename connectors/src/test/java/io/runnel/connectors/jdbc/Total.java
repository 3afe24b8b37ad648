package io.runnel.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.streams.connect.RejectedRecordException;
import io.runnel.streams.connect.SinkContext;
import io.runnel.streams.connect.SinkWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A windowed count, the kind of result jobs upsert: keyed by (url, window_start). */
public record Total(String url, long windowStart, long views) {

    static Total of(int i) {
        return new Total("/page/" + (i % 97), 60_000L * (i / 97), i * 3L + 1);
    }

    static JdbcSink.Builder<Total> sinkInto(String url, String table) {
        return JdbcSink.upsert(url, table, Total.class).keys("url", "window_start").createTable();
    }

    /** A sink whose table refuses urls over 10 characters and null views. */
    static JdbcSink<Total> refusingSink(String url) {
        return JdbcSink.<Total>upsert(url, "refused")
                .columns("url VARCHAR(10) NOT NULL, window_start BIGINT NOT NULL, views BIGINT NOT NULL")
                .keys("url", "window_start")
                .row(t -> new Object[] {t.url(), t.windowStart(), t.views() < 0 ? null : t.views()})
                .createTable().batchSize(10).build();
    }

    /**
     * Writes 100 records, 10 of them refused (too long or null): delivered + rejected = input, each
     * rejection names its row, and the table holds exactly the others.
     */
    static void assertRejectionsCounted(String url, JdbcSink<Total> sink, SinkContext context) throws Exception {
        List<Object> rejected = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        List<Total> good = new ArrayList<>();
        try (SinkWriter<Total> writer = sink.open(context)) {
            for (int i = 0; i < 100; i++) {
                Total t = i % 17 == 5 ? new Total("/much-too-long-" + i, i, i) : i % 23 == 11 ? new Total("/n" + i, i, -1) : new Total("/p" + i, i, i);
                if (t.url().length() <= 10 && t.views() >= 0) {
                    good.add(t);
                }
                try {
                    writer.write(t);
                } catch (RejectedRecordException e) {
                    rejected.addAll(e.records());
                    messages.add(e.getMessage());
                }
            }
            try {
                writer.prepareCommit(1);
            } catch (RejectedRecordException e) {
                rejected.addAll(e.records());
                messages.add(e.getMessage());
                writer.prepareCommit(1);
            }
        }
        assertThat(good.size() + rejected.size()).as("delivered + rejected = input").isEqualTo(100);
        assertThat(rejected).hasSize(10);
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("row (url='/much-too-long-5'"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("views=null"));
        assertThat(readAll(url, "refused")).containsExactlyInAnyOrderElementsOf(good);
    }

    static List<Total> readAll(String url, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT url, window_start, views FROM " + table)) {
            List<Total> totals = new ArrayList<>();
            while (rs.next()) {
                totals.add(new Total(rs.getString(1), rs.getLong(2), rs.getLong(3)));
            }
            return totals;
        }
    }
}
