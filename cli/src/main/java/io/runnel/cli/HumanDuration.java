package io.runnel.cli;

import java.time.Duration;

/**
 * The one duration syntax of Runnel's command lines and examples: a number and a unit, optionally
 * repeated from the largest unit down: {@code 500ms}, {@code 5s}, {@code 30m}, {@code 1h},
 * {@code 7d}, {@code 1h30m}. Units: {@code ms}, {@code s}, {@code m}, {@code h}, {@code d}
 * ({@code d} is 24 hours). Stateless; thread-safe.
 *
 * <p>It has no dependency beyond the JDK, so it can move to a shared module as is.
 */
public final class HumanDuration {
    private HumanDuration() {
    }

    /** The accepted forms, for error messages. */
    public static final String SYNTAX = "a number and a unit (ms, s, m, h, d), like 500ms, 5s, 30m, 1h, 7d or 1h30m";

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the text and the syntax if it is not a duration
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid(text, "it is empty");
        }
        String s = text.trim();
        Duration total = Duration.ZERO;
        int previousRank = Integer.MAX_VALUE;
        int i = 0;
        while (i < s.length()) {
            int digits = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (i == digits) {
                throw invalid(text, "expected a number at '" + s.substring(i) + "'");
            }
            if (i - digits > 18) {
                throw invalid(text, "the number " + s.substring(digits, i) + " is too large");
            }
            long n = Long.parseLong(s.substring(digits, i));
            int unitStart = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            String unit = s.substring(unitStart, i);
            int rank = rank(unit);
            if (rank < 0) {
                throw invalid(text, unit.isEmpty() ? "the number " + n + " has no unit"
                        : "unknown unit '" + unit + "'");
            }
            if (rank >= previousRank) {
                throw invalid(text, "write units from the largest down, each once");
            }
            previousRank = rank;
            try {
                total = total.plus(of(n, unit));
            } catch (ArithmeticException e) {
                throw invalid(text, "it is too long");
            }
        }
        return total;
    }

    /** The shortest text {@link #parse} reads back as {@code d}: {@code 0s}, {@code 500ms}, {@code 1h30m}. */
    public static String format(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, was " + d);
        }
        if (d.isZero()) {
            return "0s";
        }
        long ms = d.toMillis();
        StringBuilder b = new StringBuilder();
        ms = appendPart(b, ms, 86_400_000L, "d");
        ms = appendPart(b, ms, 3_600_000L, "h");
        ms = appendPart(b, ms, 60_000L, "m");
        ms = appendPart(b, ms, 1_000L, "s");
        appendPart(b, ms, 1L, "ms");
        return b.length() == 0 ? "0s" : b.toString();
    }

    private static long appendPart(StringBuilder b, long ms, long unitMs, String unit) {
        long n = ms / unitMs;
        if (n > 0) {
            b.append(n).append(unit);
        }
        return ms % unitMs;
    }

    private static int rank(String unit) {
        return switch (unit) {
            case "ms" -> 0;
            case "s" -> 1;
            case "m" -> 2;
            case "h" -> 3;
            case "d" -> 4;
            default -> -1;
        };
    }

    private static Duration of(long n, String unit) {
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> throw new IllegalStateException("unit " + unit + " passed rank()");
        };
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("'" + text + "' is not a duration (" + why + "): write " + SYNTAX);
    }
}
