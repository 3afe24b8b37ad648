package io.runnel.benchmarks;

import java.util.Locale;

/**
 * Progress lines on standard error, so standard output holds only {@code RESULT} lines.
 * Thread-safe.
 */
public final class Progress {

    private static final long START_NANOS = System.nanoTime();

    private Progress() {}

    /** Prints {@code [bench 12.3s] <message>} to standard error. */
    public static void say(String format, Object... args) {
        double elapsedS = (System.nanoTime() - START_NANOS) / 1e9;
        String message = args.length == 0 ? format : String.format(Locale.ROOT, format, args);
        System.err.printf(Locale.ROOT, "[bench %6.1fs] %s%n", elapsedS, message);
        System.err.flush();
    }
}
