package io.runnel.connectors;

/**
 * A connector's configuration is wrong. The message names the connector, the key, the value and
 * the fix, e.g. {@code "jdbc sink: url='jdbc:mysql://x' is not supported (use jdbc:sqlite:<file>,
 * jdbc:postgresql://<host>/<db> or jdbc:h2:<path>)"}. Thrown when a connector is built or opened,
 * before any record moves.
 */
public class InvalidConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public InvalidConfigException(String connector, String key, Object value, String problem, String fix) {
        this(connector, key, value, problem, fix, null);
    }

    public InvalidConfigException(String connector, String key, Object value, String problem, String fix, Throwable cause) {
        super(connector + ": " + key + "=" + quote(value) + " " + problem + " (" + fix + ")", cause);
        this.key = key;
    }

    /**
     * {@code value} if it has text, else an {@code InvalidConfigException} saying {@code key} is
     * empty, with {@code fix}.
     */
    public static String requireNonBlank(String connector, String key, String value, String fix) {
        if (value == null || value.isBlank()) {
            throw new InvalidConfigException(connector, key, value, "is empty", fix);
        }
        return value;
    }

    /** The configuration key that is wrong. */
    public String key() {
        return key;
    }

    private static String quote(Object value) {
        return value instanceof CharSequence || value instanceof java.nio.file.Path ? "'" + value + "'" : String.valueOf(value);
    }
}
