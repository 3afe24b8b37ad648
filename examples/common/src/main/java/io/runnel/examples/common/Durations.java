package io.runnel.examples.common;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration syntax of the examples' flags, the same as {@code bin/runnel}'s: a number and a
 * unit, optionally repeated from the largest unit down: {@code 500ms}, {@code 5s}, {@code 30m},
 * {@code 1h}, {@code 1h30m}, {@code 2d}. Units: {@code ms}, {@code s}, {@code m}, {@code h},
 * {@code d} (24 hours). Stateless; thread-safe.
 */
public final class Durations {

    /** The accepted forms, for error messages. */
    public static final String SYNTAX = "a number and a unit (ms, s, m, h, d), like 500ms, 5s, 30m, 1h or 1h30m";

    private static final Pattern PART = Pattern.compile("(\\d{1,15})(ms|s|m|h|d)");
    private static final String[] UNITS = {"d", "h", "m", "s", "ms"};
    private static final long[] UNIT_MS = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};

    private Durations() {
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the text and the syntax if it is not a duration
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("'' is not a duration: write " + SYNTAX);
        }
        Matcher m = PART.matcher(text.trim());
        long totalMs = 0;
        int nextUnit = 0; // index into UNITS: each part's unit must come after the previous one's
        int end = 0;
        while (end < m.regionEnd() && m.find(end) && m.start() == end) {
            int unit = unitIndex(m.group(2));
            if (unit < nextUnit) {
                throw new IllegalArgumentException("'" + text + "' is not a duration (write units from the largest down, each once): write "
                        + SYNTAX);
            }
            try {
                totalMs = Math.addExact(totalMs, Math.multiplyExact(Long.parseLong(m.group(1)), UNIT_MS[unit]));
            } catch (ArithmeticException tooLong) {
                throw new IllegalArgumentException("'" + text + "' is too long a duration: write " + SYNTAX, tooLong);
            }
            nextUnit = unit + 1;
            end = m.end();
        }
        if (end == 0 || end != text.trim().length()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: write " + SYNTAX);
        }
        return Duration.ofMillis(totalMs);
    }

    /** The shortest text {@link #parse} reads back as {@code d} (whole milliseconds): {@code 0s}, {@code 500ms}, {@code 1h30m}. */
    public static String format(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, was " + d);
        }
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < UNITS.length; i++) {
            long n = ms / UNIT_MS[i];
            if (n > 0) {
                b.append(n).append(UNITS[i]);
                ms -= n * UNIT_MS[i];
            }
        }
        return b.toString();
    }

    private static int unitIndex(String unit) {
        for (int i = 0; i < UNITS.length; i++) {
            if (UNITS[i].equals(unit)) {
                return i;
            }
        }
        throw new IllegalStateException("the pattern admitted unit " + unit);
    }
}
