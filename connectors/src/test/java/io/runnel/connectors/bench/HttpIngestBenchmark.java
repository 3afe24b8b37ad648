package io.runnel.connectors.bench;

import io.runnel.connectors.http.HttpIngest;
import io.runnel.log.Durability;
import io.runnel.log.Log;
import io.runnel.log.LogConfig;
import io.runnel.log.TopicConfig;
import io.runnel.log.TopicPartition;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The {@code http-ingest} benchmark: 4 clients on keep-alive HTTP/1.1 connections post batches of
 * 100 JSON events (about 100 B each) to {@link HttpIngest}, each waiting for its answer (sent only
 * after the events are durably appended) before the next. Reports events/s and the request latency
 * percentiles, for the log's fsync and os durability. Checks that the topic holds exactly the
 * events sent.
 *
 * <p>Usage: {@code HttpIngestBenchmark [--quick]}; for the benchmarks module:
 * {@link #run(boolean, PrintStream)}. Latency is measured per request from send to answer; a
 * closed-loop client waits for each answer, so it reports service time under load (not
 * coordinated-omission-corrected open-loop latency).
 */
public final class HttpIngestBenchmark {
    private static final int CLIENTS = 4;
    private static final int BATCH = 100;

    private HttpIngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        run(Arrays.asList(args).contains("--quick"), System.out);
    }

    public static void run(boolean quick, PrintStream out) throws Exception {
        int requestsPerClient = quick ? 50 : 1_000;
        for (Durability durability : List.of(Durability.fsync(), Durability.os())) {
            measure(durability, quick ? 10 : 100, requestsPerClient, out);
        }
    }

    private static void measure(Durability durability, int warmupPerClient, int requestsPerClient, PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("http-ingest-bench");
        try (Log log = Log.open(dir, LogConfig.defaults().withDurability(durability))) {
            log.createTopic("events", TopicConfig.partitions(4));
            try (HttpIngest ingest = HttpIngest.builder(log, "events").port(0).threads(8, 64).start()) {
                URI uri = URI.create("http://127.0.0.1:" + ingest.port() + "/events");
                runClients(uri, warmupPerClient, null);
                long[][] latencies = new long[CLIENTS][requestsPerClient];
                long start = System.nanoTime();
                runClients(uri, requestsPerClient, latencies);
                double seconds = (System.nanoTime() - start) / 1e9;
                long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
                long events = (long) CLIENTS * requestsPerClient * BATCH;
                long stored = 0;
                for (int p = 0; p < 4; p++) {
                    stored += log.endOffset(new TopicPartition("events", p));
                }
                long expected = events + (long) CLIENTS * warmupPerClient * BATCH;
                if (stored != expected) {
                    throw new IllegalStateException("http-ingest: the topic holds " + stored + " events, " + expected + " were acknowledged");
                }
                out.printf("RESULT name=http-ingest system=runnel variant=4-clients-batch100 records=%d seconds=%.3f records_per_s=%.0f"
                        + " durability=%s threads=%d batch=%d p50_us=%d p99_us=%d p999_us=%d%n", events, seconds, events / seconds,
                        durability, CLIENTS, BATCH, percentile(all, 0.50), percentile(all, 0.99), percentile(all, 0.999));
            }
        }
    }

    private static long percentile(long[] sortedNanos, double q) {
        return sortedNanos[Math.min(sortedNanos.length - 1, (int) Math.ceil(q * sortedNanos.length) - 1)] / 1_000;
    }

    private static void runClients(URI uri, int requests, long[][] latencies) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                done.add(pool.submit(() -> {
                    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(); // one keep-alive connection
                    for (int r = 0; r < requests; r++) {
                        StringBuilder body = new StringBuilder(BATCH * 100);
                        for (int i = 0; i < BATCH; i++) {
                            body.append("{\"user\":\"u").append((r * BATCH + i) % 997).append("\",\"url\":\"/products/").append(i % 50)
                                    .append("\",\"ts\":").append(1_700_000_000_000L + r * BATCH + i).append(",\"client\":").append(client).append("}\n");
                        }
                        HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/x-ndjson")
                                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
                        long sent = System.nanoTime();
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (latencies != null) {
                            latencies[client][r] = System.nanoTime() - sent;
                        }
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException("http-ingest: status " + response.statusCode() + ": " + response.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}
