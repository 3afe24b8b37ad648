package io.runnel.examples.webactivity;

/**
 * A row of {@code top_pages}: the url at {@code rank} (1 = most views, ties by url ascending) among
 * the 10 most viewed of one 1-hour window. Key: (window_start, rank).
 */
public record TopPage(long windowStart, long windowEnd, int rank, String url, long views) {
}
