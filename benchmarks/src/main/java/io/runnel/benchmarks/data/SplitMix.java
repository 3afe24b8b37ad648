package io.runnel.benchmarks.data;

/**
 * The SplitMix64 finalizer: a fast, well-mixing bijection on 64-bit values. The generators derive
 * every random choice from {@code mix(seed, index, stream)}, so any event can be produced on its
 * own, in any order, by any thread, and always comes out the same.
 */
public final class SplitMix {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private SplitMix() {}

    /** Mixes one value. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A random 64-bit value for ({@code seed}, {@code index}, {@code stream}). */
    public static long mix(long seed, long index, int stream) {
        return mix(seed + GOLDEN * (index + 1) + mix(stream + 0x632BE59BD9B4E019L));
    }

    /** A uniform double in [0, 1) from a random 64-bit value. */
    public static double unit(long random) {
        return (random >>> 11) * 0x1.0p-53;
    }

    /** Combines values into one order-sensitive hash (for result fingerprints). */
    public static long combine(long a, long b) {
        return mix(a * GOLDEN + b);
    }
}
