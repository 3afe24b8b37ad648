package io.runnel.connectors.e2e;

import io.runnel.streams.connect.ConnectorException;
import io.runnel.streams.connect.DeliveryGuarantee;
import io.runnel.streams.connect.Sink;
import io.runnel.streams.connect.SinkContext;
import io.runnel.streams.connect.SinkWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A deliberately broken sink for the exactly-once checker: plain INSERTs into a table without a
 * primary key, each committed at once. Replays after a crash insert their rows again, which the
 * checker must see as duplicates.
 */
final class AppendOnlyJdbcSink implements Sink<ExactlyOnceJob.UserTotal> {
    private final String url;

    AppendOnlyJdbcSink(String url) {
        this.url = url;
    }

    @Override
    public String name() {
        return "append-only";
    }

    @Override
    public DeliveryGuarantee guarantee() {
        return DeliveryGuarantee.AT_LEAST_ONCE;
    }

    @Override
    public SinkWriter<ExactlyOnceJob.UserTotal> open(SinkContext context) {
        try {
            java.util.Properties busyWait = new java.util.Properties();
            busyWait.setProperty("busy_timeout", "30000"); // two tasks share the file
            busyWait.setProperty("synchronous", "OFF"); // durability does not matter to this test
            Connection c = DriverManager.getConnection(url, busyWait);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS totals (customer TEXT, window_start BIGINT, amount BIGINT)");
            }
            PreparedStatement insert = c.prepareStatement("INSERT INTO totals VALUES (?, ?, ?)");
            return new SinkWriter<>() {
                @Override
                public void write(ExactlyOnceJob.UserTotal t) {
                    try {
                        insert.setString(1, t.customer());
                        insert.setLong(2, t.windowStart());
                        insert.setLong(3, t.amount());
                        insert.executeUpdate();
                    } catch (SQLException e) {
                        throw new ConnectorException("append-only: " + e, e);
                    }
                }

                @Override
                public byte[] prepareCommit(long checkpointId) {
                    return new byte[0]; // each insert committed on its own (autocommit)
                }

                @Override
                public void commit(long checkpointId, byte[] committable) {
                }

                @Override
                public void close() {
                    try {
                        c.close();
                    } catch (SQLException ignored) {
                        // test sink
                    }
                }
            };
        } catch (SQLException e) {
            throw new ConnectorException("append-only: " + e, e);
        }
    }
}
