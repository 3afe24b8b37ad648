package io.runnel.connectors.jdbc;

import io.runnel.connectors.TimeSource;
import io.runnel.streams.connect.ConnectorException;
import io.runnel.streams.connect.RejectedRecordException;
import io.runnel.streams.connect.SinkContext;
import io.runnel.streams.connect.SinkWriter;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task's JDBC writer: buffers up to a batch of rows, upserts and commits each batch in one
 * transaction, retries with backoff while the database is unavailable, isolates rejected rows.
 * Not thread-safe.
 */
final class JdbcSinkWriter<T> implements SinkWriter<T> {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSinkWriter.class);
    private static final byte[] NOTHING = new byte[0];
    private static final int ROWS_NAMED_IN_MESSAGE = 5;

    private final JdbcSink<T> sink;
    private final String where; // "jdbc sink 'name' (table t at url)" for messages
    private String upsertSql; // set at open, once the database tells how it quotes identifiers
    private final TimeSource time;
    private final List<T> records;
    private final List<Object[]> rows;
    private final java.util.Map<List<Object>, Integer> batchIndex = new java.util.HashMap<>();
    private final int[] keyIndexes;
    private Connection connection;
    private PreparedStatement upsert;
    private long retries; // of the batch being written
    private volatile long totalRetries; // read by tests and monitoring from other threads

    JdbcSinkWriter(JdbcSink<T> sink, SinkContext context) {
        this.sink = sink;
        this.where = JdbcSink.CONNECTOR + " '" + sink.name() + "' (table " + sink.table() + " at " + redact(sink.url()) + ")";
        this.time = sink.time();
        this.records = new ArrayList<>(sink.batchSize());
        this.rows = new ArrayList<>(sink.batchSize());
        this.keyIndexes = sink.keys().stream().mapToInt(k -> {
            for (int i = 0; i < sink.columns.size(); i++) {
                if (sink.columns.get(i).name().equals(k)) {
                    return i;
                }
            }
            throw new IllegalStateException("key " + k + " is not a column");
        }).toArray();
        connectAtOpen();
        try {
            UnaryOperator<String> quote = Dialect.quoting(connection.getMetaData());
            upsertSql = sink.dialect.upsert(sink.table(), sink.columns, sink.keys(), quote);
            prepareTable(quote);
        } catch (SQLException e) {
            closeQuietly();
            throw new ConnectorException(where + ": cannot prepare the table: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    // Passwords in URLs (jdbc:postgresql://h/db?password=x) must not reach logs and exceptions.
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    private void connectAtOpen() {
        long deadline = time.nanoTime() + sink.connectTimeout().toNanos();
        long backoff = sink.initialBackoff().toNanos();
        while (true) {
            try {
                connect();
                return;
            } catch (SQLException e) {
                if (sink.dialect.classify(e) != Dialect.ErrorKind.TRANSIENT || time.nanoTime() + backoff > deadline) {
                    throw new ConnectorException(where + ": cannot connect: " + e.getMessage()
                            + " (is the database running and reachable? check the url's host, port, database and the user/password properties)", e);
                }
                backoff = sleep(backoff);
            }
        }
    }

    private void connect() throws SQLException {
        connection = DriverManager.getConnection(sink.url(), sink.connectionProperties());
        connection.setAutoCommit(false);
        upsert = null;
    }

    private void prepareTable(UnaryOperator<String> quote) throws SQLException {
        String createFailure = "";
        if (sink.createTable()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sink.dialect.createTable(sink.table(), sink.columns, sink.keys(), quote));
                connection.commit();
            } catch (SQLException e) {
                // Writers of several tasks create the table at once; PostgreSQL's IF NOT EXISTS can
                // still fail for all but one of them. If the table is there now, that is fine.
                connection.rollback();
                createFailure = "; creating it failed: " + e.getMessage();
                LOG.debug("{}: CREATE TABLE failed ({}); checking whether another writer created it", where, e.getMessage());
            }
        }
        String names = sink.columns.stream().map(Column::name).collect(Collectors.joining(", "));
        try (Statement statement = connection.createStatement()) {
            statement.executeQuery(sink.dialect.probe(sink.table(), sink.columns, quote)).close();
        } catch (SQLException e) {
            throw new ConnectorException(where + ": the table does not exist or lacks one of the columns " + names + ": " + e.getMessage()
                    + createFailure + " (create it with these columns and a primary key on " + sink.keys() + ", or call createTable())", e);
        } finally {
            connection.rollback();
        }
        boolean keyed;
        try {
            keyed = hasUniqueKey();
        } finally {
            // End the read transaction the metadata queries opened: SQLite cannot upgrade a stale read
            // snapshot to a write later (SQLITE_BUSY_SNAPSHOT) once another writer has committed.
            connection.rollback();
        }
        if (!keyed) {
            throw new ConnectorException(where + ": the table has no primary key or unique index on exactly " + sink.keys()
                    + " (an upsert needs one: add PRIMARY KEY (" + String.join(", ", sink.keys()) + "), or let the sink create the table)");
        }
    }

    private boolean hasUniqueKey() throws SQLException {
        Set<String> wanted = sink.keys().stream().map(k -> k.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        DatabaseMetaData meta = connection.getMetaData();
        for (String table : new java.util.LinkedHashSet<>(List.of(sink.table(), sink.table().toLowerCase(Locale.ROOT), sink.table().toUpperCase(Locale.ROOT)))) {
            Set<String> primary = new HashSet<>();
            try (ResultSet keys = meta.getPrimaryKeys(null, null, table)) {
                while (keys.next()) {
                    primary.add(keys.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
            if (primary.equals(wanted)) {
                return true;
            }
            java.util.Map<String, Set<String>> indexes = new java.util.HashMap<>();
            try (ResultSet index = meta.getIndexInfo(null, null, table, true, false)) {
                while (index.next()) {
                    String indexName = index.getString("INDEX_NAME");
                    String column = index.getString("COLUMN_NAME");
                    if (indexName != null && column != null) {
                        indexes.computeIfAbsent(indexName, n -> new HashSet<>()).add(column.toLowerCase(Locale.ROOT));
                    }
                }
            }
            if (indexes.containsValue(wanted)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void write(T record) {
        Object[] row = sink.row(record);
        if (row == null || row.length != sink.columns.size()) {
            throw new RejectedRecordException(where + ": the row function gave " + (row == null ? "null" : row.length + " values")
                    + " for " + record + ", the table has " + sink.columns.size() + " columns (fix row(...))", null);
        }
        // One row per key in a batch: a later record of the same key replaces the earlier one (the
        // upsert's result is the same), and PostgreSQL refuses a statement that updates a row twice.
        List<Object> key = keyOf(row);
        Integer existing = batchIndex.putIfAbsent(key, rows.size());
        if (existing != null) {
            records.set(existing, record);
            rows.set(existing, row);
            return;
        }
        records.add(record);
        rows.add(row);
        if (rows.size() >= sink.batchSize()) {
            flush();
        }
    }

    @Override
    public byte[] prepareCommit(long checkpointId) {
        flush();
        return NOTHING; // everything is committed in the database; replays upsert the same keys
    }

    @Override
    public void commit(long checkpointId, byte[] committable) {
        // committed in prepareCommit: idempotent upserts need no second phase
    }

    /** Writes the buffered batch in one transaction, retrying while the database is unavailable. */
    private void flush() {
        if (rows.isEmpty()) {
            return;
        }
        long started = time.nanoTime();
        long backoff = sink.initialBackoff().toNanos();
        while (true) {
            try {
                ensureConnected();
                writeBatch();
                if (retries > 0) {
                    LOG.info("{}: written again after {} retries", where, retries);
                    retries = 0;
                }
                clearBatch();
                return;
            } catch (SQLException e) {
                rollbackQuietly();
                switch (sink.dialect.classify(e)) {
                    case TRANSIENT -> backoff = backOff(e, started, backoff);
                    case REJECTED_ROW -> {
                        if (isolateRejected(started)) {
                            return;
                        }
                        backoff = sink.initialBackoff().toNanos(); // a transient error during isolation: retry the whole batch
                    }
                    default -> throw fatal(e);
                }
            }
        }
    }

    private void ensureConnected() throws SQLException {
        if (connection == null || connection.isClosed()) {
            closeQuietly();
            connect();
        }
        if (upsert == null) {
            upsert = connection.prepareStatement(upsertSql);
        }
    }

    private void writeBatch() throws SQLException {
        for (Object[] row : rows) {
            bind(row);
            upsert.addBatch();
        }
        try {
            upsert.executeBatch();
        } finally {
            upsert.clearBatch();
        }
        connection.commit();
    }

    private void bind(Object[] row) throws SQLException {
        for (int i = 0; i < row.length; i++) {
            upsert.setObject(i + 1, row[i]);
        }
    }

    private long backOff(SQLException e, long started, long backoff) {
        retries++;
        totalRetries = totalRetries + 1; // single writer thread
        long waited = time.nanoTime() - started;
        if (waited + backoff > sink.giveUpAfter().toNanos()) {
            throw new ConnectorException(where + ": the database stayed unavailable for " + waited / 1_000_000 + " ms (" + retries
                    + " retries), giving up: " + e.getMessage() + " (check that it is running; raise retry(..., giveUpAfter))", e);
        }
        if (retries == 1 || Long.bitCount(retries) == 1) {
            LOG.warn("{}: database unavailable ({}), retry {} in {} ms with {} rows held", where, e.getMessage(), retries, backoff / 1_000_000, rows.size());
        }
        if (isConnectionLost(e)) {
            closeQuietly();
        }
        return sleep(backoff);
    }

    private boolean isConnectionLost(SQLException e) {
        try {
            return connection == null || connection.isClosed() || e.getSQLState() != null && e.getSQLState().startsWith("08")
                    || !connection.isValid(1);
        } catch (SQLException ignored) {
            return true;
        }
    }

    /** Sleeps {@code backoff} ns and returns the next backoff, doubled up to the maximum. */
    private long sleep(long backoff) {
        try {
            time.sleepNanos(backoff);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(where + ": interrupted while waiting for the database", e);
        }
        return Math.min(backoff * 2, sink.maxBackoff().toNanos());
    }

    /**
     * Writes the batch row by row, each under a savepoint, to find the rows the database refuses;
     * commits the others. Returns false if a transient error interrupted it (the caller retries the
     * whole batch); throws {@link RejectedRecordException} listing the refused rows otherwise.
     */
    private boolean isolateRejected(long started) {
        List<T> rejected = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        try {
            ensureConnected();
            for (int i = 0; i < rows.size(); i++) {
                Savepoint savepoint = connection.setSavepoint();
                try {
                    bind(rows.get(i));
                    upsert.executeUpdate();
                    connection.releaseSavepoint(savepoint);
                } catch (SQLException e) {
                    if (sink.dialect.classify(e) != Dialect.ErrorKind.REJECTED_ROW) {
                        throw e;
                    }
                    connection.rollback(savepoint);
                    rejected.add(records.get(i));
                    reasons.add(describe(rows.get(i)) + ": " + e.getMessage());
                }
            }
            connection.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            if (sink.dialect.classify(e) == Dialect.ErrorKind.TRANSIENT) {
                backOff(e, started, sink.initialBackoff().toNanos());
                return false;
            }
            throw fatal(e);
        }
        clearBatch();
        if (rejected.isEmpty()) {
            return true; // the batch failed only as a whole (e.g. two rows with the same key in one batch for some drivers)
        }
        String shown = String.join("; ", reasons.subList(0, Math.min(ROWS_NAMED_IN_MESSAGE, reasons.size())));
        throw new RejectedRecordException(where + ": the database refused " + rejected.size() + " row(s), the rest of the batch is written: "
                + shown + (reasons.size() > ROWS_NAMED_IN_MESSAGE ? "; ..." : ""), rejected, null);
    }

    private String describe(Object[] row) {
        StringBuilder text = new StringBuilder("row (");
        for (int i = 0; i < row.length; i++) {
            String value = row[i] instanceof CharSequence s ? "'" + abbreviate(s.toString()) + "'" : String.valueOf(row[i]);
            text.append(i == 0 ? "" : ", ").append(sink.columns.get(i).name()).append('=').append(value);
        }
        return text.append(')').toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    private ConnectorException fatal(SQLException e) {
        return new ConnectorException(where + ": " + e.getMessage() + " (SQLState " + e.getSQLState()
                + "; check that the table exists with the configured columns and primary key, and that the user may write it)", e);
    }

    private List<Object> keyOf(Object[] row) {
        Object[] key = new Object[keyIndexes.length];
        for (int i = 0; i < key.length; i++) {
            key[i] = row[keyIndexes[i]];
        }
        return java.util.Arrays.asList(key);
    }

    private void clearBatch() {
        records.clear();
        rows.clear();
        batchIndex.clear();
    }

    /** Attempts repeated because the database was unavailable, since open. */
    long totalRetries() {
        return totalRetries;
    }

    /** Rows held in memory now (at most the batch size). */
    int bufferedRows() {
        return rows.size();
    }

    private void rollbackQuietly() {
        try {
            if (connection != null && !connection.isClosed()) {
                connection.rollback();
            }
        } catch (SQLException ignored) {
            // the connection is broken; it is replaced before the next attempt
        }
    }

    private void closeQuietly() {
        try {
            if (upsert != null) {
                upsert.close();
            }
        } catch (SQLException ignored) {
            // closing a statement of a broken connection
        }
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // closing a broken connection
        }
        upsert = null;
        connection = null;
    }

    @Override
    public void close() {
        rollbackQuietly(); // rows not yet flushed are not published; the sources replay them
        clearBatch();
        closeQuietly();
    }
}
