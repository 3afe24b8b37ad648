package io.runnel.cli;

import static io.runnel.cli.CliRunner.run;
import static io.runnel.cli.CliRunner.runWithInput;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.log.Header;
import io.runnel.log.Headers;
import io.runnel.log.Log;
import io.runnel.log.Producer;
import io.runnel.log.ProducerRecord;
import io.runnel.log.Serdes;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProduceConsumeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int N = 1000;

    @TempDir
    Path dir;

    private String logDir() {
        return "--log-dir=" + dir;
    }

    @BeforeEach
    void createTopic() {
        assertThat(run("topic", "create", "events", logDir(), "--partitions", "3").exitCode()).isZero();
    }

    private static String keyedLines(int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < to; i++) {
            b.append("user-").append(i % 17).append('\t').append("event ").append(i).append('\n');
        }
        return b.toString();
    }

    @Test
    void shouldProduceLinesAndConsumeThemBackInEveryFormat() throws Exception {
        CliRunner.Result produced = runWithInput(keyedLines(0, N), "produce", "events", logDir(), "--with-keys");
        assertThat(produced.exitCode()).as(produced.toString()).isZero();
        assertThat(produced.out()).contains(N + " records acknowledged, 0 failed");

        CliRunner.Result values = run("consume", "events", logDir(), "--from-beginning");
        assertThat(values.exitCode()).as(values.toString()).isZero();
        List<String> expectedValues = new ArrayList<>();
        List<String> expectedPairs = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            expectedValues.add("event " + i);
            expectedPairs.add("user-" + (i % 17) + "\tevent " + i);
        }
        assertThat(values.outLines()).containsExactlyInAnyOrderElementsOf(expectedValues);
        assertThat(values.err()).contains(N + " records");

        CliRunner.Result pairs = run("consume", "events", logDir(), "--from-beginning", "--format", "key-value");
        assertThat(pairs.outLines()).containsExactlyInAnyOrderElementsOf(expectedPairs);
        CliRunner.Result colon = run("consume", "events", logDir(), "--from-beginning", "--format", "key-value",
                "--key-separator", ": ");
        assertThat(colon.outLines()).contains("user-3: event 3");

        CliRunner.Result json = run("consume", "events", logDir(), "--from-beginning", "--format", "json");
        assertThat(json.outLines()).hasSize(N);
        Set<String> positions = new HashSet<>();
        Map<String, Integer> partitionOfKey = new java.util.HashMap<>();
        long now = System.currentTimeMillis();
        List<String> jsonPairs = new ArrayList<>();
        for (String line : json.outLines()) {
            JsonNode r = JSON.readTree(line);
            assertThat(r.get("topic").asText()).isEqualTo("events");
            assertThat(r.get("timestamp").asLong()).isBetween(now - 600_000, now);
            assertThat(r.get("headers").isArray()).isTrue();
            assertThat(positions.add(r.get("partition").asInt() + "/" + r.get("offset").asLong())).isTrue();
            // the same key always lands in the same partition
            Integer before = partitionOfKey.put(r.get("key").asText(), r.get("partition").asInt());
            assertThat(before == null || before == r.get("partition").asInt()).isTrue();
            jsonPairs.add(r.get("key").asText() + "\t" + r.get("value").asText());
        }
        assertThat(jsonPairs).containsExactlyInAnyOrderElementsOf(expectedPairs);
        try (Log log = Log.openReadOnly(dir)) {
            for (int p = 0; p < 3; p++) {
                long end = log.endOffset(new io.runnel.log.TopicPartition("events", p));
                for (long o = 0; o < end; o++) {
                    assertThat(positions).contains(p + "/" + o);
                }
            }
        }
    }

    @Test
    void shouldWriteHeadersAndBinaryValuesAsJson() throws Exception {
        byte[] binary = {(byte) 0xff, 0, (byte) 0xfe, '\n'};
        try (Log log = Log.open(dir); Producer<byte[], byte[]> p = log.producer(Serdes.bytes(), Serdes.bytes())) {
            p.send(new ProducerRecord<>("events", 0, 1_700_000_000_000L, "k\"1".getBytes(StandardCharsets.UTF_8),
                    binary, Headers.of(new Header("trace", "abc".getBytes(StandardCharsets.UTF_8)),
                            new Header("trace", null)), null)).get();
        }
        CliRunner.Result json = run("consume", "events", logDir(), "--from-beginning", "--format", "json");
        JsonNode r = JSON.readTree(json.outLines().get(0));
        assertThat(r.get("partition").asInt()).isZero();
        assertThat(r.get("offset").asLong()).isZero();
        assertThat(r.get("timestamp").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(r.get("key").asText()).isEqualTo("k\"1");
        assertThat(r.get("value").asText()).isEqualTo(Base64.getEncoder().encodeToString(binary));
        assertThat(r.get("valueEncoding").asText()).isEqualTo("base64");
        assertThat(r.get("headers")).hasSize(2);
        assertThat(r.get("headers").get(0).get("key").asText()).isEqualTo("trace");
        assertThat(r.get("headers").get(0).get("value").asText()).isEqualTo("abc");
        assertThat(r.get("headers").get(1).get("value").isNull()).isTrue();

        CliRunner.Result raw = run("consume", "events", logDir(), "--from-beginning");
        byte[] expected = {(byte) 0xff, 0, (byte) 0xfe, '\n', '\n'};
        assertThat(raw.outBytes()).isEqualTo(expected);
    }

    @Test
    void shouldConsumeFromAnOffsetOfAPartition() throws Exception {
        assertThat(runWithInput(keyedLines(0, N), "produce", "events", logDir(), "--with-keys").exitCode()).isZero();
        long end;
        try (Log log = Log.openReadOnly(dir)) {
            end = log.endOffset(new io.runnel.log.TopicPartition("events", 1));
        }
        CliRunner.Result r = run("consume", "events", logDir(), "--partition", "1", "--offset", "5", "--format",
                "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<Long> offsets = new ArrayList<>();
        for (String line : r.outLines()) {
            JsonNode n = JSON.readTree(line);
            assertThat(n.get("partition").asInt()).isEqualTo(1);
            offsets.add(n.get("offset").asLong());
        }
        List<Long> expected = new ArrayList<>();
        for (long o = 5; o < end; o++) {
            expected.add(o);
        }
        assertThat(offsets).containsExactlyElementsOf(expected);

        CliRunner.Result limited = run("consume", "events", logDir(), "--from-beginning", "--max-records", "7");
        assertThat(limited.outLines()).hasSize(7);

        CliRunner.Result outside = run("consume", "events", logDir(), "--partition", "1", "--offset", "999999");
        assertThat(outside.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(outside.err()).contains("--offset 999999 is outside partition events-1", "0 to " + end);
        CliRunner.Result badPartition = run("consume", "events", logDir(), "--partition", "3", "--from-beginning");
        assertThat(badPartition.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(badPartition.err()).contains("--partition 3 is not a partition of events", "0 to 2");
    }

    @Test
    void shouldConsumeFromATime() throws Exception {
        assertThat(runWithInput(keyedLines(0, 300), "produce", "events", logDir(), "--with-keys").exitCode()).isZero();
        long firstBatchMax = 0;
        for (String line : run("consume", "events", logDir(), "--from-beginning", "--format", "json").outLines()) {
            firstBatchMax = Math.max(firstBatchMax, JSON.readTree(line).get("timestamp").asLong());
        }
        long boundary = firstBatchMax;
        Conditions.await("the clock passed the first batch", () -> System.currentTimeMillis() > boundary + 1);
        assertThat(runWithInput(keyedLines(300, 600), "produce", "events", logDir(), "--with-keys").exitCode())
                .isZero();
        String time = Instant.ofEpochMilli(boundary + 1).toString();
        for (String t : List.of(time, Long.toString(boundary + 1))) {
            CliRunner.Result r = run("consume", "events", logDir(), "--from-time", t);
            assertThat(r.exitCode()).as(r.toString()).isZero();
            List<String> expected = new ArrayList<>();
            for (int i = 300; i < 600; i++) {
                expected.add("event " + i);
            }
            assertThat(r.outLines()).as("from %s", t).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void shouldReadOnlyNewRecordsWithoutAStartOption() {
        assertThat(runWithInput("a\nb\n", "produce", "events", logDir()).exitCode()).isZero();
        CliRunner.Result r = run("consume", "events", logDir());
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("0 records", "--from-beginning");
    }

    @Test
    void shouldCountAndReportFailedRecordsAndExitNonZero() {
        String huge = "x".repeat(2 << 20);
        String input = "ok 1\n" + huge + "\nok 2\n";
        CliRunner.Result r = runWithInput(input, "produce", "events", logDir());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.FAILURE);
        assertThat(r.out()).contains("2 records acknowledged, 1 failed (3 lines read)");
        assertThat(r.err()).contains("line 2 failed", "maxRecordBytes");

        CliRunner.Result keys = runWithInput("k\tv\nno separator\n", "produce", "events", logDir(), "--with-keys");
        assertThat(keys.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(keys.out()).contains("1 records acknowledged, 1 failed");
        assertThat(keys.err()).contains("line 2 failed: no key separator \"\\t\"");

        CliRunner.Result unknown = runWithInput("a\n", "produce", "nope", logDir());
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(unknown.err()).contains("no topic nope", "topics: [events]");
    }

    @Test
    void shouldShowProgressOnLongInput() {
        CliRunner.Result r = CliRunner.run(new SlowInput(keyedLines(0, 2000).getBytes(StandardCharsets.UTF_8), 100),
                Map.of(), null, "produce", "events", logDir(), "--with-keys", "--progress-interval", "1ms");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).containsPattern("produce: \\d+ lines read, \\d+ acknowledged, \\d+ records/s");
    }

    @Test
    void shouldProduceToAnExplicitPartitionWithACustomSeparator() throws Exception {
        CliRunner.Result r = runWithInput("a=>1\nb=>2\n", "produce", "events", logDir(), "--key-separator", "=>",
                "--partition", "2");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        try (Log log = Log.openReadOnly(dir)) {
            assertThat(log.endOffset(new io.runnel.log.TopicPartition("events", 2))).isEqualTo(2);
        }
        CliRunner.Result kv = run("consume", "events", logDir(), "--from-beginning", "--format", "key-value");
        assertThat(kv.outLines()).containsExactly("a\t1", "b\t2");
    }

    /** Input that arrives in small reads, like a pipe from a slow writer, so progress has time to show. */
    private static final class SlowInput extends ByteArrayInputStream {
        private final int chunk;

        SlowInput(byte[] data, int chunk) {
            super(data);
            this.chunk = chunk;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, chunk));
        }
    }
}
