package io.runnel.examples.webactivity;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Test input for the web-activity jar and the independent computation of its tables, in plain
 * Java (no Runnel code): page views of many users over a few hours, arriving up to
 * {@code maxDelayMs} out of order, with malformed lines of every kind, blank lines and CRLF endings
 * mixed in. Users pause exactly 30 minutes now and then (the session rule's edge) and events fall on
 * window boundaries.
 */
final class GeneratedClicks {

    private static final long MIN = 60_000;
    private static final long HOUR = 60 * MIN;
    private static final long GAP = 30 * MIN;

    /** The valid events, as the test knows them. */
    final List<PageView> events = new ArrayList<>();
    /** Line numbers (1-based) of the malformed lines written. */
    final Set<Long> malformedLines = new HashSet<>();
    /** Non-blank lines written. */
    long nonBlankLines;

    private GeneratedClicks() {
    }

    /** Writes about {@code approxEvents} page views to {@code file}. */
    static GeneratedClicks write(Path file, long seed, int approxEvents, long maxDelayMs) throws IOException {
        GeneratedClicks g = new GeneratedClicks();
        Random r = new Random(seed);
        long start = 1_741_000_000_000L / HOUR * HOUR + 7 * MIN; // an odd start: windows do not begin with the data
        int users = Math.max(10, approxEvents / 25);
        record Arrival(long at, PageView view) {
        }
        List<Arrival> arrivals = new ArrayList<>();
        while (arrivals.size() < approxEvents) {
            String user = "u" + r.nextInt(users);
            long ts = start + (long) (r.nextDouble() * 3 * HOUR);
            int pages = 1 + r.nextInt(12);
            for (int p = 0; p < pages; p++) {
                String url = r.nextInt(4) == 0 ? "/" : "/p/" + (int) Math.pow(60, r.nextDouble());
                if (r.nextInt(50) == 0) {
                    ts = ts / MIN * MIN; // exactly on a minute (sometimes an hour) boundary
                }
                PageView v = new PageView(ts, user, url, p == 0 ? "" : "https://site.example/x", "ua-" + r.nextInt(3));
                arrivals.add(new Arrival(ts + r.nextInt((int) maxDelayMs + 1), v));
                int pause = r.nextInt(100);
                ts += pause < 3 ? GAP : pause < 5 ? GAP + 1 : pause < 8 ? GAP + 60_000 : 1_000 + r.nextInt(5 * 60_000);
            }
        }
        arrivals.sort(Comparator.comparingLong(Arrival::at));
        try (OutputStream out = Files.newOutputStream(file)) {
            long line = 0;
            for (Arrival a : arrivals) {
                if (r.nextInt(400) == 0) {
                    out.write(malformed(r));
                    out.write('\n');
                    g.malformedLines.add(++line);
                    g.nonBlankLines++;
                }
                if (r.nextInt(1000) == 0) {
                    out.write("   \n".getBytes(StandardCharsets.UTF_8));
                    line++;
                }
                PageView v = a.view;
                out.write(("{\"ts\":" + v.ts() + ",\"user\":\"" + v.user() + "\",\"url\":\"" + v.url() + "\",\"referrer\":\""
                        + v.referrer() + "\",\"userAgent\":\"" + v.userAgent() + "\"}" + (r.nextInt(30) == 0 ? "\r\n" : "\n"))
                        .getBytes(StandardCharsets.UTF_8));
                line++;
                g.nonBlankLines++;
                g.events.add(v);
            }
            byte[] tooLong = new byte[600 * 1024];
            Arrays.fill(tooLong, (byte) 'x');
            out.write(tooLong);
            out.write('\n');
            g.malformedLines.add(++line);
            g.nonBlankLines++;
        }
        return g;
    }

    private static byte[] malformed(Random r) {
        String s = switch (r.nextInt(7)) {
            case 0 -> "{\"ts\":1741000000000,\"user\":\"u1\",\"url\":\"/p/1\"";     // cut short
            case 1 -> "{\"user\":\"u1\",\"url\":\"/p/1\"}";                          // no ts
            case 2 -> "{\"ts\":\"yesterday\",\"user\":\"u1\",\"url\":\"/p/1\"}";     // ts not a number
            case 3 -> "[\"not\", \"an\", \"object\"]";
            case 4 -> "{\"ts\":1741000000000,\"user\":\"u1\",\"url\":\"/p/1\"} and more";
            case 5 -> "{\"ts\":1741000000000,\"user\":\"\",\"url\":\"/p/1\"}";      // empty user
            default -> null;
        };
        return s != null ? s.getBytes(StandardCharsets.UTF_8)
                : new byte[] {'{', '"', 'u', 's', 'e', 'r', '"', ':', '"', (byte) 0xc3, (byte) 0x28, '"', '}'}; // invalid UTF-8
    }

    /** The four tables of the events written, computed directly: rows as column values in table order. */
    Map<String, Set<List<Object>>> expectedTables() {
        return expectedTables(events);
    }

    /** The four tables of {@code events} (all of them on time), computed directly. */
    static Map<String, Set<List<Object>>> expectedTables(List<PageView> events) {
        Map<String, Set<List<Object>>> tables = new TreeMap<>();
        Map<List<Object>, Long> perMinute = new HashMap<>();
        Map<Long, Set<String>> usersPerHour = new TreeMap<>();
        Map<Long, Map<String, Long>> urlsPerHour = new TreeMap<>();
        Map<String, List<Long>> timesPerUser = new HashMap<>();
        for (PageView v : events) {
            long minute = Math.floorDiv(v.ts(), MIN) * MIN;
            long hour = Math.floorDiv(v.ts(), HOUR) * HOUR;
            perMinute.merge(List.of(minute, v.url()), 1L, Long::sum);
            usersPerHour.computeIfAbsent(hour, h -> new HashSet<>()).add(v.user());
            urlsPerHour.computeIfAbsent(hour, h -> new HashMap<>()).merge(v.url(), 1L, Long::sum);
            timesPerUser.computeIfAbsent(v.user(), u -> new ArrayList<>()).add(v.ts());
        }
        Set<List<Object>> pageViews = new HashSet<>();
        perMinute.forEach((k, n) -> pageViews.add(List.of(k.get(0), (Long) k.get(0) + MIN, k.get(1), n)));
        tables.put("page_views", pageViews);

        Set<List<Object>> visitors = new HashSet<>();
        usersPerHour.forEach((h, users) -> visitors.add(List.of(h, h + HOUR, (long) users.size())));
        tables.put("unique_visitors", visitors);

        Set<List<Object>> top = new HashSet<>();
        urlsPerHour.forEach((h, counts) -> {
            List<Map.Entry<String, Long>> ranked = new ArrayList<>(counts.entrySet());
            ranked.sort((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey()) : Long.compare(b.getValue(), a.getValue()));
            for (int i = 0; i < Math.min(10, ranked.size()); i++) {
                top.add(List.of(h, h + HOUR, (long) (i + 1), ranked.get(i).getKey(), ranked.get(i).getValue()));
            }
        });
        tables.put("top_pages", top);

        Set<List<Object>> sessions = new HashSet<>();
        timesPerUser.forEach((user, times) -> {
            times.sort(null);
            long first = times.get(0);
            long last = first;
            long count = 0;
            for (long t : times) {
                if (t - last > GAP) { // more than 30 minutes after the previous event: a new session
                    sessions.add(List.of(user, first, last + GAP, count));
                    first = t;
                    count = 0;
                }
                last = t;
                count++;
            }
            sessions.add(List.of(user, first, last + GAP, count));
        });
        tables.put("sessions", sessions);
        return tables;
    }
}
