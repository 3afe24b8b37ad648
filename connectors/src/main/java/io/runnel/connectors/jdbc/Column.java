package io.runnel.connectors.jdbc;

import io.runnel.connectors.InvalidConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One column of a sink's table: a name, a portable type and whether it may be null. Parsed from a
 * spec like {@code "window_start BIGINT NOT NULL, url VARCHAR(200), views BIGINT"}.
 *
 * @param name     a plain SQL identifier (letters, digits, underscores)
 * @param type     the portable type
 * @param length   the maximum length of a {@code VARCHAR}, else 0
 * @param nullable whether NULL is allowed
 */
record Column(String name, Type type, int length, boolean nullable) {

    /** Portable column types; each dialect maps them to its own. */
    enum Type { BIGINT, INTEGER, DOUBLE, TEXT, VARCHAR, BOOLEAN }

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern COLUMN = Pattern.compile(
            "\\s*([A-Za-z_][A-Za-z0-9_]*)\\s+([A-Za-z]+)\\s*(?:\\(\\s*(\\d+)\\s*\\))?\\s*(NOT\\s+NULL)?\\s*", Pattern.CASE_INSENSITIVE);

    static List<Column> parse(String spec) {
        InvalidConfigException.requireNonBlank(JdbcSink.CONNECTOR, "columns", spec,
                "describe the columns, e.g. \"url VARCHAR(200) NOT NULL, views BIGINT\"");
        List<Column> columns = new ArrayList<>();
        for (String part : spec.split(",")) {
            Matcher m = COLUMN.matcher(part);
            if (!m.matches()) {
                throw new InvalidConfigException(JdbcSink.CONNECTOR, "columns", part.trim(), "is not '<name> <TYPE>[(n)] [NOT NULL]'",
                        "use one of the types " + List.of(Type.values()) + ", e.g. \"url VARCHAR(200) NOT NULL\"");
            }
            Type type;
            try {
                type = Type.valueOf(m.group(2).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException(JdbcSink.CONNECTOR, "columns", part.trim(), "has an unknown type '" + m.group(2) + "'",
                        "use one of " + List.of(Type.values()));
            }
            int length = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
            if (type == Type.VARCHAR && length <= 0 || type != Type.VARCHAR && m.group(3) != null) {
                throw new InvalidConfigException(JdbcSink.CONNECTOR, "columns", part.trim(), "has a length only VARCHAR takes, and VARCHAR needs one",
                        "write VARCHAR(n) with n > 0, other types without a length");
            }
            Column column = new Column(m.group(1), type, length, m.group(4) == null);
            if (columns.stream().anyMatch(c -> c.name.equalsIgnoreCase(column.name))) {
                throw new InvalidConfigException(JdbcSink.CONNECTOR, "columns", column.name, "is declared twice", "name each column once");
            }
            columns.add(column);
        }
        return List.copyOf(columns);
    }

    static String checkIdentifier(String key, String identifier) {
        if (identifier == null || !IDENTIFIER.matcher(identifier).matches()) {
            throw new InvalidConfigException(JdbcSink.CONNECTOR, key, identifier, "is not a plain SQL identifier",
                    "use letters, digits and underscores, starting with a letter");
        }
        return identifier;
    }
}
