package io.runnel.log;

import java.time.Duration;

/**
 * The one human-readable duration syntax of Runnel's command line ({@code bin/runnel}), the
 * examples' flags and anything else a person types: a whole number and a unit, optionally repeated
 * from the largest unit down, without spaces:
 * {@code 500ms}, {@code 5s}, {@code 30m}, {@code 1h}, {@code 7d}, {@code 1h30m}, {@code 1d2h3m4s5ms}.
 * Units: {@code ms}, {@code s}, {@code m} (minutes), {@code h}, {@code d} (24 hours), lower case.
 * Leading and trailing white space is ignored. No fractions, signs or ISO-8601 ({@code PT5S}).
 *
 * <p>Every parsed duration is at most {@link Long#MAX_VALUE} milliseconds, so
 * {@link Duration#toMillis()} never overflows on it. It lives in the log module, the root of every
 * other module, so that every module parses durations alike. Stateless; thread-safe.
 */
public final class Durations {

    /** The accepted forms, as error messages and usage texts show them. */
    public static final String SYNTAX = "a number and a unit (ms, s, m, h, d), like 500ms, 5s, 30m, 1h, 7d or 1h30m";

    /** Units from the largest down; {@link #UNIT_MS} holds their lengths. */
    private static final String[] UNITS = {"d", "h", "m", "s", "ms"};
    private static final long[] UNIT_MS = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};

    private Durations() {
    }

    /**
     * Reads {@code text} as a duration.
     *
     * @throws IllegalArgumentException if it is not one: the message quotes {@code text}, says what
     *     is wrong with it and shows the {@linkplain #SYNTAX valid forms}, e.g.
     *     {@code '5x' is not a duration (unknown unit 'x'): write a number and a unit (ms, s, m, h, d), like 500ms, ...}
     */
    public static Duration parse(String text) {
        if (text == null) {
            throw invalid(null, "it is missing");
        }
        String s = text.strip();
        if (s.isEmpty()) {
            throw invalid(text, "it is empty");
        }
        long totalMs = 0;
        int nextUnit = 0; // index into UNITS: each part's unit must be smaller than the one before
        int i = 0;
        while (i < s.length()) {
            int digitsStart = i;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i == digitsStart) {
                throw invalid(text, "expected a number at '" + s.substring(i) + "'");
            }
            String digits = s.substring(digitsStart, i);
            String significant = digits.replaceFirst("^0+(?=.)", "");
            int unitStart = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            String unitText = s.substring(unitStart, i);
            int unit = unitIndex(unitText);
            if (unit < 0) {
                throw invalid(text, unitText.isEmpty() ? "the number " + digits + " has no unit"
                        : "unknown unit '" + unitText + "'");
            }
            if (unit < nextUnit) {
                throw invalid(text, "write units from the largest down, each once");
            }
            nextUnit = unit + 1;
            try {
                // 19 digits or more may not fit a long: then the duration is too long anyway.
                long n = significant.length() > 18 ? Long.MAX_VALUE : Long.parseLong(significant);
                totalMs = Math.addExact(totalMs, Math.multiplyExact(n, UNIT_MS[unit]));
            } catch (ArithmeticException e) {
                throw invalid(text, "it is longer than " + Long.MAX_VALUE + "ms");
            }
        }
        return Duration.ofMillis(totalMs);
    }

    /**
     * The shortest text {@link #parse} reads back as {@code d} in whole milliseconds (a part below a
     * millisecond is dropped): {@code 0s}, {@code 500ms}, {@code 1h30m}, {@code 7d}.
     *
     * @throws IllegalArgumentException if {@code d} is negative
     * @throws ArithmeticException if {@code d} is longer than {@link Long#MAX_VALUE} milliseconds
     */
    public static String format(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, was " + d);
        }
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        for (int u = 0; u < UNITS.length; u++) {
            long n = ms / UNIT_MS[u];
            if (n > 0) {
                b.append(n).append(UNITS[u]);
                ms -= n * UNIT_MS[u];
            }
        }
        return b.toString();
    }

    private static int unitIndex(String unit) {
        for (int u = 0; u < UNITS.length; u++) {
            if (UNITS[u].equals(unit)) {
                return u;
            }
        }
        return -1;
    }

    private static IllegalArgumentException invalid(String text, String why) {
        String quoted = text == null ? "null" : "'" + text + "'";
        return new IllegalArgumentException(quoted + " is not a duration (" + why + "): write " + SYNTAX);
    }
}
