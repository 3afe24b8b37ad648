package io.runnel.connectors.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.runnel.connectors.CollectingOutput;
import io.runnel.connectors.InvalidConfigException;
import io.runnel.connectors.SourceContractTest;
import io.runnel.streams.connect.ConnectorException;
import io.runnel.streams.connect.Source;
import io.runnel.streams.connect.SourceContext;
import io.runnel.streams.connect.SourceReader;
import io.runnel.streams.connect.SourceSplit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSourceTest {
    private static final SourceContext CONTEXT = new SourceContext("test", "files", 0, 1);

    record View(String user, String url, long ts) {
    }

    static String viewLine(int i) {
        return "{\"user\":\"u" + (i % 7) + "\",\"url\":\"/p/" + i + "\",\"ts\":" + (1000L + i) + "}";
    }

    static Path writeJsonLines(Path file, int count) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append(viewLine(i)).append(i % 10 == 3 ? "\r\n" : "\n");
            if (i % 25 == 7) {
                text.append("{not json}\n"); // malformed lines are part of the sequence too
            }
            if (i % 30 == 9) {
                text.append("\n");
            }
        }
        Files.writeString(file, text.toString());
        return file;
    }

    @Nested
    class JsonLinesContract extends SourceContractTest<View> {
        @Override
        protected Source<View> createSource(Path dir) throws IOException {
            return FileSource.jsonLines("views", View.class, writeJsonLines(dir.resolve("a.jsonl"), 80),
                    writeJsonLines(dir.resolve("b.jsonl"), 70));
        }

        @Override
        protected long expectedBoundedCount() {
            return 80 + 3 + 70 + 3;
        }
    }

    @Nested
    class CsvContract extends SourceContractTest<Map<String, String>> {
        @Override
        protected Source<Map<String, String>> createSource(Path dir) throws IOException {
            StringBuilder csv = new StringBuilder("user,url,note\n");
            for (int i = 0; i < 90; i++) {
                csv.append("u").append(i % 5).append(",/p/").append(i).append(",\"quoted, with comma ").append(i).append("\"\n");
            }
            csv.append("too,few\n");
            csv.append("last,/no/newline,x");
            return FileSource.csv("views-csv", Files.writeString(dir.resolve("v.csv"), csv));
        }

        @Override
        protected long expectedBoundedCount() {
            return 92;
        }
    }

    @Nested
    class FollowingContract extends SourceContractTest<JsonNode> {
        @Override
        protected Source<JsonNode> createSource(Path dir) throws IOException {
            Path file = writeJsonLines(dir.resolve("f.jsonl"), 100);
            Files.writeString(file, "{\"partial\":", StandardOpenOption.APPEND);
            return FileSource.jsonLines("follow", file).following(Duration.ofMillis(5));
        }
    }

    @Test
    void shouldReportMalformedLinesWithFileAndLine(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("e.jsonl"), viewLine(0) + "\n{\"user\":\n" + viewLine(2) + "\n{\"user\":\"x\",\"bogus\":1}\n"
                + "{\"a\":1} {\"b\":2}\n");
        CollectingOutput<View> out = drain(FileSource.jsonLines("e", View.class, file));
        assertThat(out.records()).extracting(View::url).containsExactly("/p/0", "/p/2");
        assertThat(out.malformed()).extracting(CollectingOutput.Delivery::malformedWhere).containsExactly("e.jsonl:2", "e.jsonl:4", "e.jsonl:5");
        assertThat(out.malformed().get(1).malformedReason()).hasMessageContaining("bogus");
    }

    @Test
    void shouldReportMapperFailureAsMalformed(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("m.csv"), "n\n1\nx\n3\n");
        CollectingOutput<Integer> out = drain(FileSource.csv("m", file).map(row -> Integer.parseInt(row.get("n"))));
        assertThat(out.records()).containsExactly(1, 3);
        assertThat(out.malformed()).singleElement().satisfies(d -> {
            assertThat(d.malformedWhere()).isEqualTo("m.csv:3");
            assertThat(d.malformedReason()).isInstanceOf(NumberFormatException.class);
        });
    }

    @Test
    void shouldNotConsumePartialLineUntilComplete(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("g.jsonl"), viewLine(0) + "\n" + viewLine(1).substring(0, 10));
        FileSource<View> source = FileSource.jsonLines("g", View.class, file).following(Duration.ofMillis(1));
        SourceSplit split = source.splits().get(0);
        byte[] position;
        try (SourceReader<View> reader = source.open(split, CONTEXT)) {
            CollectingOutput<View> out = new CollectingOutput<>();
            assertThat(reader.poll(out, 10, Duration.ofMillis(20))).isEqualTo(SourceReader.Status.MORE);
            assertThat(reader.poll(out, 10, Duration.ofMillis(20))).isEqualTo(SourceReader.Status.CAUGHT_UP);
            assertThat(out.records()).hasSize(1);
            assertThat(out.malformed()).isEmpty();
            position = reader.position();
            Files.writeString(file, viewLine(1).substring(10) + "\n", StandardOpenOption.APPEND);
            assertThat(reader.poll(out, 10, Duration.ofSeconds(5))).isEqualTo(SourceReader.Status.MORE);
            assertThat(out.records()).extracting(View::url).containsExactly("/p/0", "/p/1");
        }
        assertThat(position).as("offset after line 1, line 1, following").isEqualTo(positionOf(viewLine(0).length() + 1, 1, -1));
    }

    @Test
    void shouldSkipOverlongLineWithoutHoldingIt(@TempDir Path dir) throws IOException {
        String longLine = "{\"x\":\"" + "y".repeat(5000) + "\"}";
        Path file = Files.writeString(dir.resolve("l.jsonl"), viewLine(0) + "\n" + longLine + "\n" + viewLine(2) + "\n");
        CollectingOutput<View> out = drain(FileSource.jsonLines("l", View.class, file).withMaxLineBytes(1024));
        assertThat(out.records()).extracting(View::url).containsExactly("/p/0", "/p/2");
        assertThat(out.malformed()).singleElement().satisfies(d -> {
            assertThat(d.malformedWhere()).isEqualTo("l.jsonl:2");
            assertThat(d.malformedReason()).hasMessageContaining("maxLineBytes=1024");
        });
    }

    @Test
    void shouldKeepBoundedEndFromFirstStart(@TempDir Path dir) throws IOException {
        Path file = writeJsonLines(dir.resolve("b.jsonl"), 10);
        FileSource<View> source = FileSource.jsonLines("b", View.class, file);
        SourceSplit split = source.splits().get(0);
        Files.writeString(file, viewLine(99) + "\n", StandardOpenOption.APPEND); // appended after the job started
        try (SourceReader<View> reader = source.open(split, CONTEXT)) {
            CollectingOutput<View> out = new CollectingOutput<>();
            while (reader.poll(out, 100, Duration.ofMillis(10)) != SourceReader.Status.END) {
                // drain
            }
            assertThat(out.records()).hasSize(10).noneMatch(v -> v.url().equals("/p/99"));
        }
    }

    @Test
    void shouldFailClearlyWhenFollowedFileIsTruncated(@TempDir Path dir) throws IOException {
        Path file = writeJsonLines(dir.resolve("t.jsonl"), 10);
        FileSource<JsonNode> source = FileSource.jsonLines("t", file).following(Duration.ofMillis(1));
        try (SourceReader<JsonNode> reader = source.open(source.splits().get(0), CONTEXT)) {
            reader.poll(new CollectingOutput<>(), 100, Duration.ofMillis(10));
            Files.writeString(file, "{}\n");
            assertThatThrownBy(() -> reader.poll(new CollectingOutput<>(), 100, Duration.ofMillis(10)))
                    .isInstanceOf(ConnectorException.class).hasMessageContaining("truncated");
        }
    }

    @Test
    void shouldWaitForFollowedFileToAppear(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("later.csv");
        FileSource<Map<String, String>> later = FileSource.csv("later", file).following(Duration.ofMillis(1));
        assertThat(later.isBounded()).isFalse();
        try (SourceReader<Map<String, String>> reader = later.open(later.splits().get(0), CONTEXT)) {
            CollectingOutput<Map<String, String>> out = new CollectingOutput<>();
            assertThat(reader.poll(out, 10, Duration.ofMillis(20))).isEqualTo(SourceReader.Status.CAUGHT_UP);
            Files.writeString(file, "a,b\n");
            assertThat(reader.poll(out, 10, Duration.ofMillis(20))).isEqualTo(SourceReader.Status.CAUGHT_UP);
            Files.writeString(file, "1,2\n", StandardOpenOption.APPEND);
            assertThat(reader.poll(out, 10, Duration.ofSeconds(5))).isEqualTo(SourceReader.Status.MORE);
            assertThat(out.records()).containsExactly(Map.of("a", "1", "b", "2"));
        }
    }

    @Test
    void shouldRejectBadConfigurationNamingTheKey(@TempDir Path dir) {
        assertThatThrownBy(() -> FileSource.jsonLines("x", dir.resolve("missing.jsonl")).splits())
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("file=").hasMessageContaining("missing.jsonl")
                .hasMessageContaining("following");
        assertThatThrownBy(() -> FileSource.jsonLines("x", dir.resolve("no/such/dir.jsonl"))).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("directory that does not exist");
        assertThatThrownBy(() -> FileSource.jsonLines("x")).isInstanceOf(InvalidConfigException.class).hasMessageContaining("files=");
        assertThatThrownBy(() -> FileSource.jsonLines("x", dir).following(Duration.ZERO))
                .isInstanceOf(InvalidConfigException.class);
    }

    @Test
    void shouldReadEmptyFiles(@TempDir Path dir) throws IOException {
        assertThat(drain(FileSource.csv("e", Files.writeString(dir.resolve("e.csv"), ""))).deliveries()).isEmpty();
        assertThat(drain(FileSource.csv("h", Files.writeString(dir.resolve("h.csv"), "a,b"))).deliveries()).isEmpty();
        assertThat(drain(FileSource.jsonLines("j", Files.writeString(dir.resolve("e.jsonl"), ""))).deliveries()).isEmpty();
    }

    static byte[] positionOf(long offset, long line, long end) {
        return io.runnel.connectors.internal.PositionCodec.encode(offset, line, end);
    }

    static <T> CollectingOutput<T> drain(FileSource<T> source) {
        CollectingOutput<T> out = new CollectingOutput<>();
        for (SourceSplit split : source.splits()) {
            try (SourceReader<T> reader = source.open(split, CONTEXT)) {
                while (reader.poll(out, 100, Duration.ofMillis(10)) != SourceReader.Status.END) {
                    // drain
                }
            }
        }
        return out;
    }

    static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }
}
