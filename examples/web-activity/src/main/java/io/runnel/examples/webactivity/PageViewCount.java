package io.runnel.examples.webactivity;

/**
 * A row of {@code page_views}: views of one url in one 1-minute window {@code [windowStart, windowEnd)}.
 * Key: (window_start, url).
 */
public record PageViewCount(long windowStart, long windowEnd, String url, long views) {
}
