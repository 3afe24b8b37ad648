package io.runnel.examples.webactivity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.examples.common.LineInput;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A synthetic clickstream of a web shop, deterministic from a seed: the demo's input.
 *
 * <p>Each visitor comes one or more times; a visit lands on a page from a search engine, a link or
 * directly, then browses a few pages (products follow a Zipf-like popularity) with pauses of
 * seconds to minutes, now and then a long one (some over the 30-minute session gap, some under).
 * Events arrive up to 2 seconds out of order (as beacons from many browsers do), within the job's
 * default 5-second bound. About one line in 20,000 is a beacon cut short (malformed JSON), as real
 * logs have. {@link java.util.Random} and {@link StrictMath} are specified exactly, so a seed gives the same lines on
 * every JVM.
 */
public final class Clickstream {

    /** The demo's settings. */
    public static final long DEMO_SEED = 42;
    public static final int DEMO_USERS = 6_000;
    public static final Duration DEMO_SPAN = Duration.ofHours(4);
    /** Monday 3 March 2025, 08:00 UTC: the demo's traffic starts here. */
    public static final long DEMO_START_MS = Instant.parse("2025-03-03T08:00:00Z").toEpochMilli();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PRODUCTS = 150;
    private static final String[] POSTS = {"spring-collection", "care-guide", "size-chart", "behind-the-seams", "gift-ideas",
        "sustainability", "new-in-store", "customer-stories"};
    private static final String[] SEARCHES = {"shoes", "jacket", "red+dress", "socks", "gift+card", "rain+coat"};
    private static final String[] ENTRY_REFERRERS = {"https://www.google.com/", "https://www.bing.com/", "https://duckduckgo.com/",
        "https://news.example.org/best-shops", "https://social.example.com/", "", "", ""};
    private static final String[] USER_AGENTS = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
        "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36"};
    private static final String SITE = "https://shop.example";

    private Clickstream() {
    }

    /** The demo's input: {@link #DEMO_USERS} visitors over {@link #DEMO_SPAN} from {@link #DEMO_START_MS}, seed {@link #DEMO_SEED}. */
    public static LineInput demo() {
        return LineInput.generated("demo-clickstream",
                "clickstream v1 seed=" + DEMO_SEED + " users=" + DEMO_USERS + " span=" + DEMO_SPAN + " start=" + DEMO_START_MS,
                () -> lines(DEMO_SEED, DEMO_USERS, DEMO_SPAN, DEMO_START_MS).iterator());
    }

    /** The clickstream's lines in arrival order: one JSON page view per line (and a few cut-short ones). */
    public static List<String> lines(long seed, int users, Duration span, long startMs) {
        Random random = new Random(seed);
        long endMs = startMs + span.toMillis();
        List<Arrival> arrivals = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            String user = String.format("user-%05d", u);
            String agent = USER_AGENTS[random.nextInt(USER_AGENTS.length)];
            int visits = 1 + geometric(random, 0.45);
            for (int v = 0; v < visits; v++) {
                long ts = startMs + (long) (random.nextDouble() * (span.toMillis() - 600_000));
                String referrer = ENTRY_REFERRERS[random.nextInt(ENTRY_REFERRERS.length)];
                String url = entryPage(random);
                int pages = 1 + geometric(random, 0.18);
                for (int p = 0; p < pages && ts < endMs; p++) {
                    String line = json(ts, user, url, referrer, agent);
                    arrivals.add(new Arrival(ts + random.nextInt(2_000), arrivals.size(), line));
                    referrer = SITE + url;
                    url = nextPage(random, url);
                    ts += pause(random);
                }
            }
        }
        arrivals.sort(Comparator.comparingLong(Arrival::arrivalMs).thenComparingLong(Arrival::index));
        List<String> lines = new ArrayList<>(arrivals.size());
        for (Arrival a : arrivals) {
            boolean cutShort = random.nextInt(20_000) == 0;
            lines.add(cutShort ? a.line.substring(0, a.line.length() / 2) : a.line);
        }
        return lines;
    }

    private record Arrival(long arrivalMs, long index, String line) {
    }

    private static String json(long ts, String user, String url, String referrer, String agent) {
        try {
            return JSON.writeValueAsString(new PageView(ts, user, url, referrer, agent));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Milliseconds to the next page: mostly seconds to a few minutes, sometimes a long break around the session gap. */
    private static long pause(Random random) {
        if (random.nextInt(40) == 0) {
            return 20 * 60_000L + random.nextInt(20 * 60_000); // 20 to 40 minutes: some sessions end, some go on
        }
        return 1_000L + (long) (-StrictMath.log(1 - random.nextDouble()) * 45_000);
    }

    private static String entryPage(Random random) {
        int r = random.nextInt(100);
        if (r < 35) {
            return "/";
        }
        if (r < 75) {
            return product(random);
        }
        if (r < 90) {
            return "/blog/" + POSTS[random.nextInt(POSTS.length)];
        }
        return "/search?q=" + SEARCHES[random.nextInt(SEARCHES.length)];
    }

    private static String nextPage(Random random, String current) {
        if (current.equals("/cart")) {
            return random.nextInt(3) == 0 ? "/checkout" : product(random);
        }
        if (current.equals("/checkout")) {
            return random.nextInt(2) == 0 ? "/checkout/done" : "/cart";
        }
        int r = random.nextInt(100);
        if (r < 50) {
            return product(random);
        }
        if (r < 62) {
            return "/products";
        }
        if (r < 74) {
            return "/cart";
        }
        if (r < 82) {
            return "/";
        }
        if (r < 90) {
            return "/search?q=" + SEARCHES[random.nextInt(SEARCHES.length)];
        }
        if (r < 96) {
            return "/blog/" + POSTS[random.nextInt(POSTS.length)];
        }
        return random.nextInt(2) == 0 ? "/help" : "/about";
    }

    /** A product page, popular ones far more often (rank r with weight about 1/r). */
    private static String product(Random random) {
        double x = random.nextDouble();
        int rank = (int) StrictMath.floor(StrictMath.pow(PRODUCTS + 1, x)); // log-uniform: P(rank) ~ 1/rank
        return "/products/" + Math.max(1, Math.min(PRODUCTS, rank));
    }

    /** Failures before the first success, success probability {@code p}. */
    private static int geometric(Random random, double p) {
        return (int) StrictMath.floor(StrictMath.log(1 - random.nextDouble()) / StrictMath.log(1 - p));
    }
}
