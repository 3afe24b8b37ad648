package io.runnel.streams;

import com.google.common.base.Preconditions;
import io.runnel.streams.internal.state.Aggregators;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Built-in window statistics, for {@link WindowedStream#aggregate}. All of them can merge (so they
 * work with session windows) and are exact unless the name says otherwise.
 */
public final class Statistics {

    private Statistics() {
    }

    /** The sum of {@code value} over the window, as a double. */
    public static <T> Aggregator<T, ?, Double> sum(ToDoubleFunction<? super T> value) {
        return Aggregators.sum(Objects.requireNonNull(value, "value"));
    }

    /** The sum of {@code value} over the window, as an exact long (overflow throws). */
    public static <T> Aggregator<T, ?, Long> sumLong(ToLongFunction<? super T> value) {
        return Aggregators.sumLong(Objects.requireNonNull(value, "value"));
    }

    /** The smallest {@code value} in the window. */
    public static <T> Aggregator<T, ?, Double> min(ToDoubleFunction<? super T> value) {
        return Aggregators.min(Objects.requireNonNull(value, "value"));
    }

    /** The largest {@code value} in the window. */
    public static <T> Aggregator<T, ?, Double> max(ToDoubleFunction<? super T> value) {
        return Aggregators.max(Objects.requireNonNull(value, "value"));
    }

    /** The arithmetic mean of {@code value} over the window. */
    public static <T> Aggregator<T, ?, Double> average(ToDoubleFunction<? super T> value) {
        return Aggregators.average(Objects.requireNonNull(value, "value"));
    }

    /** The exact number of distinct {@code item}s (by {@code equals}) in the window; keeps every distinct item. */
    public static <T> Aggregator<T, ?, Long> distinctCount(Function<? super T, ?> item) {
        return Aggregators.distinctCount(Objects.requireNonNull(item, "item"));
    }

    /**
     * Exact nearest-rank percentiles of {@code value}: for quantile q in [0, 1], the value at rank
     * {@code max(1, ceil(q*n))} of the sorted values, computed exactly for q as written in decimal
     * (no floating-point rounding: 0.07 of 100 values is rank 7). Keeps every value of the window.
     */
    public static <T> Aggregator<T, ?, Percentiles> percentiles(ToDoubleFunction<? super T> value, double... quantiles) {
        Objects.requireNonNull(value, "value");
        return Aggregators.exactPercentiles(value, checkQuantiles(quantiles));
    }

    /**
     * Approximate percentiles in bounded memory: each result is within {@code relativeError} (e.g.
     * 0.01 for 1%) of the exact nearest-rank value, relative to its magnitude; values are bucketed on a
     * logarithmic scale, so memory grows with the logarithm of the value range, not the count.
     */
    public static <T> Aggregator<T, ?, Percentiles> approximatePercentiles(ToDoubleFunction<? super T> value,
                                                                          double relativeError, double... quantiles) {
        Objects.requireNonNull(value, "value");
        Preconditions.checkArgument(relativeError > 0 && relativeError < 1,
                "relativeError must be in (0, 1), e.g. 0.01, was %s", relativeError);
        return Aggregators.approximatePercentiles(value, relativeError, checkQuantiles(quantiles));
    }

    /**
     * The {@code n} most frequent {@code item}s of the window with their counts; ties broken by the
     * item's natural order, ascending.
     */
    public static <T, V extends Comparable<? super V>> Aggregator<T, ?, TopN<V>> topN(int n, Function<? super T, ? extends V> item) {
        Preconditions.checkArgument(n > 0, "n must be positive, was %s", n);
        return Aggregators.topN(n, Objects.requireNonNull(item, "item"));
    }

    private static double[] checkQuantiles(double[] quantiles) {
        Objects.requireNonNull(quantiles, "quantiles");
        Preconditions.checkArgument(quantiles.length > 0, "give at least one quantile, e.g. 0.5, 0.99");
        for (double q : quantiles) {
            Preconditions.checkArgument(q >= 0 && q <= 1, "quantiles must be in [0, 1] (0.99 for p99), was %s", q);
        }
        return quantiles.clone();
    }
}
