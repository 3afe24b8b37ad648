package io.runnel.connectors.jdbc;

import io.runnel.connectors.InvalidConfigException;
import java.sql.BatchUpdateException;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * What differs between the supported databases: column types, the upsert statement, connection
 * settings, and which errors mean "try again", "this row is bad" or "give up".
 */
enum Dialect {
    SQLITE("jdbc:sqlite:") {
        @Override
        String columnType(Column c, String quotedName) {
            return switch (c.type()) {
                case BIGINT, INTEGER, BOOLEAN -> "INTEGER";
                case DOUBLE -> "REAL";
                case TEXT -> "TEXT";
                // SQLite ignores declared lengths; a CHECK makes "value too long" a rejected row here too
                case VARCHAR -> "TEXT CHECK (length(" + quotedName + ") <= " + c.length() + ")";
            };
        }

        @Override
        Properties connectionProperties() {
            Properties p = new Properties();
            p.setProperty("journal_mode", "WAL"); // readers (the people querying results) do not block the sink
            p.setProperty("synchronous", "FULL"); // a commit is on disk before it returns
            p.setProperty("busy_timeout", "1000"); // then SQLITE_BUSY, which the sink retries with backoff
            return p;
        }
    },
    POSTGRESQL("jdbc:postgresql:") {
        @Override
        String columnType(Column c, String quotedName) {
            return standardType(c, "TEXT", "VARCHAR");
        }

        @Override
        Properties connectionProperties() {
            Properties p = new Properties();
            p.setProperty("reWriteBatchedInserts", "true"); // one multi-row INSERT per batch instead of one round trip per row
            p.setProperty("connectTimeout", "10");
            return p;
        }
    },
    H2("jdbc:h2:") {
        @Override
        String columnType(Column c, String quotedName) {
            return standardType(c, "CHARACTER VARYING", "CHARACTER VARYING"); // H2's TEXT is a CLOB, unfit for keys
        }

        @Override
        String upsert(String table, List<Column> columns, List<String> keys, UnaryOperator<String> quote) {
            return "MERGE INTO " + quote.apply(table) + " (" + names(columns, quote) + ") KEY (" + names(keys, quote) + ") VALUES ("
                    + placeholders(columns.size()) + ")";
        }
    };

    private final String urlPrefix;

    Dialect(String urlPrefix) {
        this.urlPrefix = urlPrefix;
    }

    static Dialect of(String url) {
        if (url != null) {
            for (Dialect d : values()) {
                if (url.toLowerCase(Locale.ROOT).startsWith(d.urlPrefix) && url.length() > d.urlPrefix.length()) {
                    return d;
                }
            }
        }
        throw new InvalidConfigException(JdbcSink.CONNECTOR, "url", url, "is not a supported JDBC URL",
                "use jdbc:sqlite:<file>, jdbc:postgresql://<host>:<port>/<database> or jdbc:h2:<path>");
    }

    /** The column's type in this database's words; {@code quotedName} for a type that names its column. */
    abstract String columnType(Column column, String quotedName);

    /**
     * How to write identifiers in SQL for the connected database: quoted, so that reserved words
     * ({@code user} in PostgreSQL and H2, {@code order} everywhere) are legal column and table names,
     * and in the case the database stores unquoted identifiers in (H2: upper, PostgreSQL: lower), so a
     * quoted name means exactly what the same name unquoted means, in the sink's SQL and in the
     * users' own queries alike (an existing table created without quotes is found as before).
     */
    static UnaryOperator<String> quoting(DatabaseMetaData meta) throws SQLException {
        String quote = meta.getIdentifierQuoteString();
        if (quote == null || quote.isBlank()) {
            return UnaryOperator.identity(); // the database has no quoted identifiers
        }
        String q = quote.trim();
        boolean upper = meta.storesUpperCaseIdentifiers();
        boolean lower = meta.storesLowerCaseIdentifiers();
        return name -> q + (upper ? name.toUpperCase(Locale.ROOT) : lower ? name.toLowerCase(Locale.ROOT) : name) + q;
    }

    /** {@code names} quoted and joined by commas. */
    static String names(List<String> names, UnaryOperator<String> quote) {
        return names.stream().map(quote).collect(Collectors.joining(", "));
    }

    static String names(Collection<Column> columns, UnaryOperator<String> quote) {
        return names(columns.stream().map(Column::name).toList(), quote);
    }

    /** SQL standard types, with the dialect's names for unbounded and bounded text. */
    static String standardType(Column c, String text, String varchar) {
        return switch (c.type()) {
            case BIGINT -> "BIGINT";
            case INTEGER -> "INTEGER";
            case DOUBLE -> "DOUBLE PRECISION";
            case TEXT -> text;
            case VARCHAR -> varchar + "(" + c.length() + ")";
            case BOOLEAN -> "BOOLEAN";
        };
    }

    Properties connectionProperties() {
        return new Properties();
    }

    String createTable(String table, List<Column> columns, List<String> keys, UnaryOperator<String> quote) {
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(quote.apply(table)).append(" (");
        for (Column c : columns) {
            String name = quote.apply(c.name());
            sql.append(name).append(' ').append(columnType(c, name)).append(c.nullable() && !keys.contains(c.name()) ? "" : " NOT NULL").append(", ");
        }
        return sql.append("PRIMARY KEY (").append(names(keys, quote)).append("))").toString();
    }

    /** INSERT ... ON CONFLICT (keys) DO UPDATE: SQLite (3.24+) and PostgreSQL share the syntax. */
    String upsert(String table, List<Column> columns, List<String> keys, UnaryOperator<String> quote) {
        List<String> values = columns.stream().map(Column::name).filter(n -> !keys.contains(n)).map(quote).toList();
        String action = values.isEmpty() ? "DO NOTHING"
                : "DO UPDATE SET " + values.stream().map(n -> n + " = excluded." + n).collect(Collectors.joining(", "));
        return "INSERT INTO " + quote.apply(table) + " (" + names(columns, quote) + ") VALUES (" + placeholders(columns.size())
                + ") ON CONFLICT (" + names(keys, quote) + ") " + action;
    }

    /** A query that fails unless the table and every column exist. */
    String probe(String table, List<Column> columns, UnaryOperator<String> quote) {
        return "SELECT " + names(columns, quote) + " FROM " + quote.apply(table) + " WHERE 1 = 0";
    }

    static String placeholders(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }

    /** What to do about an error. */
    enum ErrorKind {
        /** The database is down, locked or busy: back off and retry the batch. */
        TRANSIENT,
        /** The row's content is refused (constraint, type, length): reject that row. */
        REJECTED_ROW,
        /** Anything else (missing table, syntax, permissions): fail with a clear message. */
        FATAL
    }

    ErrorKind classify(SQLException e) {
        for (SQLException s = e; s != null; s = next(s)) {
            ErrorKind kind = classifyOne(s);
            if (kind != ErrorKind.FATAL) {
                return kind;
            }
        }
        return ErrorKind.FATAL;
    }

    private static SQLException next(SQLException e) {
        SQLException next = e.getNextException();
        if (next == null && e.getCause() instanceof SQLException cause && cause != e) {
            return cause;
        }
        return next;
    }

    private ErrorKind classifyOne(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (this == SQLITE) {
            // sqlite-jdbc reports the result code as the vendor code and in the message, e.g. "[SQLITE_BUSY] ..."
            int code = e.getErrorCode() & 0xff;
            if (code == 5 || code == 6 || message.startsWith("[SQLITE_BUSY") || message.startsWith("[SQLITE_LOCKED")) {
                return ErrorKind.TRANSIENT;
            }
            if (code == 19 || code == 20 || code == 18 || message.startsWith("[SQLITE_CONSTRAINT") || message.startsWith("[SQLITE_MISMATCH")
                    || message.startsWith("[SQLITE_TOOBIG")) {
                return ErrorKind.REJECTED_ROW;
            }
            return ErrorKind.FATAL;
        }
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException || state.startsWith("08")
                || state.equals("40001") || state.equals("40P01") || state.equals("55P03") || state.startsWith("57P")
                || state.equals("53300") || state.equals("HYT00")) {
            return ErrorKind.TRANSIENT;
        }
        if ((state.startsWith("22") || state.startsWith("23")) && !(e instanceof BatchUpdateException && state.isEmpty())) {
            return ErrorKind.REJECTED_ROW;
        }
        return ErrorKind.FATAL;
    }
}
