package io.runnel.streams.internal.runtime;

/** Arithmetic on watermarks that never wraps around at the ends of the long range. */
public final class Watermarks {

    private Watermarks() {
    }

    /** {@code w - ms}, staying at {@link Long#MIN_VALUE} for -infinity. */
    public static long minus(long w, long ms) {
        if (w == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        long r = w - ms;
        return r > w ? Long.MIN_VALUE : r;
    }

    /** {@code t + ms}, staying at {@link Long#MAX_VALUE} for +infinity. */
    public static long plus(long t, long ms) {
        long r = t + ms;
        return r < t ? Long.MAX_VALUE : r;
    }
}
