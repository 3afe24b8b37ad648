package io.runnel.streams.internal.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.streams.Aggregator;
import io.runnel.streams.Percentiles;
import io.runnel.streams.Statistics;
import org.junit.jupiter.api.Test;

/**
 * Nearest ranks of quantiles written as decimals (q = k/100), checked against integer arithmetic:
 * rank = max(1, ceil(k*n/100)) = max(1, (k*n + 99) / 100).
 */
class AggregatorsTest {

    private static final int MAX_N = 1000;

    private static long integerRank(int percent, long n) {
        return Math.max(1, (percent * n + 99) / 100);
    }

    @Test
    void shouldRankEveryPercentOfUpToAThousandValuesExactly() {
        for (int k = 0; k <= 100; k++) {
            double q = k / 100.0;
            for (long n = 1; n <= MAX_N; n++) {
                assertThat(Aggregators.nearestRank(q, n)).as("q=%s n=%s", q, n).isEqualTo(integerRank(k, n));
            }
        }
        assertThat(Aggregators.nearestRank(0.07, 100)).isEqualTo(7);
        assertThat(Aggregators.nearestRank(0.999, 1_000_000_000_000L)).isEqualTo(999_000_000_000L);
    }

    @Test
    void integerRanksShouldCatchTheRankComputedInDoubles() {
        // the check above is not vacuous: ceil(q*n) in doubles, the old formula, is wrong 141 times
        int wrong = 0;
        for (int k = 1; k <= 99; k++) {
            double q = k / 100.0;
            for (long n = 1; n <= MAX_N; n++) {
                if (Math.max(1, (long) Math.ceil(q * n)) != integerRank(k, n)) {
                    wrong++;
                }
            }
        }
        assertThat(wrong).isEqualTo(141);
    }

    @Test
    void shouldGiveTheValueAtTheExactRankForExactAndApproximatePercentiles() {
        double[] qs = new double[99];
        for (int k = 1; k <= 99; k++) {
            qs[k - 1] = k / 100.0;
        }
        double err = 0.01;
        for (int n = 1; n <= 300; n++) {
            // the values 1..n, added from the largest, so a value is its rank
            Percentiles exact = feed(Statistics.percentiles((Double v) -> v, qs), n);
            Percentiles approx = feed(Statistics.approximatePercentiles((Double v) -> v, err, qs), n);
            for (int k = 1; k <= 99; k++) {
                double expected = integerRank(k, n);
                assertThat(exact.valueAt(qs[k - 1])).as("exact q=%s n=%s", qs[k - 1], n).isEqualTo(expected);
                assertThat(Math.abs(approx.valueAt(qs[k - 1]) - expected)).as("approximate q=%s n=%s", qs[k - 1], n)
                        .isLessThanOrEqualTo(err * expected * (1 + 1e-9));
            }
        }
    }

    private static <A> Percentiles feed(Aggregator<Double, A, Percentiles> agg, int n) {
        A acc = agg.init();
        for (int v = n; v >= 1; v--) {
            acc = agg.add(acc, (double) v);
        }
        return agg.result(acc);
    }
}
