package io.runnel.examples.webactivity;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.examples.common.DatabaseTables;
import io.runnel.examples.common.JarProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web-activity jar serving {@code POST /events} ({@code --http}): events posted in two runs,
 * each stopped with SIGTERM, give exactly the tables an independent computation gives for the
 * windows the watermark has closed; the second run resumes the first's state (open windows
 * included).
 */
class WebActivityHttpIT {

    private static final long MIN = 60_000;
    private static final long HOUR = 60 * MIN;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private final Path jar = JarProcess.jar("webActivity.jar");
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void shouldComputeThePostedEventsAcrossAStopAndAResume() throws Exception {
        String db = "jdbc:sqlite:" + dir.resolve("out.db");
        Random random = new Random(5);
        long start = 1_741_000_000_000L / HOUR * HOUR;

        List<PageView> first = clicks(random, start, 1_500);
        List<PageView> flush1 = flush(start + 5 * HOUR);     // moves the watermark past every window of `first`
        serveAndPost(db, List.of(first, flush1), GeneratedClicks.expectedTables(first), true);

        List<PageView> second = clicks(random, start + 6 * HOUR, 1_500);
        List<PageView> flush2 = flush(start + 11 * HOUR);
        List<PageView> closed = new ArrayList<>(first);
        closed.addAll(flush1);                              // their windows close now
        closed.addAll(second);
        serveAndPost(db, List.of(second, flush2), GeneratedClicks.expectedTables(closed), false);
    }

    /** Starts the jar, posts the batches, waits for the expected tables, stops it with SIGTERM. */
    private void serveAndPost(String db, List<List<PageView>> batches, Map<String, Set<List<Object>>> expected, boolean withBadEvent)
            throws Exception {
        int port = freePort();
        JarProcess server = JarProcess.start(jar, dir, "--http", Integer.toString(port), "--jdbc", db, "--state-dir",
                dir.resolve("state").toString());
        try {
            awaitHealthy(port, server);
            for (List<PageView> batch : batches) {
                for (int i = 0; i < batch.size(); i += 500) {
                    post(port, batch.subList(i, Math.min(batch.size(), i + 500)));
                }
            }
            if (withBadEvent) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"ts\": " + (batches.get(0).get(0).ts()) + ", \"user\": \"u1\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200); // valid JSON: stored, then dead-lettered by the job
            }
            awaitTables(db, expected, server);
        } finally {
            server.terminate();
            assertThat(server.waitFor(TIMEOUT)).as("stops after SIGTERM").isTrue();
        }
        JarProcess.Result result = server.result();
        assertThat(result.exitCode()).as(result.output()).isEqualTo(143); // 128 + SIGTERM, after the final checkpoint
        assertThat(result.stdout()).contains("serving POST http://127.0.0.1:" + port + "/events", "stopped after a final checkpoint",
                "Top pages");
        for (String table : WebActivityJarIT.TABLES) {
            DatabaseTables.assertSameRows(table, DatabaseTables.read(db, table).get(table), expected.get(table));
        }
        List<String> deadLetters = Files.readAllLines(dir.resolve("state").resolve("dead-letters.jsonl"));
        assertThat(deadLetters).singleElement().satisfies(d -> assertThat(d).contains("\"position\":\"http-events/", "'url' is missing"));
    }

    private void awaitTables(String db, Map<String, Set<List<Object>>> expected, JarProcess server) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Map<String, List<List<Object>>> tables = DatabaseTables.read(db, WebActivityJarIT.TABLES);
            boolean done = true;
            for (String table : WebActivityJarIT.TABLES) {
                done &= new HashSet<>(tables.get(table)).equals(expected.get(table));
            }
            if (done) {
                return;
            }
            assertThat(server.isAlive()).as("the server runs").isTrue();
            assertThat(System.nanoTime()).as("the tables reach the expected rows within " + TIMEOUT).isLessThan(deadline);
            Thread.sleep(200); // polling a database another process writes: nothing to wait on
        }
    }

    private void awaitHealthy(int port, JarProcess server) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // the server is starting
            }
            assertThat(server.isAlive()).as("the server starts: " + server.result().output()).isTrue();
            assertThat(System.nanoTime()).as("the endpoint answers within " + TIMEOUT).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private void post(int port, List<PageView> events) throws Exception {
        StringBuilder body = new StringBuilder();
        for (PageView v : events) {
            body.append("{\"ts\":").append(v.ts()).append(",\"user\":\"").append(v.user()).append("\",\"url\":\"").append(v.url())
                    .append("\"}\n");
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events"))
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"stored\":" + events.size());
    }

    /** Page views over two hours from {@code start}, in time order but up to 3 s out of order. */
    private static List<PageView> clicks(Random random, long start, int n) {
        List<PageView> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long ts = start + i * (2 * HOUR / n) - random.nextInt(3_000);
            events.add(new PageView(Math.max(start, ts), "u" + random.nextInt(60), "/p/" + random.nextInt(15), "", ""));
        }
        return events;
    }

    /** Events of 50 users at {@code ts}: enough users that every partition of the topic gets some, so every watermark moves. */
    private static List<PageView> flush(long ts) {
        List<PageView> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(new PageView(ts, "flush-" + ts + "-" + i, "/flush", "", ""));
        }
        return events;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
