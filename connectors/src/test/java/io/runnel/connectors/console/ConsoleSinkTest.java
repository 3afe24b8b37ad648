package io.runnel.connectors.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.connectors.SinkContractTest;
import io.runnel.streams.connect.Sink;
import io.runnel.streams.connect.SinkContext;
import io.runnel.streams.connect.SinkWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ConsoleSinkTest {

    record Count(String url, long views) {
    }

    @Nested
    class JsonLinesContract extends SinkContractTest<Count> {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        protected Sink<Count> createSink(Path dir) {
            return ConsoleSink.jsonLines("console", new PrintStream(bytes, true, StandardCharsets.UTF_8));
        }

        @Override
        protected Count record(int i) {
            return new Count("/page/" + i, i * 10L);
        }

        @Override
        protected List<Count> published() throws Exception {
            ObjectMapper json = new ObjectMapper();
            List<Count> counts = new ArrayList<>();
            for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    counts.add(json.readValue(line, Count.class));
                }
            }
            return counts;
        }
    }

    @Test
    void shouldPrintAlignedTableAtCheckpoint() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleSink<Count> sink = ConsoleSink.table("console", new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try (SinkWriter<Count> writer = sink.open(new SinkContext("job", "console", 0, 1, Path.of(".")))) {
            writer.write(new Count("/a", 1));
            writer.write(new Count("/a-much-longer-url", 12345));
            assertThat(bytes.size()).as("printed before the checkpoint").isZero();
            writer.prepareCommit(1);
        }
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split(System.lineSeparator());
        assertThat(lines).containsExactly(
                "url                | views",
                "-------------------+------",
                "/a                 | 1    ",
                "/a-much-longer-url | 12345");
    }

    @Test
    void shouldPrintBlockWhenFull() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleSink<Long> sink = ConsoleSink.<Long>table("console", new PrintStream(bytes, true, StandardCharsets.UTF_8)).withRowsPerBlock(2);
        try (SinkWriter<Long> writer = sink.open(new SinkContext("job", "console", 0, 1, Path.of(".")))) {
            writer.write(1L);
            writer.write(2L);
            assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("value").contains("1").contains("2");
        }
    }
}
