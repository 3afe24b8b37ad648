package io.runnel.connectors.jdbc;

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
