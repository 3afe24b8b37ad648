package io.runnel.examples.appstats;

/**
 * A row of {@code endpoint_stats}: one endpoint's requests in one 1-minute window
 * {@code [windowStart, windowEnd)}. {@code errors} counts status >= 500; the percentiles are exact
 * nearest-rank (the latency at rank ceil(q * n) of the n latencies sorted ascending), in
 * milliseconds. Key: (window_start, service, endpoint).
 */
public record EndpointStats(long windowStart, long windowEnd, String service, String endpoint, long requests, long errors,
                            double p50, double p95, double p99, double maxLatency) {

    /** {@code errors / requests}. */
    public double errorRate() {
        return requests == 0 ? 0 : (double) errors / requests;
    }
}
