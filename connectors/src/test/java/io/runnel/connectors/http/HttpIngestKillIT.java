package io.runnel.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.log.Log;
import java.io.IOException;
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
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the ingest server while clients post: a child JVM serves {@code POST /events} on a
 * log under FSYNC; two clients send requests of 50 events, each with its own Idempotency-Key, and
 * resend a request (same key, same body) until it is answered 200, across the server's deaths;
 * the parent kills the server with SIGKILL 10+ times at random moments and starts it again. Pass:
 * every event of every request is in the topic exactly once (the keys, and which events of a
 * request were stored, come back from the topic after each restart).
 */
class HttpIngestKillIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static final int EVENTS_PER_REQUEST = 50;

    /** What a run left in the topic. */
    private record Outcome(int killed, long duplicates, int distinct) {
    }

    @Test
    void shouldStoreEveryEventExactlyOnceAcrossServerKills() throws Exception {
        int kills = Integer.getInteger("runnel.test.http.kills", 10);
        int requests = Integer.getInteger("runnel.test.http.requests", 2_000);
        Outcome o = run(kills, requests, true);
        assertThat(o.killed()).as("kills while clients were posting").isGreaterThanOrEqualTo(Math.min(kills, 10));
        assertThat(o.duplicates()).as("events stored twice").isZero();
        assertThat(o.distinct()).as("distinct events stored").isEqualTo(requests * EVENTS_PER_REQUEST);
    }

    /** The oracle is able to fail: without Idempotency-Keys, requests resent after a kill are stored twice. */
    @Test
    void checkerShouldSeeDuplicatesWithoutIdempotencyKeys() throws Exception {
        Outcome o = run(10, 2_000, false);
        assertThat(o.duplicates()).as("events stored twice").isPositive();
    }

    private Outcome run(int kills, int requests, boolean idempotency) throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("HttpIngestKillIT seed=" + seed + " (re-run with -Dseed=" + seed + ")");
        Random random = new Random(seed);
        int eventsPerRequest = EVENTS_PER_REQUEST;
        Path dir = tmp.resolve("log");
        Path portFile = tmp.resolve("port");
        AtomicInteger next = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Process server = start(dir, portFile, 0, idempotency);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            Thread t = new Thread(() -> {
                try {
                    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                    int r;
                    while ((r = next.getAndIncrement()) < requests) {
                        send(http, portFile, r, eventsPerRequest);
                        answered.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            t.start();
            clients.add(t);
        }
        int killed = 0;
        for (int k = 0; k < kills && failure.get() == null; k++) {
            awaitPort(portFile);
            int before = answered.get();
            Thread.sleep(100 + random.nextInt(600));
            if (answered.get() >= requests) {
                break;
            }
            server.destroyForcibly().waitFor();
            killed++;
            System.out.printf("kill %d after %d requests answered (%d in this run)%n", killed, answered.get(),
                    answered.get() - before);
            Files.deleteIfExists(portFile);
            server = start(dir, portFile, k + 1, idempotency);
        }
        for (Thread t : clients) {
            t.join(Duration.ofMinutes(5).toMillis());
        }
        server.destroyForcibly().waitFor();
        assertThat(failure.get()).as("client failure").isNull();
        assertThat(answered.get()).isEqualTo(requests);

        Set<Long> seen = new HashSet<>();
        long duplicates = 0;
        try (Log log = Log.open(dir)) {
            for (JsonNode e : HttpIngestTest.readTopic(log, "events")) {
                if (!seen.add(e.get("r").asLong() * eventsPerRequest + e.get("e").asLong())) {
                    duplicates++;
                }
            }
        }
        return new Outcome(killed, duplicates, seen.size());
    }

    private Process start(Path dir, Path portFile, int run, boolean idempotency) throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), HttpIngestChild.class.getName(), dir.toString(), portFile.toString(),
                idempotency ? "idempotency" : "no-idempotency")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("server-" + run + ".log").toFile()).start();
    }

    private static int awaitPort(Path portFile) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                return Integer.parseInt(Files.readString(portFile).trim());
            } catch (IOException | NumberFormatException e) {
                Thread.sleep(10);
            }
        }
        throw new IllegalStateException("the server did not start within 60 s");
    }

    /** Posts request {@code r} until it is answered 200, following the server to its new port after a kill. */
    private static void send(HttpClient http, Path portFile, int r, int events) throws Exception {
        StringBuilder body = new StringBuilder();
        for (int e = 0; e < events; e++) {
            body.append("{\"user\":\"u").append(e % 7).append("\",\"r\":").append(r).append(",\"e\":").append(e).append("}\n");
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            int port = awaitPort(portFile);
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events"))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/x-ndjson")
                    .header("Idempotency-Key", "request-" + r).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    JsonNode answer = JSON.readTree(response.body());
                    if (answer.get("stored").asInt() != events) {
                        throw new AssertionError("request " + r + " answered " + response.body());
                    }
                    return;
                }
                if (response.statusCode() != 503) {
                    throw new AssertionError("request " + r + " answered " + response.statusCode() + " " + response.body());
                }
            } catch (IOException e) {
                // the server died under us: retry, on its new port once it is back
            }
            Thread.sleep(10);
        }
        throw new AssertionError("request " + r + " not answered 200 within 2 minutes");
    }
}
