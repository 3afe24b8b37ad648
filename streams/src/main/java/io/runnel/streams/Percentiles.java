package io.runnel.streams;

import java.util.Arrays;

/**
 * Percentiles of a window: for each requested quantile q, a value. Exact percentiles use nearest
 * rank: the value at rank {@code max(1, ceil(q*n))} (1-based) of the n sorted values, computed
 * exactly for q as written in decimal (q = 0.07 of 100 values is rank 7). Approximate
 * ones return a value within the stated relative error of that exact value. Immutable.
 */
public final class Percentiles {

    private final double[] quantiles;
    private final double[] values;
    private final long count;
    private final double relativeError;

    public Percentiles(double[] quantiles, double[] values, long count, double relativeError) {
        if (quantiles.length != values.length) {
            throw new IllegalArgumentException("quantiles and values differ in length: " + quantiles.length + " vs " + values.length);
        }
        this.quantiles = quantiles.clone();
        this.values = values.clone();
        this.count = count;
        this.relativeError = relativeError;
    }

    /** The value for quantile {@code q}, which must be one of those requested. */
    public double valueAt(double q) {
        for (int i = 0; i < quantiles.length; i++) {
            if (quantiles[i] == q) {
                return values[i];
            }
        }
        throw new IllegalArgumentException("quantile " + q + " was not requested; requested: " + Arrays.toString(quantiles));
    }

    public double[] quantiles() {
        return quantiles.clone();
    }

    public double[] values() {
        return values.clone();
    }

    /** How many values the window had. */
    public long count() {
        return count;
    }

    /** 0 for exact percentiles, else the bound on |estimate - exact| / |exact|. */
    public double relativeError() {
        return relativeError;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Percentiles p && Arrays.equals(p.quantiles, quantiles) && Arrays.equals(p.values, values)
                && p.count == count && p.relativeError == relativeError;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(quantiles) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Percentiles[n=").append(count);
        for (int i = 0; i < quantiles.length; i++) {
            b.append(", p").append(quantiles[i] * 100).append('=').append(values[i]);
        }
        return b.append(']').toString();
    }
}
