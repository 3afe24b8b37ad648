package io.runnel.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * A progress line on stderr at most once per interval, with the rate over the last interval:
 * {@code produce: 120000 lines read, 119500 acknowledged, 60214 records/s}. Not thread-safe:
 * call {@link #update} from the working thread.
 */
final class Progress {
    private final PrintStream err;
    private final Clock clock;
    private final long intervalMs;
    private final String what;
    private long lastMs;
    private long lastCount;

    Progress(PrintStream err, Clock clock, Duration interval, String what) {
        this.err = err;
        this.clock = clock;
        this.intervalMs = interval.toMillis();
        this.what = what;
        this.lastMs = clock.millis();
    }

    /**
     * Prints a line if an interval has passed since the last one.
     *
     * @param count  the running total the rate is computed from
     * @param detail the line's text after the command name
     */
    void update(long count, java.util.function.LongFunction<String> detail) {
        long now = clock.millis();
        long elapsed = now - lastMs;
        if (elapsed < intervalMs) {
            return;
        }
        double rate = (count - lastCount) * 1000.0 / Math.max(1, elapsed);
        err.println(String.format(Locale.ROOT, "%s: %s, %.0f records/s", what, detail.apply(count), rate));
        err.flush();
        lastMs = now;
        lastCount = count;
    }
}
