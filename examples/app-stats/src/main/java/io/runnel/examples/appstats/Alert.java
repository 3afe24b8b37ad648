package io.runnel.examples.appstats;

import io.runnel.examples.common.ConsoleTable;
import java.util.Locale;

/**
 * A row of {@code alerts}: an endpoint whose error rate in a 1-minute window exceeded the threshold.
 * Key: (window_start, service, endpoint).
 */
public record Alert(long windowStart, long windowEnd, String service, String endpoint, long requests, long errors,
                    double errorRate, double threshold) {

    /**
     * The console line: {@code ALERT 2025-03-03 09:14 UTC checkout /pay: error rate 12.5% (25 of 200 requests) > 5.0%}
     * (the same in every locale).
     */
    public String consoleLine() {
        return String.format(Locale.ROOT, "ALERT %s UTC %s %s: error rate %.1f%% (%d of %d requests) > %.1f%%",
                ConsoleTable.utcMinute(windowStart), service, endpoint, errorRate * 100, errors, requests, threshold * 100);
    }
}
