package io.runnel.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.streams.connect.SinkContext;
import io.runnel.streams.connect.SinkWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A row whose table and columns are reserved words in SQL ({@code group}, {@code user},
 * {@code order}): web-activity's {@code sessions(user, ...)} is such a table.
 */
public record Visit(String user, long order, long views) {

    /**
     * The sink creates and upserts a table {@code group (user, order, views)} at {@code url}, and
     * writes into a table its user created without quotes, found under the same names.
     */
    static void assertReservedWordsWork(String url, SinkContext context) throws Exception {
        JdbcSink<Visit> sink = JdbcSink.upsert(url, "group", Visit.class).keys("user", "order").createTable().build();
        try (SinkWriter<Visit> writer = sink.open(context)) {
            writer.write(new Visit("u1", 1, 10));
            writer.write(new Visit("u2", 1, 20));
            writer.commit(1, writer.prepareCommit(1));
            writer.write(new Visit("u1", 1, 11));
            writer.commit(2, writer.prepareCommit(2));
        }
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            UnaryOperator<String> quote = Dialect.quoting(c.getMetaData());
            try (ResultSet rs = s.executeQuery("SELECT " + quote.apply("user") + ", " + quote.apply("order") + ", views FROM "
                    + quote.apply("group") + " ORDER BY 1")) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + "," + rs.getLong(2) + "," + rs.getLong(3));
                }
            }
            s.execute("CREATE TABLE made_by_hand (url VARCHAR(100) NOT NULL, window_start BIGINT NOT NULL, views BIGINT,"
                    + " PRIMARY KEY (url, window_start))");
        }
        assertThat(rows).containsExactly("u1,1,11", "u2,1,20");

        JdbcSink<Total> existing = JdbcSink.upsert(url, "made_by_hand", Total.class).keys("url", "window_start").build();
        try (SinkWriter<Total> writer = existing.open(context)) {
            writer.write(new Total("/a", 0, 5));
            writer.commit(1, writer.prepareCommit(1));
        }
        assertThat(Total.readAll(url, "made_by_hand")).containsExactly(new Total("/a", 0, 5));
    }
}
