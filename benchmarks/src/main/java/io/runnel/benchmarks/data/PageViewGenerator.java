package io.runnel.benchmarks.data;

import java.util.Arrays;

/**
 * Produces the {@code index}-th page view of a {@link PageViewSpec}, for any index, in any order,
 * from any thread: every choice derives from the seed and the index alone. Thread-safe
 * (immutable after construction).
 *
 * <p>Event time advances at {@code eventsPerSecond}; a fraction of events lies behind by up to
 * the out-of-orderness bound, so for any i &lt; j, {@code ts(i) - ts(j) <= maxOutOfOrdernessMs}
 * (also within any order-preserving subset, such as one partition). Users are drawn from the slot's
 * active set; urls from a Zipf law.
 */
public final class PageViewGenerator {

    private static final int TIME = 1;
    private static final int LATE = 2;
    private static final int USER = 3;
    private static final int URL = 4;
    private static final int BOT = 5;

    private final PageViewSpec spec;
    private final double[] urlCdf;
    private final String[] userNames;
    private final String[] urlPaths;

    public PageViewGenerator(PageViewSpec spec) {
        this.spec = spec;
        this.urlCdf = zipfCdf(spec.urls(), spec.zipfExponent());
        this.userNames = new String[spec.users()];
        for (int u = 0; u < userNames.length; u++) {
            userNames[u] = "user-" + u;
        }
        this.urlPaths = new String[spec.urls()];
        String[] sections = {"/products/", "/blog/", "/docs/", "/search/", "/cart/"};
        for (int u = 0; u < urlPaths.length; u++) {
            urlPaths[u] = sections[u % sections.length] + u;
        }
    }

    public PageViewSpec spec() {
        return spec;
    }

    public PageView at(long index) {
        return new PageView(timestampMs(index), userNames[userId(index)], urlPaths[urlId(index)], bot(index));
    }

    /** Event time before any delay: non-decreasing in the index. */
    public long baseTimeMs(long index) {
        return spec.startMs() + index * 1000 / spec.eventsPerSecond();
    }

    public long timestampMs(long index) {
        long base = baseTimeMs(index);
        long r = SplitMix.mix(spec.seed(), index, LATE);
        if (SplitMix.unit(r) >= spec.lateFraction() || spec.maxOutOfOrdernessMs() == 0) {
            return base;
        }
        long delay = Math.floorMod(SplitMix.mix(spec.seed(), index, TIME), spec.maxOutOfOrdernessMs() + 1);
        return base - delay;
    }

    public int userId(long index) {
        long slot = baseTimeMs(index) / spec.slotMs();
        long r = Math.floorMod(SplitMix.mix(spec.seed(), index, USER), (long) spec.activeUsersPerSlot());
        // The r-th active user of this slot: a pseudo-random user, the same for every event of the
        // slot that draws r, so a user's events cluster in the slots where it is active.
        return (int) Math.floorMod(SplitMix.combine(SplitMix.mix(spec.seed() ^ slot), r), (long) spec.users());
    }

    public int urlId(long index) {
        double u = SplitMix.unit(SplitMix.mix(spec.seed(), index, URL));
        int i = Arrays.binarySearch(urlCdf, u);
        int id = i >= 0 ? i + 1 : -i - 1;
        return Math.min(id, urlCdf.length - 1);
    }

    public boolean bot(long index) {
        return SplitMix.unit(SplitMix.mix(spec.seed(), index, BOT)) < spec.botFraction();
    }

    public String userName(int userId) {
        return userNames[userId];
    }

    public String urlPath(int urlId) {
        return urlPaths[urlId];
    }

    private static double[] zipfCdf(int n, double exponent) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1.0 / Math.pow(k + 1, exponent);
            cdf[k] = sum;
        }
        for (int k = 0; k < n; k++) {
            cdf[k] /= sum;
        }
        cdf[n - 1] = 1.0;
        return cdf;
    }
}
