package io.runnel.connectors.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.connectors.InvalidConfigException;
import io.runnel.connectors.SinkContractTest;
import io.runnel.streams.connect.RejectedRecordException;
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

    @Nested
    class LinesContract extends SinkContractTest<Count> {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        protected Sink<Count> createSink(Path dir) {
            return ConsoleSink.lines("console", new PrintStream(bytes, true, StandardCharsets.UTF_8),
                    c -> "VIEWS " + c.url() + " " + c.views());
        }

        @Override
        protected Count record(int i) {
            return new Count("/page/" + i, i * 10L);
        }

        @Override
        protected List<Count> published() {
            List<Count> counts = new ArrayList<>();
            for (String line : bytes.toString(StandardCharsets.UTF_8).split(System.lineSeparator())) {
                if (!line.isBlank()) {
                    String[] words = line.split(" ");
                    assertThat(words[0]).isEqualTo("VIEWS");
                    counts.add(new Count(words[1], Long.parseLong(words[2])));
                }
            }
            return counts;
        }
    }

    @Test
    void shouldPrintEachRecordAsTheFormattersLineWhenWritten() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleSink<Count> sink = ConsoleSink.lines("alerts", new PrintStream(bytes, true, StandardCharsets.UTF_8),
                c -> "ALERT " + c.url() + ": " + c.views());
        assertThat(sink.format()).isEqualTo(ConsoleSink.Format.LINES);
        try (SinkWriter<Count> writer = sink.open(new SinkContext("job", "alerts", 0, 1, Path.of(".")))) {
            writer.write(new Count("/a", 1));
            assertThat(bytes.toString(StandardCharsets.UTF_8)).as("printed at once").isEqualTo("ALERT /a: 1" + System.lineSeparator());
            writer.write(new Count("/b\nALERT /forged: 9\r", 2));
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8).split(System.lineSeparator()))
                .containsExactly("ALERT /a: 1", "ALERT /b ALERT /forged: 9 : 2");
    }

    @Test
    void shouldRejectARecordTheFormatterCannotPrintAndGoOn() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleSink<Count> sink = ConsoleSink.lines("alerts", new PrintStream(bytes, true, StandardCharsets.UTF_8), c -> {
            if (c.views() < 0) {
                throw new IllegalStateException("negative views");
            }
            return c.views() == 0 ? null : c.url();
        });
        try (SinkWriter<Count> writer = sink.open(new SinkContext("job", "alerts", 0, 1, Path.of(".")))) {
            assertThatThrownBy(() -> writer.write(new Count("/neg", -1))).isInstanceOf(RejectedRecordException.class)
                    .hasMessage("console sink 'alerts': the formatter failed on Count[url=/neg, views=-1]:"
                            + " java.lang.IllegalStateException: negative views");
            assertThatThrownBy(() -> writer.write(new Count("/zero", 0))).isInstanceOf(RejectedRecordException.class)
                    .hasMessage("console sink 'alerts': the formatter returned null for Count[url=/zero, views=0] (return the text to print)");
            writer.write(new Count("/ok", 1));
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("/ok" + System.lineSeparator());
        assertThatThrownBy(() -> ConsoleSink.lines("alerts", System.out, null)).isInstanceOf(InvalidConfigException.class)
                .hasMessage("console sink: formatter=null is missing (pass a function from a record to its line, like String::valueOf)");
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
