package io.runnel.examples.appstats;

import io.runnel.examples.common.LineInput;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Synthetic request logs of a small shop's services, deterministic from a seed: the demo's input.
 *
 * <p>Each endpoint gets requests at its own rate with log-normal latencies around its own median
 * and a few client (4xx) and server (5xx) errors. Three incidents make the demo interesting: the
 * payment endpoint fails for a few minutes (its error rate well over 5%: alerts), search slows down
 * for a while (p99 climbs), and the token endpoint has a short burst of 503s. Lines arrive up to 2
 * seconds out of order; about one in 20,000 is cut short. {@link Random} and {@link StrictMath} are
 * specified exactly, so a seed gives the same lines on every JVM.
 */
public final class RequestLog {

    public static final long DEMO_SEED = 7;
    public static final Duration DEMO_SPAN = Duration.ofHours(3);
    /** Monday 3 March 2025, 08:00 UTC. */
    public static final long DEMO_START_MS = Instant.parse("2025-03-03T08:00:00Z").toEpochMilli();

    /** An endpoint's traffic: requests per second and median latency in ms. */
    private record Traffic(String service, String endpoint, double perSecond, double medianMs) {
    }

    private static final Traffic[] TRAFFIC = {
        new Traffic("catalog", "/products", 2.0, 18),
        new Traffic("catalog", "/products/:id", 2.5, 12),
        new Traffic("search", "/search", 1.5, 45),
        new Traffic("search", "/suggest", 1.0, 8),
        new Traffic("checkout", "/cart", 0.8, 25),
        new Traffic("checkout", "/pay", 0.8, 180),
        new Traffic("checkout", "/orders/:id", 0.8, 30),
        new Traffic("auth", "/login", 1.0, 60),
        new Traffic("auth", "/token", 0.9, 5),
    };

    private RequestLog() {
    }

    /** The demo's input: {@link #DEMO_SPAN} of traffic from {@link #DEMO_START_MS}, seed {@link #DEMO_SEED}. */
    public static LineInput demo() {
        return LineInput.generated("demo-request-log", "request-log v1 seed=" + DEMO_SEED + " span=" + DEMO_SPAN + " start=" + DEMO_START_MS,
                () -> lines(DEMO_SEED, DEMO_SPAN, DEMO_START_MS).iterator());
    }

    /** The request log's lines in arrival order. */
    public static List<String> lines(long seed, Duration span, long startMs) {
        Random random = new Random(seed);
        long endMs = startMs + span.toMillis();
        List<Arrival> arrivals = new ArrayList<>();
        for (Traffic t : TRAFFIC) {
            double meanGapMs = 1000 / t.perSecond;
            for (long ts = startMs + (long) exponential(random, meanGapMs); ts < endMs; ts += 1 + (long) exponential(random, meanGapMs)) {
                long minute = (ts - startMs) / 60_000;
                double latency = t.medianMs * StrictMath.exp(0.6 * random.nextGaussian()) * slowdown(t, minute);
                int status = status(random, t, minute);
                double rounded = StrictMath.round(latency * 1000) / 1000.0; // microseconds, as logs print them
                arrivals.add(new Arrival(ts + random.nextInt(2_000), arrivals.size(), json(ts, t, rounded, status)));
            }
        }
        arrivals.sort(Comparator.comparingLong(Arrival::arrivalMs).thenComparingLong(Arrival::index));
        List<String> lines = new ArrayList<>(arrivals.size());
        for (Arrival a : arrivals) {
            lines.add(random.nextInt(20_000) == 0 ? a.line.substring(0, a.line.length() / 2) : a.line);
        }
        return lines;
    }

    private record Arrival(long arrivalMs, long index, String line) {
    }

    /** Search is slow from minute 100 to 112. */
    private static double slowdown(Traffic t, long minute) {
        return t.endpoint.equals("/search") && minute >= 100 && minute < 112 ? 6 : 1;
    }

    private static int status(Random random, Traffic t, long minute) {
        double serverErrors = 0.002;
        if (t.endpoint.equals("/pay") && minute >= 72 && minute < 80) {
            serverErrors = 0.25; // the payment provider is down
        } else if (t.endpoint.equals("/token") && minute >= 140 && minute < 143) {
            serverErrors = 0.12; // a short burst of 503s
        }
        double r = random.nextDouble();
        if (r < serverErrors) {
            return random.nextInt(4) == 0 ? 500 : 503;
        }
        if (r < serverErrors + 0.02) {
            return random.nextInt(3) == 0 ? 401 : 404;
        }
        return t.endpoint.equals("/pay") || t.endpoint.equals("/login") ? 201 : 200;
    }

    /** The log line (names are plain ASCII constants: nothing to escape). */
    private static String json(long ts, Traffic t, double latencyMs, int status) {
        return "{\"ts\":" + ts + ",\"service\":\"" + t.service + "\",\"endpoint\":\"" + t.endpoint + "\",\"latencyMs\":"
                + latencyMs + ",\"status\":" + status + "}";
    }

    private static double exponential(Random random, double mean) {
        return -StrictMath.log(1 - random.nextDouble()) * mean;
    }
}
