package io.runnel.examples.webactivity;

/**
 * A row of {@code unique_visitors}: the exact number of distinct users in one 1-hour window
 * {@code [windowStart, windowEnd)}. Key: (window_start).
 */
public record UniqueVisitors(long windowStart, long windowEnd, long visitors) {
}
