package io.runnel.log.testing;

import java.util.Random;

/**
 * Sizes and seeds of randomized tests: CI defaults meet the minimums; raise them with
 * system properties for long runs. Every randomized test prints its seed; re-run with {@code -Dseed=}.
 */
public final class TestSettings {
    private TestSettings() {
    }

    /** {@code -D<name>=n} or the default. */
    public static int count(String name, int defaultValue) {
        return Integer.getInteger(name, defaultValue);
    }

    /** The seed from {@code -Dseed=} or a fresh one; printed so a failure can be reproduced. */
    public static long seed(String test) {
        String s = System.getProperty("seed");
        long seed = s != null ? Long.parseLong(s) : new Random().nextLong();
        System.out.println(test + ": seed=" + seed + " (re-run with -Dseed=" + seed + ")");
        return seed;
    }
}
