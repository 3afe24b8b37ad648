package io.runnel.connectors.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.connectors.InvalidConfigException;
import io.runnel.connectors.SinkContractTest;
import io.runnel.streams.connect.ConnectorException;
import io.runnel.streams.connect.Sink;
import io.runnel.streams.connect.SinkContext;
import io.runnel.streams.connect.SinkWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSinkTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Result(String url, long views, String note) {
    }

    static Result result(int i) {
        return new Result("/p/" + i, i, i % 3 == 0 ? "has, comma and \"quotes\"" : "plain");
    }

    /** Visible part files only: hidden in-progress files are not published. */
    static List<Path> visibleFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> !p.getFileName().toString().startsWith(".")).filter(Files::isRegularFile).sorted().toList();
        }
    }

    static List<Result> readJsonLines(Path dir) throws IOException {
        List<Result> results = new ArrayList<>();
        for (Path file : visibleFiles(dir)) {
            String text = Files.readString(file);
            assertThat(text).as("visible file %s ends with a whole line", file).endsWith("\n");
            for (String line : text.split("\n")) {
                results.add(JSON.readValue(line, Result.class));
            }
        }
        return results;
    }

    @Nested
    class JsonLinesContract extends SinkContractTest<Result> {
        private Path out;

        @Override
        protected Sink<Result> createSink(Path dir) {
            out = dir.resolve("out");
            return FileSink.<Result>jsonLines("results", out).withMaxPartBytes(500);
        }

        @Override
        protected Result record(int i) {
            return result(i);
        }

        @Override
        protected List<Result> published() throws IOException {
            return readJsonLines(out);
        }

        @Override
        protected boolean publishesOnlyOnCommit() {
            return true;
        }
    }

    @Nested
    class CsvContract extends SinkContractTest<Result> {
        private Path out;

        @Override
        protected Sink<Result> createSink(Path dir) {
            out = dir.resolve("csv");
            return FileSink.<Result>csv("results-csv", out, "url", "views", "note").withPrefix("views");
        }

        @Override
        protected Result record(int i) {
            return result(i);
        }

        @Override
        protected List<Result> published() throws IOException {
            List<Result> results = new ArrayList<>();
            for (Path file : visibleFiles(out)) {
                assertThat(file.getFileName().toString()).startsWith("views-t0-cp").endsWith(".csv");
                FileSource<Map<String, String>> source = FileSource.csv("read-back", file);
                FileSourceTest.drain(source).records()
                        .forEach(row -> results.add(new Result(row.get("url"), Long.parseLong(row.get("views")), row.get("note"))));
            }
            return results;
        }

        @Override
        protected boolean publishesOnlyOnCommit() {
            return true;
        }
    }

    @Test
    void shouldRollPartsBySizeAndPublishThemWhole(@TempDir Path dir) throws Exception {
        FileSink<Result> sink = FileSink.<Result>jsonLines("r", dir).withMaxPartBytes(200);
        try (SinkWriter<Result> writer = sink.open(new SinkContext("job", "r", 2, 3, dir.resolve("state")))) {
            for (int i = 0; i < 50; i++) {
                writer.write(result(i));
                assertThat(visibleFiles(dir)).as("visible before commit").isEmpty();
            }
            writer.commit(7, writer.prepareCommit(7));
        }
        List<Path> files = visibleFiles(dir);
        assertThat(files.size()).as("parts of ~200 bytes for 50 records").isGreaterThan(5);
        assertThat(files).allMatch(f -> f.getFileName().toString().matches("part-t2-cp7-\\d+\\.jsonl"));
        assertThat(readJsonLines(dir)).hasSize(50);
        try (Stream<Path> all = Files.list(dir)) {
            assertThat(all.filter(p -> p.getFileName().toString().startsWith("."))).as("hidden files left after commit").isEmpty();
        }
    }

    @Test
    void shouldDeleteLeftoversOfUncompletedCheckpoints(@TempDir Path dir) throws Exception {
        FileSink<Result> sink = FileSink.jsonLines("r", dir);
        SinkContext context = new SinkContext("job", "r", 0, 1, dir.resolve("state"));
        SinkWriter<Result> crashed = sink.open(context);
        crashed.write(result(1));
        crashed.prepareCommit(1); // never completes
        crashed.write(result(2)); // never checkpointed; the process dies without close
        try (SinkWriter<Result> restarted = sink.open(context)) {
            restarted.write(result(3));
            restarted.commit(1, restarted.prepareCommit(1));
        }
        assertThat(readJsonLines(dir)).containsExactly(result(3));
        try (Stream<Path> all = Files.list(dir)) {
            assertThat(all.map(p -> p.getFileName().toString())).as("files left").allMatch(n -> !n.startsWith("."));
        }
        crashed.close();
    }

    @Test
    void shouldLetAnotherTaskCommitAfterParallelismChange(@TempDir Path dir) throws Exception {
        FileSink<Result> sink = FileSink.jsonLines("r", dir);
        SinkWriter<Result> old = sink.open(new SinkContext("job", "r", 0, 1, dir.resolve("s0")));
        old.write(result(1));
        byte[] committable = old.prepareCommit(1); // checkpoint 1 completes; the job stops before commit
        // restarted with parallelism 2: task 0 opens first, task 1 is given the old committable
        try (SinkWriter<Result> t0 = sink.open(new SinkContext("job", "r", 0, 2, dir.resolve("s0")));
                SinkWriter<Result> t1 = sink.open(new SinkContext("job", "r", 1, 2, dir.resolve("s1")))) {
            t0.write(result(2));
            byte[] next = t0.prepareCommit(2);
            t1.commit(1, committable);
            t0.commit(2, next);
        }
        assertThat(readJsonLines(dir)).containsExactlyInAnyOrder(result(1), result(2));
        old.close();
    }

    @Test
    void shouldRefuseDamagedCommittable(@TempDir Path dir) {
        FileSink<Result> sink = FileSink.jsonLines("r", dir);
        try (SinkWriter<Result> writer = sink.open(new SinkContext("job", "r", 0, 1, dir))) {
            assertThatThrownBy(() -> writer.commit(1, new byte[] {0, 0, 0, 1, 0, 5, '.', '.', '/', 'x', 'y', 0, 1, 'z'}))
                    .isInstanceOf(ConnectorException.class).hasMessageContaining("damaged");
            assertThatThrownBy(() -> writer.commit(1, new byte[] {127, 0, 0, 1}))
                    .isInstanceOf(ConnectorException.class).hasMessageContaining("damaged");
        }
    }

    @Test
    void shouldFailClearlyWhenStagedFileVanished(@TempDir Path dir) throws Exception {
        FileSink<Result> sink = FileSink.jsonLines("r", dir);
        SinkContext context = new SinkContext("job", "r", 0, 1, dir.resolve("state"));
        byte[] committable;
        try (SinkWriter<Result> writer = sink.open(context)) {
            writer.write(result(1));
            committable = writer.prepareCommit(1);
        }
        try (Stream<Path> hidden = Files.list(dir)) {
            for (Path p : hidden.filter(p -> p.getFileName().toString().startsWith(".")).toList()) {
                Files.delete(p);
            }
        }
        try (SinkWriter<Result> writer = sink.open(context)) {
            assertThatThrownBy(() -> writer.commit(1, committable)).isInstanceOf(ConnectorException.class)
                    .hasMessageContaining("is missing").hasMessageContaining("never published");
        }
    }

    @Test
    void shouldRejectUnwritableDirectoryNamingTheKey(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertThatThrownBy(() -> FileSink.jsonLines("r", file.resolve("sub")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("directory=").hasMessageContaining("cannot be created");
        assertThatThrownBy(() -> FileSink.csv("r", dir)).isInstanceOf(InvalidConfigException.class).hasMessageContaining("columns=");
        assertThatThrownBy(() -> FileSink.jsonLines("r", dir).withPrefix(".hidden")).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("prefix='.hidden'");
    }
}
