package io.runnel.examples.appstats;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Test input for the app-stats jar and the independent computation of its tables, in plain Java (no
 * Runnel code): requests of a few services over two hours, with error bursts, fractional latencies
 * (many equal values too), arriving up to {@code maxDelayMs} out of order, with malformed lines.
 */
final class GeneratedRequests {

    private static final long MIN = 60_000;
    private static final String[][] ENDPOINTS = {{"shop", "/cart"}, {"shop", "/pay"}, {"shop", "/orders/:id"},
        {"search", "/q"}, {"search", "/suggest"}, {"auth", "/token"}};

    final List<Request> requests = new ArrayList<>();
    final Set<Long> malformedLines = new HashSet<>();
    long lines;

    private GeneratedRequests() {
    }

    static GeneratedRequests write(Path file, long seed, int approxRequests, long maxDelayMs) throws IOException {
        GeneratedRequests g = new GeneratedRequests();
        Random r = new Random(seed);
        long start = 1_741_000_000_000L / MIN * MIN + 13_000;
        long span = 2 * 60 * MIN;
        record Arrival(long at, Request request) {
        }
        List<Arrival> arrivals = new ArrayList<>();
        for (int i = 0; i < approxRequests; i++) {
            String[] e = ENDPOINTS[r.nextInt(ENDPOINTS.length)];
            long ts = start + (long) (r.nextDouble() * span);
            long minute = (ts - start) / MIN;
            double errorRate = minute % 17 == 3 ? 0.3 : minute % 23 == 5 ? 0.08 : 0.01; // bursts around the 10% threshold
            int status = r.nextDouble() < errorRate ? 500 + r.nextInt(4) : r.nextInt(20) == 0 ? 404 : 200;
            double latency = r.nextInt(5) == 0 ? 10 + r.nextInt(5) : Math.round(r.nextDouble() * 500_000) / 1000.0;
            Request req = new Request(ts, e[0], e[1], latency, status);
            arrivals.add(new Arrival(ts + r.nextInt((int) maxDelayMs + 1), req));
        }
        arrivals.sort(Comparator.comparingLong(Arrival::at));
        try (OutputStream out = Files.newOutputStream(file)) {
            for (Arrival a : arrivals) {
                if (r.nextInt(300) == 0) {
                    out.write(malformed(r).getBytes(StandardCharsets.UTF_8));
                    g.malformedLines.add(++g.lines);
                }
                Request q = a.request;
                out.write(("{\"ts\":" + q.ts() + ",\"service\":\"" + q.service() + "\",\"endpoint\":\"" + q.endpoint()
                        + "\",\"latencyMs\":" + q.latencyMs() + ",\"status\":" + q.status() + "}\n").getBytes(StandardCharsets.UTF_8));
                g.lines++;
                g.requests.add(q);
            }
        }
        return g;
    }

    private static String malformed(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> "{\"ts\":1741000000000,\"service\":\"shop\",\"endpoint\":\"/cart\",\"latencyMs\":3\n";
            case 1 -> "{\"ts\":1741000000000,\"service\":\"shop\",\"endpoint\":\"/cart\",\"latencyMs\":-3,\"status\":200}\n";
            case 2 -> "{\"ts\":1741000000000,\"service\":\"shop\",\"endpoint\":\"/cart\",\"latencyMs\":3,\"status\":\"OK\"}\n";
            case 3 -> "{\"ts\":1741000000000,\"endpoint\":\"/cart\",\"latencyMs\":3,\"status\":200}\n";
            default -> "GET /cart 200 3ms\n";
        };
    }

    /** {@code endpoint_stats} and {@code alerts} for an alert threshold of {@code thresholdPercent} percent. */
    Map<String, Set<List<Object>>> expectedTables(int thresholdPercent) {
        Map<List<Object>, List<Request>> windows = new HashMap<>();
        for (Request q : requests) {
            long minute = Math.floorDiv(q.ts(), MIN) * MIN;
            windows.computeIfAbsent(List.of(minute, q.service(), q.endpoint()), k -> new ArrayList<>()).add(q);
        }
        Set<List<Object>> stats = new HashSet<>();
        Set<List<Object>> alerts = new HashSet<>();
        windows.forEach((key, list) -> {
            long start = (Long) key.get(0);
            double[] sorted = list.stream().mapToDouble(Request::latencyMs).sorted().toArray();
            long n = sorted.length;
            long errors = list.stream().filter(q -> q.status() >= 500).count();
            stats.add(List.of(start, start + MIN, key.get(1), key.get(2), n, errors,
                    sorted[rank(50, n) - 1], sorted[rank(95, n) - 1], sorted[rank(99, n) - 1], sorted[(int) n - 1]));
            if (errors * 100 > thresholdPercent * n) { // errors / n > threshold, in integers
                alerts.add(List.of(start, start + MIN, key.get(1), key.get(2), n, errors, (double) errors / n, thresholdPercent / 100.0));
            }
        });
        return Map.of("endpoint_stats", stats, "alerts", alerts);
    }

    /** ceil(percent / 100 * n), 1-based, without floating point. */
    private static int rank(int percent, long n) {
        return (int) ((percent * n + 99) / 100);
    }
}
