package io.runnel.examples.common;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Result tables read back from a database, compared with an independent computation. A row is a
 * list of its column values in table order, as {@code Long} (integer columns), {@code Double}
 * (REAL) or {@code String}.
 */
public final class DatabaseTables {

    private DatabaseTables() {
    }

    /** Every row of each table; a table that does not exist yet reads as empty. */
    public static Map<String, List<List<Object>>> read(String jdbcUrl, String... tables) throws SQLException {
        Map<String, List<List<Object>>> result = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement st = c.createStatement()) {
            for (String table : tables) {
                List<List<Object>> rows = new ArrayList<>();
                if (exists(c, table)) {
                    try (ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                        ResultSetMetaData meta = rs.getMetaData();
                        while (rs.next()) {
                            List<Object> row = new ArrayList<>();
                            for (int i = 1; i <= meta.getColumnCount(); i++) {
                                Object v = rs.getObject(i);
                                row.add(v instanceof Integer n ? Long.valueOf(n) : v);
                            }
                            rows.add(row);
                        }
                    }
                }
                result.put(table, rows);
            }
        }
        return result;
    }

    /** Whether {@code table} exists, under its name as the database stores it (H2: upper case). */
    private static boolean exists(Connection c, String table) throws SQLException {
        for (String name : List.of(table, table.toUpperCase(Locale.ROOT))) {
            try (ResultSet rs = c.getMetaData().getTables(null, null, name, null)) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Checks that {@code actual} holds exactly the rows of {@code expected} (no row twice, none missing,
     * none extra), naming a few differences if not.
     */
    public static void assertSameRows(String table, List<List<Object>> actual, Set<List<Object>> expected) {
        Set<List<Object>> actualSet = new HashSet<>(actual);
        Set<List<Object>> missing = new HashSet<>(expected);
        missing.removeAll(actualSet);
        Set<List<Object>> extra = new HashSet<>(actualSet);
        extra.removeAll(expected);
        if (actualSet.size() != actual.size() || !missing.isEmpty() || !extra.isEmpty()) {
            throw new AssertionError(table + ": " + actual.size() + " rows (" + (actual.size() - actualSet.size()) + " duplicated), expected "
                    + expected.size() + "; missing " + missing.size() + " e.g. " + first(missing) + "; unexpected " + extra.size()
                    + " e.g. " + first(extra));
        }
    }

    /** Checks that every row of {@code actual} is one of {@code expected} (a partial result of an interrupted run). */
    public static void assertRowsAmong(String table, List<List<Object>> actual, Set<List<Object>> expected) {
        Set<List<Object>> actualSet = new HashSet<>(actual);
        Set<List<Object>> extra = new HashSet<>(actualSet);
        extra.removeAll(expected);
        if (actualSet.size() != actual.size() || !extra.isEmpty()) {
            throw new AssertionError(table + ": " + (actual.size() - actualSet.size()) + " duplicated rows; " + extra.size()
                    + " rows that are no final result, e.g. " + first(extra));
        }
    }

    private static List<List<Object>> first(Set<List<Object>> rows) {
        return rows.stream().limit(3).toList();
    }
}
