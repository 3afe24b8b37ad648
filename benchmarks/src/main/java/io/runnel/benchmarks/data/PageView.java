package io.runnel.benchmarks.data;

/**
 * A page view of the benchmark data set.
 *
 * @param timestampMs event time, epoch milliseconds
 * @param user the visitor id
 * @param url the page path
 * @param bot true for traffic of crawlers, which the window workload filters out
 */
public record PageView(long timestampMs, String user, String url, boolean bot) {}
