package io.runnel.streams;

import java.util.Random;

/**
 * Seeds for property tests: {@code -Dseed=N} reproduces a run (printed by every test), and
 * {@code -Drunnel.test.seeds=N} sets how many random cases each test runs.
 */
final class Seeds {

    private Seeds() {
    }

    static long base(String test) {
        String s = System.getProperty("seed");
        long seed = s != null ? Long.parseLong(s) : new Random().nextLong();
        System.out.println(test + ": seed=" + seed + " (rerun with -Dseed=" + seed + ")");
        return seed;
    }

    static int count(int ciDefault) {
        return Integer.getInteger("runnel.test.seeds", ciDefault);
    }
}
