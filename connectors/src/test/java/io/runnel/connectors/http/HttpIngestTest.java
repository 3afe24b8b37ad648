package io.runnel.connectors.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.connectors.InvalidConfigException;
import io.runnel.log.Consumer;
import io.runnel.log.ConsumerConfig;
import io.runnel.log.ConsumerRecord;
import io.runnel.log.Log;
import io.runnel.log.Serdes;
import io.runnel.log.TopicConfig;
import io.runnel.log.TopicPartition;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpIngestTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    Log log;
    HttpIngest ingest;
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() {
        log = Log.open(dir.resolve("log"));
        log.createTopic("events", TopicConfig.partitions(4));
        ingest = HttpIngest.builder(log, "events").port(0).maxBodyBytes(64 * 1024).requestTimeout(Duration.ofSeconds(2))
                .threads(4, 16).keyField("user").start();
    }

    @AfterEach
    void stop() {
        if (ingest != null) {
            ingest.close();
        }
        log.close();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + ingest.port() + path);
    }

    HttpResponse<String> post(String contentType, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/events")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static List<JsonNode> readTopic(Log log, String topic) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        try (Consumer<String, byte[]> consumer = log.consumer(Serdes.string(), Serdes.bytes(), ConsumerConfig.defaults())) {
            List<TopicPartition> partitions = IntStream.range(0, log.partitionCount(topic)).mapToObj(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long total = partitions.stream().mapToLong(log::endOffset).sum();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (events.size() < total && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    events.add(JSON.readTree(r.value()));
                }
            }
        }
        return events;
    }

    @Test
    void shouldStoreOneJsonObject() throws Exception {
        HttpResponse<String> response = post("application/json; charset=utf-8", "{\"user\":\"u1\",\"url\":\"/a\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("stored").asInt()).isEqualTo(1);
        assertThat(readTopic(log, "events")).singleElement().satisfies(e -> assertThat(e.get("url").asText()).isEqualTo("/a"));
    }

    @Test
    void shouldStoreJsonLines() throws Exception {
        HttpResponse<String> response = post("application/x-ndjson", "{\"user\":\"u1\",\"n\":1}\n\n{\"user\":\"u2\",\"n\":2}\r\n{\"n\":3}\n");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("stored").asInt()).isEqualTo(3);
        assertThat(body.get("lines").asText()).isEqualTo("1,3-4");
        assertThat(readTopic(log, "events")).extracting(e -> e.get("n").asInt()).containsExactlyInAnyOrder(1, 2, 3);
    }

    @Test
    void shouldRejectWholeRequestWithMalformedLineNamingIt() throws Exception {
        HttpResponse<String> response = post("application/x-ndjson", "{\"n\":1}\n{\"n\":\n[1,2]\n{\"n\":4}\n");
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("stored").asInt()).isZero();
        assertThat(body.get("errors")).hasSize(2);
        assertThat(body.get("errors").get(0).get("line").asInt()).isEqualTo(2);
        assertThat(body.get("errors").get(0).get("error").asText()).startsWith("malformed JSON");
        assertThat(body.get("errors").get(1).get("line").asInt()).isEqualTo(3);
        assertThat(body.get("errors").get(1).get("error").asText()).isEqualTo("not a JSON object");
        assertThat(readTopic(log, "events")).isEmpty();
        assertThat(post("application/json", "{\"a\":1} {\"b\":2}").statusCode()).as("trailing tokens").isEqualTo(400);
    }

    @Test
    void shouldRefuseWrongContentTypeAndMethod() throws Exception {
        assertThat(post("text/plain", "{\"n\":1}").statusCode()).isEqualTo(415);
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(uri("/events")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(uri("/health")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("ok");
    }

    @Test
    void shouldRefuseOversizedBodyBeforeReadingIt() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", ingest.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            // declares 10 MB and sends none of it: the answer must come from the header alone
            out.write(("POST /events HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\nContent-Length: 10000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readStatusLine(socket.getInputStream())).contains(" 413 ");
        }
        String chunk = "{\"n\":1}\n".repeat(1000);
        try (Socket socket = new Socket("127.0.0.1", ingest.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("POST /events HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 9; i++) { // 9 x 8 KB > 64 KB, then the client keeps the request open
                out.write((Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            assertThat(readStatusLine(socket.getInputStream())).contains(" 413 ");
        }
        assertThat(readTopic(log, "events")).isEmpty();
        assertThat(post("application/json", "{\"n\":1}").statusCode()).as("still serving").isEqualTo(200);
    }

    static String readStatusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            line.append((char) c);
        }
        return line.toString();
    }

    @Test
    void shouldKeepServingWhileSlowClientsStall() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) { // more stalled clients than threads
                Socket socket = new Socket("127.0.0.1", ingest.port());
                OutputStream out = socket.getOutputStream();
                out.write("POST /events HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\nContent-Length: 1000\r\n\r\n{\"n\":"
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                slow.add(socket);
            }
            long start = System.nanoTime();
            HttpResponse<String> response = post("application/json", "{\"n\":42}");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(millis).as("ms to serve a request while 8 clients stall (request timeout 2 s)").isLessThan(8_000);
            for (Socket socket : slow) { // the stalled ones were cut off by the request timeout
                socket.setSoTimeout(10_000);
                assertThat(socket.getInputStream().read()).as("stalled connection closed").isEqualTo(-1);
            }
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
        assertThat(readTopic(log, "events")).extracting(e -> e.get("n").asInt()).containsExactly(42);
    }

    @Test
    void shouldAnswerRetryWithSameIdempotencyKeyWithoutStoringTwice() throws Exception {
        String body = "{\"n\":1}\n{\"n\":2}\n";
        HttpResponse<String> first = post("application/x-ndjson", body, "Idempotency-Key", "abc-1");
        HttpResponse<String> retry = post("application/x-ndjson", body, "Idempotency-Key", "abc-1");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(post("application/x-ndjson", "{\"n\":3}\n", "Idempotency-Key", "abc-1").statusCode()).isEqualTo(422);
        assertThat(post("application/x-ndjson", body, "Idempotency-Key", "abc-2").statusCode()).isEqualTo(200);
        assertThat(readTopic(log, "events")).hasSize(4);
    }

    @Test
    void shouldRememberIdempotencyKeysAcrossARestartOfTheServer() throws Exception {
        String body = "{\"user\":\"u1\",\"n\":1}\n{\"user\":\"u2\",\"n\":2}\n{\"user\":\"u3\",\"n\":3}\n";
        HttpResponse<String> first = post("application/x-ndjson", body, "Idempotency-Key", "k-1");
        assertThat(first.statusCode()).isEqualTo(200);
        ingest.close(); // a new server on the same log: the keys come back from the topic
        ingest = HttpIngest.builder(log, "events").port(0).keyField("user").start();
        HttpResponse<String> retry = post("application/x-ndjson", body, "Idempotency-Key", "k-1");
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(retry.body())).isEqualTo(JSON.readTree(first.body()));
        assertThat(post("application/x-ndjson", "{\"n\":9}\n", "Idempotency-Key", "k-1").statusCode()).isEqualTo(422);
        assertThat(readTopic(log, "events")).extracting(e -> e.get("n").asInt()).containsExactlyInAnyOrder(1, 2, 3);
    }

    @Test
    void shouldStoreOnlyTheMissingEventsOfARequestCutShortBeforeARestart() throws Exception {
        String body = "{\"user\":\"u1\",\"n\":1}\n\n{\"user\":\"u2\",\"n\":2}\n{\"user\":\"u3\",\"n\":3}\n";
        ingest.close();
        // What a server that crashed part way leaves: event 1 of 3 (line 3) stored with the key's headers.
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (io.runnel.log.Producer<String, byte[]> p = log.producer(Serdes.string(), Serdes.bytes())) {
            p.sendAll(List.of(new io.runnel.log.ProducerRecord<>("events", null, null, "u2",
                    "{\"user\":\"u2\",\"n\":2}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    IdempotencyRecords.headers(IdempotencyRecords.keyHeader("cut-1"), digest, 1, 3), null))).get(0).get();
        }
        ingest = HttpIngest.builder(log, "events").port(0).keyField("user").start();
        HttpResponse<String> retry = post("application/x-ndjson", body, "Idempotency-Key", "cut-1");
        assertThat(retry.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(retry.body());
        assertThat(answer.get("stored").asInt()).isEqualTo(3);
        assertThat(answer.get("lines").asText()).isEqualTo("1,3-4");
        assertThat(readTopic(log, "events")).extracting(e -> e.get("n").asInt()).containsExactlyInAnyOrder(1, 2, 3);
        // And a request that differs in a byte is another request: 422 under the same key.
        assertThat(post("application/x-ndjson", body + " ", "Idempotency-Key", "cut-1").statusCode()).isEqualTo(422);
    }

    @Test
    void shouldRequireTokenOffLoopbackAndCheckIt() throws Exception {
        assertThatThrownBy(() -> HttpIngest.builder(log, "events").bindAddress("0.0.0.0").port(0).start())
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("bindAddress='0.0.0.0'").hasMessageContaining("token");
        String token = "s3cret-token-of-some-length";
        try (HttpIngest secured = HttpIngest.builder(log, "events").bindAddress("0.0.0.0").port(0).token(token).start()) {
            URI events = URI.create("http://127.0.0.1:" + secured.port() + "/events");
            HttpRequest.Builder request = HttpRequest.newBuilder(events).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"n\":1}"));
            assertThat(client.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            assertThat(client.send(request.copy().header("Authorization", "Bearer wrong").build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(401);
            assertThat(client.send(request.copy().header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(200);
        }
    }

    @Test
    void shouldRefusePortInUseAndUnknownTopic() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> HttpIngest.builder(log, "events").port(taken.getLocalPort()).start())
                    .isInstanceOf(InvalidConfigException.class).hasMessageContaining("port=" + taken.getLocalPort()).hasMessageContaining("free port");
        }
        assertThatThrownBy(() -> HttpIngest.builder(log, "nope").port(0).start()).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("topic='nope'");
    }
}
