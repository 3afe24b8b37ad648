package io.runnel.connectors.jdbc;

import io.runnel.connectors.InvalidConfigException;
import io.runnel.connectors.TimeSource;
import io.runnel.streams.connect.DeliveryGuarantee;
import io.runnel.streams.connect.Sink;
import io.runnel.streams.connect.SinkContext;
import io.runnel.streams.connect.SinkWriter;
import java.lang.reflect.RecordComponent;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Function;

/**
 * Upserts records into a table of SQLite (the embedded default), PostgreSQL or H2, in batches, on a
 * primary key.
 *
 * <pre>{@code
 * JdbcSink<PageViews> sink = JdbcSink.upsert("jdbc:sqlite:stats.db", "page_views", PageViews.class)
 *         .keys("window_start", "url")
 *         .createTable()
 *         .build();
 * }</pre>
 *
 * <p><b>Exactly-once by idempotent upserts on deterministic keys.</b> Each full batch, and what is
 * left at {@code prepareCommit}, is upserted and committed in one database transaction; {@code commit}
 * has nothing left to do. After a crash the job restores its last checkpoint and replays: the
 * replayed results upsert the same keys with the same values, so the table ends exactly as a run
 * without the crash (no duplicate can exist: the key is the table's primary key). Until the replay
 * has caught up, a row may show a value the job computed after its last completed checkpoint. This
 * holds when the key identifies a result (a window and a group, an event id) and the job is
 * deterministic.
 *
 * <p><b>Failures.</b> While the database is down, locked or busy (connection errors,
 * {@code SQLITE_BUSY}, serialization failures), the writer retries the batch with exponential
 * backoff up to {@link Builder#retry giveUpAfter}, blocking the task (backpressure); it holds at most
 * one batch in memory. A row the database refuses (constraint, value too long, wrong type) is
 * isolated from its batch, the other rows are written, and {@code RejectedRecordException} names
 * the row and the reason and carries the record for the job's bad-data policy. Anything else (the
 * table is missing, a column is wrong, permissions) fails with a message naming the table and the fix.
 *
 * <p>Immutable and thread-safe; each task opens its own connection.
 *
 * @param <T> the record type
 */
public final class JdbcSink<T> implements Sink<T> {
    static final String CONNECTOR = "jdbc sink";

    private final Builder<T> config; // a copy taken by build(): later changes to the builder do not reach it
    final Dialect dialect;
    final List<Column> columns;

    private JdbcSink(Builder<T> config, Dialect dialect, List<Column> columns) {
        this.config = config.copy();
        this.dialect = dialect;
        this.columns = columns;
    }

    /**
     * Starts an upsert sink into {@code table}; give the columns and how a record becomes a row with
     * {@link Builder#columns} and {@link Builder#row}.
     */
    public static <T> Builder<T> upsert(String url, String table) {
        return new Builder<>(url, table);
    }

    /**
     * Starts an upsert sink whose columns are the components of the Java record {@code type}, named
     * in snake_case ({@code windowStart} becomes {@code window_start}), with types from the
     * component types (long: BIGINT, int: INTEGER, double/float: DOUBLE, boolean: BOOLEAN, others: TEXT).
     */
    public static <R extends Record> Builder<R> upsert(String url, String table, Class<R> type) {
        Objects.requireNonNull(type, "type");
        StringBuilder spec = new StringBuilder();
        RecordComponent[] components = type.getRecordComponents();
        for (RecordComponent c : components) {
            spec.append(spec.length() == 0 ? "" : ", ").append(snakeCase(c.getName())).append(' ').append(sqlType(c.getType()))
                    .append(c.getType().isPrimitive() ? " NOT NULL" : "");
        }
        Function<R, Object[]> row = record -> {
            Object[] values = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                try {
                    values[i] = components[i].getAccessor().invoke(record);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + components[i] + " of " + type.getName(), e);
                }
            }
            return values;
        };
        return new Builder<R>(url, table).columns(spec.toString()).row(row);
    }

    /**
     * {@code name} (a table or column) as the sink writes it in SQL for the database of
     * {@code connection}: quoted, in the case that database stores unquoted names in. Use it in your
     * own queries of a sink's table where a name is a reserved word there, e.g. {@code user} in
     * PostgreSQL and H2: {@code "SELECT COUNT(DISTINCT " + JdbcSink.quotedName(c, "user") + ") FROM sessions"}.
     *
     * @throws SQLException if the database's metadata cannot be read
     */
    public static String quotedName(Connection connection, String name) throws SQLException {
        return Dialect.quoting(connection.getMetaData()).apply(Column.checkIdentifier("name", name));
    }

    static String snakeCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    private static String sqlType(Class<?> type) {
        if (type == long.class || type == Long.class) {
            return "BIGINT";
        }
        if (type == int.class || type == Integer.class || type == short.class || type == Short.class) {
            return "INTEGER";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "DOUBLE";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "BOOLEAN";
        }
        return "TEXT";
    }

    @Override
    public String name() {
        return config.name;
    }

    @Override
    public DeliveryGuarantee guarantee() {
        return DeliveryGuarantee.EXACTLY_ONCE; // idempotent upserts on the primary key: see the class javadoc
    }

    @Override
    public SinkWriter<T> open(SinkContext context) {
        return new JdbcSinkWriter<>(this, context);
    }

    String url() {
        return config.url;
    }

    String table() {
        return config.table;
    }

    List<String> keys() {
        return config.keys;
    }

    boolean createTable() {
        return config.createTable;
    }

    int batchSize() {
        return config.batchSize;
    }

    Object[] row(T record) {
        return config.row.apply(record);
    }

    Properties connectionProperties() {
        Properties properties = dialect.connectionProperties();
        properties.putAll(config.properties);
        return properties;
    }

    Duration initialBackoff() {
        return config.initialBackoff;
    }

    Duration maxBackoff() {
        return config.maxBackoff;
    }

    Duration giveUpAfter() {
        return config.giveUpAfter;
    }

    Duration connectTimeout() {
        return config.connectTimeout;
    }

    TimeSource time() {
        return config.time;
    }

    /**
     * Configures a {@link JdbcSink}; {@link #build()} validates everything and names the key and the
     * fix of the first problem. Not thread-safe; each setter returns this builder.
     */
    public static final class Builder<T> {
        private final String url;
        private final String table;
        private String name;
        private String columnSpec;
        private List<String> keys = List.of();
        private Function<T, Object[]> row;
        private boolean createTable;
        private int batchSize = 500;
        private final Properties properties = new Properties();
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private Duration giveUpAfter = Duration.ofMinutes(5);
        private Duration connectTimeout = Duration.ofSeconds(30);
        private TimeSource time = TimeSource.system();

        private Builder(String url, String table) {
            this.url = url;
            this.table = table;
        }

        private Builder<T> copy() {
            Builder<T> copy = new Builder<>(url, table);
            copy.name = name;
            copy.columnSpec = columnSpec;
            copy.keys = keys;
            copy.row = row;
            copy.createTable = createTable;
            copy.batchSize = batchSize;
            copy.properties.putAll(properties);
            copy.initialBackoff = initialBackoff;
            copy.maxBackoff = maxBackoff;
            copy.giveUpAfter = giveUpAfter;
            copy.connectTimeout = connectTimeout;
            copy.time = time;
            return copy;
        }

        /** The columns, e.g. {@code "window_start BIGINT NOT NULL, url VARCHAR(200), views BIGINT"}; types: BIGINT, INTEGER, DOUBLE, TEXT, VARCHAR(n), BOOLEAN. */
        public Builder<T> columns(String spec) {
            this.columnSpec = spec;
            return this;
        }

        /** The primary key columns the upsert matches on (required). */
        public Builder<T> keys(String... keyColumns) {
            this.keys = List.of(keyColumns);
            return this;
        }

        /** Turns a record into the row's values, in column order. */
        public Builder<T> row(Function<T, Object[]> mapper) {
            this.row = Objects.requireNonNull(mapper, "row");
            return this;
        }

        /** Creates the table (with the primary key) if it does not exist. */
        public Builder<T> createTable() {
            this.createTable = true;
            return this;
        }

        /** Rows per batch and per transaction (default 500); also the most rows held in memory per writer. */
        public Builder<T> batchSize(int rows) {
            this.batchSize = rows;
            return this;
        }

        /** A JDBC connection property, e.g. {@code user} and {@code password}. */
        public Builder<T> property(String key, String value) {
            properties.setProperty(key, value);
            return this;
        }

        /** The sink's stable name (default {@code "jdbc:<table>"}). */
        public Builder<T> name(String sinkName) {
            this.name = sinkName;
            return this;
        }

        /**
         * Backoff while the database is unavailable: the first wait, the longest wait, and how long to
         * keep trying a batch before failing (defaults 100 ms, 5 s, 5 min).
         */
        public Builder<T> retry(Duration initial, Duration max, Duration giveUp) {
            this.initialBackoff = initial;
            this.maxBackoff = max;
            this.giveUpAfter = giveUp;
            return this;
        }

        /** How long {@code open} keeps trying to connect before failing (default 30 s). */
        public Builder<T> connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** The time source for backoff (tests). */
        public Builder<T> timeSource(TimeSource source) {
            this.time = Objects.requireNonNull(source, "time");
            return this;
        }

        public JdbcSink<T> build() {
            Dialect dialect = Dialect.of(url);
            Column.checkIdentifier("table", table);
            List<Column> columns = Column.parse(columnSpec);
            if (keys.isEmpty()) {
                throw new InvalidConfigException(CONNECTOR, "keys", keys, "is empty",
                        "name the primary key columns that identify a result, e.g. keys(\"window_start\", \"url\")");
            }
            List<String> keyNames = new ArrayList<>();
            for (String key : keys) {
                Column column = columns.stream().filter(c -> c.name().equalsIgnoreCase(key)).findFirst()
                        .orElseThrow(() -> new InvalidConfigException(CONNECTOR, "keys", key, "is not one of the columns "
                                + columns.stream().map(Column::name).toList(), "name key columns declared in columns(...)"));
                keyNames.add(column.name());
            }
            keys = List.copyOf(keyNames);
            if (row == null) {
                throw new InvalidConfigException(CONNECTOR, "row", null, "is not set", "give row(record -> new Object[] {...}) in column order");
            }
            if (batchSize < 1 || batchSize > 100_000) {
                throw new InvalidConfigException(CONNECTOR, "batchSize", batchSize, "is out of range", "use 1..100000 (default 500)");
            }
            checkPositive("retry.initial", initialBackoff);
            checkPositive("retry.max", maxBackoff);
            checkPositive("retry.giveUpAfter", giveUpAfter);
            checkPositive("connectTimeout", connectTimeout);
            if (name == null) {
                name = "jdbc:" + table;
            }
            InvalidConfigException.requireNonBlank(CONNECTOR, "name", name, "give the sink a stable name");
            return new JdbcSink<>(this, dialect, columns);
        }

        private static void checkPositive(String key, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new InvalidConfigException(CONNECTOR, key, d, "must be a positive duration", "e.g. Duration.ofSeconds(5)");
            }
        }
    }
}
