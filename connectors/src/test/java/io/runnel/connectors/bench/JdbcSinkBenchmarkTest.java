package io.runnel.connectors.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The benchmark runs (quick, SQLite) and checks its own results, so it cannot rot unnoticed. */
class JdbcSinkBenchmarkTest {

    @Test
    void shouldPrintResultLinesForEveryBatchSize() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        JdbcSinkBenchmark.run(true, "sqlite", new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
                .hasSize(3)
                .allMatch(line -> line.matches("RESULT name=jdbc-sink system=runnel variant=sqlite-batch\\d+ records=\\d+ seconds=[\\d.]+ records_per_s=\\d+ batch=\\d+"));
    }
}
