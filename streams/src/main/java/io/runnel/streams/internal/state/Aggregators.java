package io.runnel.streams.internal.state;

import io.runnel.streams.Aggregator;
import io.runnel.streams.Percentiles;
import io.runnel.streams.TopN;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
import java.util.function.DoubleBinaryOperator;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The built-in aggregators behind {@code count}, {@code reduce} and {@link io.runnel.streams.Statistics}.
 * Accumulators are small mutable classes (updated in place: no allocation per event) that Kryo can
 * write into checkpoints. All of them merge.
 */
public final class Aggregators {

    private Aggregators() {
    }

    /** An aggregator with a short label for the plan description. */
    public interface Labeled {
        String label();
    }

    /** Base: merging aggregator with a label. */
    private abstract static class Base<T, A, R> implements Aggregator<T, A, R>, Labeled {
        private final String label;

        Base(String label) {
            this.label = label;
        }

        @Override
        public boolean canMerge() {
            return true;
        }

        @Override
        public String label() {
            return label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** A mutable long. */
    public static final class LongAcc {
        public long value;
    }

    /** A mutable double with a count. */
    public static final class DoubleAcc {
        public double value;
        public long count;
    }

    /** A mutable reference (for reduce). */
    public static final class RefAcc {
        public Object value;
        public boolean set;
    }

    /** A growable array of doubles (exact percentiles). */
    public static final class DoubleList {
        public double[] values = new double[8];
        public int size;

        void add(double v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }
    }

    /** Counts per logarithmic bucket (approximate percentiles). */
    public static final class Buckets {
        public TreeMap<Integer, Long> positive = new TreeMap<>();
        public TreeMap<Integer, Long> negative = new TreeMap<>();
        public long zeros;
        public long count;
    }

    public static <T> Aggregator<T, LongAcc, Long> count() {
        return new Base<>("count") {
            @Override public LongAcc init() { return new LongAcc(); }
            @Override public LongAcc add(LongAcc a, T e) { a.value++; return a; }
            @Override public LongAcc merge(LongAcc a, LongAcc b) { a.value += b.value; return a; }
            @Override public Long result(LongAcc a) { return a.value; }
        };
    }

    @SuppressWarnings("unchecked") // the accumulator only ever holds T
    public static <T> Aggregator<T, RefAcc, T> reduce(BinaryOperator<T> op) {
        return new Base<>("reduce") {
            @Override public RefAcc init() { return new RefAcc(); }
            @Override public RefAcc add(RefAcc a, T e) {
                a.value = a.set ? op.apply((T) a.value, e) : e;
                a.set = true;
                return a;
            }
            @Override public RefAcc merge(RefAcc a, RefAcc b) {
                if (b.set) {
                    a.value = a.set ? op.apply((T) a.value, (T) b.value) : b.value;
                    a.set = true;
                }
                return a;
            }
            @Override public T result(RefAcc a) { return (T) a.value; }
        };
    }

    public static <T> Aggregator<T, DoubleAcc, Double> sum(ToDoubleFunction<? super T> f) {
        return new Base<>("sum") {
            @Override public DoubleAcc init() { return new DoubleAcc(); }
            @Override public DoubleAcc add(DoubleAcc a, T e) { a.value += f.applyAsDouble(e); a.count++; return a; }
            @Override public DoubleAcc merge(DoubleAcc a, DoubleAcc b) { a.value += b.value; a.count += b.count; return a; }
            @Override public Double result(DoubleAcc a) { return a.value; }
        };
    }

    public static <T> Aggregator<T, LongAcc, Long> sumLong(ToLongFunction<? super T> f) {
        return new Base<>("sumLong") {
            @Override public LongAcc init() { return new LongAcc(); }
            @Override public LongAcc add(LongAcc a, T e) { a.value = Math.addExact(a.value, f.applyAsLong(e)); return a; }
            @Override public LongAcc merge(LongAcc a, LongAcc b) { a.value = Math.addExact(a.value, b.value); return a; }
            @Override public Long result(LongAcc a) { return a.value; }
        };
    }

    public static <T> Aggregator<T, DoubleAcc, Double> min(ToDoubleFunction<? super T> f) {
        return extreme("min", f, Math::min);
    }

    public static <T> Aggregator<T, DoubleAcc, Double> max(ToDoubleFunction<? super T> f) {
        return extreme("max", f, Math::max);
    }

    private static <T> Aggregator<T, DoubleAcc, Double> extreme(String label, ToDoubleFunction<? super T> f,
                                                                DoubleBinaryOperator pick) {
        return new Base<>(label) {
            @Override public DoubleAcc init() { return new DoubleAcc(); }
            @Override public DoubleAcc add(DoubleAcc a, T e) {
                double v = f.applyAsDouble(e);
                a.value = a.count == 0 ? v : pick.applyAsDouble(a.value, v);
                a.count++;
                return a;
            }
            @Override public DoubleAcc merge(DoubleAcc a, DoubleAcc b) {
                if (b.count > 0) {
                    a.value = a.count == 0 ? b.value : pick.applyAsDouble(a.value, b.value);
                    a.count += b.count;
                }
                return a;
            }
            @Override public Double result(DoubleAcc a) { return a.count == 0 ? null : a.value; }
        };
    }

    public static <T> Aggregator<T, DoubleAcc, Double> average(ToDoubleFunction<? super T> f) {
        return new Base<>("average") {
            @Override public DoubleAcc init() { return new DoubleAcc(); }
            @Override public DoubleAcc add(DoubleAcc a, T e) { a.value += f.applyAsDouble(e); a.count++; return a; }
            @Override public DoubleAcc merge(DoubleAcc a, DoubleAcc b) { a.value += b.value; a.count += b.count; return a; }
            @Override public Double result(DoubleAcc a) { return a.count == 0 ? null : a.value / a.count; }
        };
    }

    public static <T> Aggregator<T, HashSet<Object>, Long> distinctCount(Function<? super T, ?> item) {
        return new Base<>("distinctCount") {
            @Override public HashSet<Object> init() { return new HashSet<>(); }
            @Override public HashSet<Object> add(HashSet<Object> a, T e) { a.add(item.apply(e)); return a; }
            @Override public HashSet<Object> merge(HashSet<Object> a, HashSet<Object> b) { a.addAll(b); return a; }
            @Override public Long result(HashSet<Object> a) { return (long) a.size(); }
        };
    }

    public static <T> Aggregator<T, DoubleList, Percentiles> exactPercentiles(ToDoubleFunction<? super T> f, double[] quantiles) {
        return new Base<>("percentiles" + Arrays.toString(quantiles)) {
            @Override public DoubleList init() { return new DoubleList(); }
            @Override public DoubleList add(DoubleList a, T e) { a.add(f.applyAsDouble(e)); return a; }
            @Override public DoubleList merge(DoubleList a, DoubleList b) {
                for (int i = 0; i < b.size; i++) {
                    a.add(b.values[i]);
                }
                return a;
            }
            @Override public Percentiles result(DoubleList a) {
                double[] sorted = Arrays.copyOf(a.values, a.size);
                Arrays.sort(sorted);
                double[] out = new double[quantiles.length];
                for (int i = 0; i < quantiles.length; i++) {
                    out[i] = sorted.length == 0 ? Double.NaN : sorted[(int) nearestRank(quantiles[i], sorted.length) - 1];
                }
                return new Percentiles(quantiles, out, a.size, 0);
            }
        };
    }

    /**
     * The 1-based nearest rank of quantile {@code q} among {@code n} values: {@code max(1, ceil(q*n))},
     * with q taken as the decimal it was written as ({@link BigDecimal#valueOf(double)}) and the product
     * exact. In doubles, 0.07 * 100 is 7.000000000000001, whose ceiling is rank 8, not 7.
     */
    public static long nearestRank(double q, long n) {
        long rank = BigDecimal.valueOf(q).multiply(BigDecimal.valueOf(n)).setScale(0, RoundingMode.CEILING).longValueExact();
        return Math.max(1, rank);
    }

    public static <T> Aggregator<T, Buckets, Percentiles> approximatePercentiles(ToDoubleFunction<? super T> f,
                                                                               double relativeError, double[] quantiles) {
        // Logarithmic buckets (the DDSketch idea): bucket i holds (gamma^(i-1), gamma^i]; its midpoint
        // 2*gamma^i/(gamma+1) is within relativeError of every value in it.
        double gamma = (1 + relativeError) / (1 - relativeError);
        double logGamma = Math.log(gamma);
        return new Base<>("approximatePercentiles(" + relativeError + ")" + Arrays.toString(quantiles)) {
            @Override public Buckets init() { return new Buckets(); }
            @Override public Buckets add(Buckets a, T e) {
                double v = f.applyAsDouble(e);
                if (v == 0 || Double.isNaN(v)) {
                    a.zeros++;
                } else {
                    int i = (int) Math.ceil(Math.log(Math.abs(v)) / logGamma);
                    (v > 0 ? a.positive : a.negative).merge(i, 1L, Long::sum);
                }
                a.count++;
                return a;
            }
            @Override public Buckets merge(Buckets a, Buckets b) {
                b.positive.forEach((k, c) -> a.positive.merge(k, c, Long::sum));
                b.negative.forEach((k, c) -> a.negative.merge(k, c, Long::sum));
                a.zeros += b.zeros;
                a.count += b.count;
                return a;
            }
            @Override public Percentiles result(Buckets a) {
                double[] out = new double[quantiles.length];
                for (int qi = 0; qi < quantiles.length; qi++) {
                    out[qi] = a.count == 0 ? Double.NaN : valueAtRank(a, nearestRank(quantiles[qi], a.count));
                }
                return new Percentiles(quantiles, out, a.count, relativeError);
            }

            private double valueAtRank(Buckets a, long rank) {
                long seen = 0;
                for (Map.Entry<Integer, Long> b : a.negative.descendingMap().entrySet()) {
                    seen += b.getValue();
                    if (seen >= rank) {
                        return -2 * Math.pow(gamma, b.getKey()) / (gamma + 1);
                    }
                }
                seen += a.zeros;
                if (seen >= rank) {
                    return 0;
                }
                for (Map.Entry<Integer, Long> b : a.positive.entrySet()) {
                    seen += b.getValue();
                    if (seen >= rank) {
                        return 2 * Math.pow(gamma, b.getKey()) / (gamma + 1);
                    }
                }
                throw new IllegalStateException("rank " + rank + " beyond count " + a.count);
            }
        };
    }

    @SuppressWarnings("unchecked") // the map holds only items produced by the item function
    public static <T, V extends Comparable<? super V>> Aggregator<T, HashMap<Object, LongAcc>, TopN<V>> topN(
            int n, Function<? super T, ? extends V> item) {
        return new Base<>("topN(" + n + ")") {
            @Override public HashMap<Object, LongAcc> init() { return new HashMap<>(); }
            @Override public HashMap<Object, LongAcc> add(HashMap<Object, LongAcc> a, T e) {
                a.computeIfAbsent(item.apply(e), k -> new LongAcc()).value++;
                return a;
            }
            @Override public HashMap<Object, LongAcc> merge(HashMap<Object, LongAcc> a, HashMap<Object, LongAcc> b) {
                b.forEach((k, c) -> a.computeIfAbsent(k, x -> new LongAcc()).value += c.value);
                return a;
            }
            @Override public TopN<V> result(HashMap<Object, LongAcc> a) {
                List<TopN.Entry<V>> all = new ArrayList<>(a.size());
                a.forEach((k, c) -> all.add(new TopN.Entry<>((V) k, c.value)));
                all.sort(Comparator.<TopN.Entry<V>>comparingLong(TopN.Entry::count).reversed()
                        .thenComparing(TopN.Entry::item, Comparator.nullsFirst(Comparator.naturalOrder())));
                return new TopN<>(all.subList(0, Math.min(n, all.size())));
            }
        };
    }
}
