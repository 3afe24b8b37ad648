package io.runnel.examples.appstats;

import io.runnel.streams.Aggregator;
import io.runnel.streams.Percentiles;
import io.runnel.streams.Statistics;

/**
 * A window's request statistics: the count, the errors (status >= 500) and the exact nearest-rank
 * p50, p95, p99 and maximum of the latencies. The latencies go to {@link Statistics#percentiles}
 * (the maximum is its 100th percentile: rank ceil(1.0 * n) = n); the errors are counted alongside.
 * Used by one task thread at a time, like every aggregator.
 *
 * @param <A> the percentile aggregator's accumulator
 */
final class RequestStatistics<A> implements Aggregator<Request, RequestStatistics.Accumulator<A>, RequestStatistics.Result> {

    /** The quantiles kept, in this order. */
    static final double[] QUANTILES = {0.50, 0.95, 0.99, 1.0};

    private final Aggregator<Request, A, Percentiles> latencies;

    private RequestStatistics(Aggregator<Request, A, Percentiles> latencies) {
        this.latencies = latencies;
    }

    static RequestStatistics<?> create() {
        return new RequestStatistics<>(Statistics.percentiles(Request::latencyMs, QUANTILES));
    }

    /** The statistics of one window. */
    record Result(long requests, long errors, double p50, double p95, double p99, double maxLatency) {
    }

    /** What a window keeps: every latency (in the percentile accumulator) and the error count. Plain data, for checkpoints. */
    static final class Accumulator<A> {
        A latencies;
        long errors;

        Accumulator(A latencies) {
            this.latencies = latencies;
        }
    }

    @Override
    public Accumulator<A> init() {
        return new Accumulator<>(latencies.init());
    }

    @Override
    public Accumulator<A> add(Accumulator<A> acc, Request request) {
        acc.latencies = latencies.add(acc.latencies, request);
        if (request.isError()) {
            acc.errors++;
        }
        return acc;
    }

    @Override
    public Accumulator<A> merge(Accumulator<A> first, Accumulator<A> second) {
        first.latencies = latencies.merge(first.latencies, second.latencies);
        first.errors += second.errors;
        return first;
    }

    @Override
    public boolean canMerge() {
        return latencies.canMerge();
    }

    @Override
    public Result result(Accumulator<A> acc) {
        Percentiles p = latencies.result(acc.latencies);
        return new Result(p.count(), acc.errors, p.valueAt(0.50), p.valueAt(0.95), p.valueAt(0.99), p.valueAt(1.0));
    }
}
