package io.runnel.examples.common;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A small aligned text table for the examples' summaries: columns sized to fit, numbers right
 * aligned. Build on one thread, then {@link #toString()}.
 */
public final class ConsoleTable {

    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private final String title;
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    private ConsoleTable(String title, List<String> headers) {
        this.title = title;
        this.headers = headers;
    }

    /** A table titled {@code title} with these column headers. */
    public static ConsoleTable of(String title, String... headers) {
        return new ConsoleTable(Objects.requireNonNull(title, "title"), List.of(headers));
    }

    /** Adds a row; values are shown with {@link String#valueOf}, whole numbers with thousands separators. */
    public ConsoleTable row(Object... values) {
        if (values.length != headers.size()) {
            throw new IllegalArgumentException("a row of '" + title + "' has " + headers.size() + " values, not " + values.length);
        }
        List<String> row = new ArrayList<>(values.length);
        for (Object v : values) {
            row.add(v instanceof Long || v instanceof Integer ? String.format("%,d", ((Number) v).longValue()) : String.valueOf(v));
        }
        rows.add(row);
        return this;
    }

    /** {@code epochMs} as {@code 2025-03-03 08:00} (UTC, minutes), for time columns. */
    public static String utcMinute(long epochMs) {
        return MINUTES.format(Instant.ofEpochMilli(epochMs));
    }

    @Override
    public String toString() {
        int[] width = new int[headers.size()];
        boolean[] numeric = new boolean[headers.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = headers.get(c).length();
            numeric[c] = !rows.isEmpty();
            for (List<String> row : rows) {
                width[c] = Math.max(width[c], row.get(c).length());
                numeric[c] &= row.get(c).matches("-?[0-9][0-9,]*(\\.[0-9]+)?%?");
            }
        }
        StringBuilder b = new StringBuilder(title).append('\n');
        appendRow(b, headers, width, numeric);
        for (int c = 0; c < width.length; c++) {
            b.append(c == 0 ? "  " : "  ").append("-".repeat(width[c]));
        }
        b.append('\n');
        for (List<String> row : rows) {
            appendRow(b, row, width, numeric);
        }
        if (rows.isEmpty()) {
            b.append("  (none)\n");
        }
        return b.toString();
    }

    private static void appendRow(StringBuilder b, List<String> cells, int[] width, boolean[] numeric) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < width.length; c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(width[c] - cell.length());
            line.append("  ").append(numeric[c] ? pad + cell : cell + pad);
        }
        b.append(line.toString().stripTrailing()).append('\n');
    }
}
