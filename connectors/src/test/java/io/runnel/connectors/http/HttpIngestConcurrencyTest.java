package io.runnel.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runnel.log.Log;
import io.runnel.log.TopicConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many clients post events at once; every event whose request was acknowledged must be in the topic
 * exactly once. Some requests are retried with their Idempotency-Key (as a client does after a
 * timeout), which must not store anything twice. Size: {@code -Drunnel.test.httpEvents=} (default 10^5).
 */
class HttpIngestConcurrencyTest {
    private static final int EVENTS = Integer.getInteger("runnel.test.httpEvents", 100_000);
    private static final int CLIENTS = 8;
    private static final int BATCH = 100;

    /** What the checker found. */
    record Check(Set<String> acknowledged, Set<String> missing, Set<String> duplicates, int stored) {
    }

    @Test
    void shouldStoreEveryAcknowledgedEventExactlyOnce(@TempDir Path dir) throws Exception {
        Check check = run(dir, EVENTS, 100_000);
        assertThat(check.acknowledged()).as("acknowledged events").hasSize(EVENTS / CLIENTS * CLIENTS);
        assertThat(check.missing()).as("acknowledged but not in the topic").isEmpty();
        assertThat(check.duplicates()).as("in the topic more than once").isEmpty();
        assertThat(check.stored()).as("events in the topic").isEqualTo(check.acknowledged().size());
    }

    /** The checker is able to fail: without remembered Idempotency-Keys the retried requests are stored twice. */
    @Test
    void checkerShouldSeeDuplicatesWhenIdempotencyIsOff(@TempDir Path dir) throws Exception {
        Check check = run(dir, 8_000, 0);
        assertThat(check.duplicates()).as("duplicates found by the checker").isNotEmpty();
    }

    private Check run(Path dir, int events, int idempotencyKeys) throws Exception {
        try (Log log = Log.open(dir.resolve("log"))) {
            log.createTopic("events", TopicConfig.partitions(4));
            try (HttpIngest ingest = HttpIngest.builder(log, "events").port(0).threads(4, 64).keyField("client")
                    .idempotency(idempotencyKeys, Duration.ofMinutes(5)).start()) {
                URI uri = URI.create("http://127.0.0.1:" + ingest.port() + "/events");
                Set<String> acknowledged = ConcurrentHashMap.newKeySet();
                AtomicLong retries = new AtomicLong();
                ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
                List<Future<?>> done = new ArrayList<>();
                int perClient = events / CLIENTS;
                long start = System.nanoTime();
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    done.add(clients.submit(() -> {
                        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                        for (int first = 0; first < perClient; first += BATCH) {
                            StringBuilder body = new StringBuilder();
                            List<String> ids = new ArrayList<>();
                            for (int i = first; i < Math.min(first + BATCH, perClient); i++) {
                                String id = client + "-" + i;
                                ids.add(id);
                                body.append("{\"client\":\"c").append(client).append("\",\"id\":\"").append(id).append("\"}\n");
                            }
                            HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/x-ndjson")
                                    .header("Idempotency-Key", client + ":" + first).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
                            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                            if (first % (BATCH * 7) == 0) { // a client retrying as if the first answer was lost
                                response = http.send(request, HttpResponse.BodyHandlers.ofString());
                                retries.incrementAndGet();
                            }
                            if (response.statusCode() == 200) {
                                acknowledged.addAll(ids);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                clients.shutdown();
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("http ingest: %d events from %d clients in %.2f s (%.0f events/s), %d retried requests%n",
                        acknowledged.size(), CLIENTS, seconds, acknowledged.size() / seconds, retries.get());

                List<JsonNode> stored = HttpIngestTest.readTopic(log, "events");
                Map<String, Integer> copies = new HashMap<>();
                stored.forEach(e -> copies.merge(e.get("id").asText(), 1, Integer::sum));
                Set<String> duplicates = new HashSet<>();
                copies.forEach((id, n) -> {
                    if (n > 1) {
                        duplicates.add(id);
                    }
                });
                Set<String> missing = new HashSet<>(acknowledged);
                missing.removeAll(copies.keySet());
                return new Check(acknowledged, missing, duplicates, stored.size());
            }
        }
    }
}
