package io.runnel.benchmarks.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.benchmarks.BenchContext;
import io.runnel.benchmarks.BenchResult;
import io.runnel.benchmarks.CheckFailedException;
import io.runnel.benchmarks.Progress;
import io.runnel.benchmarks.Scenario;
import io.runnel.benchmarks.latency.LatencyRecorder;
import io.runnel.benchmarks.runnel.RunnelLogBench;
import io.runnel.connectors.http.HttpIngest;
import io.runnel.log.Consumer;
import io.runnel.log.ConsumerConfig;
import io.runnel.log.ConsumerRecord;
import io.runnel.log.Log;
import io.runnel.log.LogConfig;
import io.runnel.log.Serdes;
import io.runnel.log.TopicConfig;
import io.runnel.log.TopicPartition;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * {@code http-ingest} (issue 4): 4 clients, each on one keep-alive HTTP/1.1 connection, post
 * batches of 100 JSON events (about 110 B each, {@code application/x-ndjson}) to {@link HttpIngest},
 * which answers only once the events are appended under the log's durability policy; each client
 * sends its next request when the answer arrived (closed loop). Measured: events per second
 * accepted from the first request to the last answer, and the request latency (send to answer,
 * per request) p50/p99/p99.9, under the {@code fsync} and {@code os} policies. Each run starts
 * with an untimed warm-up of 100 requests per client into the same topic.
 *
 * <p>Check: the topic (6 partitions) is read from the beginning; every acknowledged event (warm-up
 * included) is there exactly once, with the content it was sent with. The latency is service
 * time under this load (closed loop), not an open-loop latency corrected for coordinated omission.
 *
 * <p>No anchor: the issue asks for Runnel's figures only.
 */
public final class HttpIngestScenario implements Scenario {

    public static final String SYSTEM = "runnel";
    static final int CLIENTS = 4;
    static final int BATCH = 100;
    static final int PARTITIONS = 6;
    private static final String TOPIC = "events";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

    @Override
    public String name() {
        return "http-ingest";
    }

    @Override
    public String summary() {
        return "events/s accepted over HTTP and durably appended: 4 keep-alive clients posting batches of 100, p99 latency";
    }

    @Override
    public List<String> systems() {
        return List.of(SYSTEM);
    }

    @Override
    public String note() {
        return "No anchor: issue 4 asks for Runnel's events/s and p99 request latency only. The latency is the"
                + " service time of closed-loop clients (each waits for its answer before the next request).";
    }

    @Override
    public void run(BenchContext context) {
        int requestsPerClient = (int) Math.max(1, context.size(1_000_000, 8_000) / (CLIENTS * BATCH));
        int warmupPerClient = context.options().quick() ? 5 : 100;
        context.system(SYSTEM, () -> {
            for (String durability : List.of("fsync", "os")) {
                context.variant(SYSTEM, durability, () -> measure(context, durability, warmupPerClient, requestsPerClient));
            }
        });
    }

    private static void measure(BenchContext context, String durability, int warmupPerClient, int requestsPerClient)
            throws Exception {
        Path dir = context.tempDir("http-ingest-" + durability);
        try (Log log = Log.open(dir, LogConfig.defaults().withDurability(RunnelLogBench.durability(durability)))) {
            log.createTopic(TOPIC, TopicConfig.partitions(PARTITIONS));
            try (HttpIngest ingest = HttpIngest.builder(log, TOPIC).port(0).start()) {
                URI uri = URI.create("http://127.0.0.1:" + ingest.port() + "/events");
                post(uri, 0, warmupPerClient, new LatencyRecorder[CLIENTS]);
                long firstId = (long) CLIENTS * warmupPerClient * BATCH;
                long events = (long) CLIENTS * requestsPerClient * BATCH;
                Progress.say("http-ingest %s: %d clients x %,d requests of %d events", durability, CLIENTS, requestsPerClient, BATCH);
                LatencyRecorder[] latencies = new LatencyRecorder[CLIENTS];
                long start = System.nanoTime();
                post(uri, firstId, requestsPerClient, latencies);
                double seconds = (System.nanoTime() - start) / 1e9;
                verifyTopic(log, firstId + events);
                LatencyRecorder all = latencies[0];
                for (int c = 1; c < CLIENTS; c++) {
                    all.add(latencies[c]);
                }
                BenchResult result = BenchResult.of("http-ingest", SYSTEM, durability)
                        .config("durability", durability)
                        .config("clients", CLIENTS)
                        .config("batch", BATCH)
                        .measured(events, seconds)
                        .latency(all.percentileUs(50), all.percentileUs(99), all.percentileUs(99.9))
                        .extra("requests", all.count())
                        .extra("max_us", all.maxUs())
                        .extra("partitions", PARTITIONS)
                        .build();
                context.distribution(result, all.distribution());
                context.report(result);
            }
        } finally {
            BenchContext.deleteRecursively(dir);
        }
    }

    /** Event {@code id} as one JSON line; its content follows from the id, so the check can verify it. */
    static String event(long id) {
        return "{\"id\":" + id + ",\"ts\":" + (1_767_225_600_000L + id) + ",\"user\":\"user-" + (id % 50_000)
                + "\",\"url\":\"/products/" + (id % 997) + "\",\"referrer\":\"https://www.example.com/\",\"userAgent\":\"bench\"}\n";
    }

    /**
     * Each client {@code c} posts {@code requests} batches; event ids start at {@code firstId}, and
     * client {@code c}'s request {@code r} holds ids {@code firstId + (c * requests + r) * BATCH ..}.
     * Fills {@code latencies[c]} with client c's request latencies.
     */
    private static void post(URI uri, long firstId, int requests, LatencyRecorder[] latencies) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                latencies[c] = new LatencyRecorder();
                done.add(pool.submit(() -> {
                    // One client per thread, each on its own keep-alive connection.
                    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                    StringBuilder body = new StringBuilder(BATCH * 128);
                    for (int r = 0; r < requests; r++) {
                        body.setLength(0);
                        long first = firstId + ((long) client * requests + r) * BATCH;
                        for (int i = 0; i < BATCH; i++) {
                            body.append(event(first + i));
                        }
                        HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/x-ndjson")
                                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
                        long sent = System.nanoTime();
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        latencies[client].record(sent, System.nanoTime());
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException("status " + response.statusCode() + ": " + response.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Reads the topic from the beginning: events {@code 0 .. expected-1} exactly once, each as sent. */
    private static void verifyTopic(Log log, long expected) throws IOException {
        List<TopicPartition> partitions = IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(TOPIC, p)).toList();
        long stored = partitions.stream().mapToLong(log::endOffset).sum();
        ExactlyOnceCheck check = new ExactlyOnceCheck(expected);
        try (Consumer<byte[], byte[]> consumer = log.consumer(Serdes.bytes(), Serdes.bytes(), ConsumerConfig.defaults())) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (check.read() < stored && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    JsonNode event = JSON.readTree(r.value());
                    long id = event.path("id").asLong(-1);
                    if (!JSON.readTree(event(id)).equals(event)) {
                        throw new CheckFailedException("event " + id + " at " + r.topic() + "/" + r.partition() + "@" + r.offset()
                                + " differs from what was sent: " + event);
                    }
                    check.read(id);
                }
            }
        }
        if (check.read() != stored) {
            throw new CheckFailedException("read " + check.read() + " of the " + stored + " events the topic holds within " + READ_TIMEOUT);
        }
        check.verify();
    }
}
