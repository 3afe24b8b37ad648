package io.runnel.benchmarks.data;

import java.io.Serializable;
import java.time.Duration;

/**
 * The parameters of the generated page-view data set; {@link PageViewGenerator} turns them into
 * events. Serializable so that a Flink job can carry it to its tasks and build the generator
 * there. Immutable.
 *
 * @param seed the seed every random choice derives from
 * @param users number of distinct users
 * @param activeUsersPerSlot users active in one slot; a user's events cluster in the slots it is
 *     active in, which makes real sessions (and gaps of more than 30 minutes between them)
 * @param slotMs length of a slot of activity
 * @param urls number of distinct urls, whose popularity follows a Zipf law
 * @param zipfExponent exponent of the url popularity law (1.0: the k-th url is k times rarer
 *     than the first)
 * @param startMs event time of the first event
 * @param eventsPerSecond events per second of event time
 * @param maxOutOfOrdernessMs the largest amount an event's time lies behind an earlier one's
 * @param lateFraction fraction of events delayed by a random amount up to the bound
 * @param botFraction fraction of events marked as bot traffic
 */
public record PageViewSpec(
        long seed,
        int users,
        int activeUsersPerSlot,
        long slotMs,
        int urls,
        double zipfExponent,
        long startMs,
        long eventsPerSecond,
        long maxOutOfOrdernessMs,
        double lateFraction,
        double botFraction)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** 2026-01-01T00:00:00Z: historical data, as people replay it (see ANCHORS.md on retention). */
    public static final long DEFAULT_START_MS = 1_767_225_600_000L;

    public PageViewSpec {
        check(users > 0, "users", users);
        check(activeUsersPerSlot > 0 && activeUsersPerSlot <= users, "activeUsersPerSlot", activeUsersPerSlot);
        check(slotMs > 0, "slotMs", slotMs);
        check(urls > 0, "urls", urls);
        check(zipfExponent >= 0, "zipfExponent", zipfExponent);
        check(eventsPerSecond > 0 && eventsPerSecond <= 1_000_000, "eventsPerSecond", eventsPerSecond);
        check(maxOutOfOrdernessMs >= 0, "maxOutOfOrdernessMs", maxOutOfOrdernessMs);
        check(lateFraction >= 0 && lateFraction <= 1, "lateFraction", lateFraction);
        check(botFraction >= 0 && botFraction <= 1, "botFraction", botFraction);
    }

    /**
     * The data set of the stream benchmarks: 100,000 users of which 2,000 are active per
     * 10-minute slot, 10,000 urls (Zipf 1.0), 500 events per second of event time, 10% of events
     * up to 5 s late, 2% bots.
     */
    public static PageViewSpec standard(long seed) {
        return new PageViewSpec(seed, 100_000, 2_000, Duration.ofMinutes(10).toMillis(), 10_000, 1.0,
                DEFAULT_START_MS, 500, 5_000, 0.10, 0.02);
    }

    public Duration maxOutOfOrderness() {
        return Duration.ofMillis(maxOutOfOrdernessMs);
    }

    private static void check(boolean ok, String name, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("invalid PageViewSpec." + name + "=" + value);
        }
    }
}
