package io.runnel.connectors.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The benchmark runs (quick) and checks its own results, so it cannot rot unnoticed. */
class HttpIngestBenchmarkTest {

    @Test
    void shouldPrintResultLinesForEachDurability() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        HttpIngestBenchmark.run(true, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
                .hasSize(2)
                .allMatch(line -> line.matches("RESULT name=http-ingest system=runnel variant=4-clients-batch100 records=\\d+ seconds=[\\d.]+"
                        + " records_per_s=\\d+ durability=(fsync|os) threads=4 batch=100 p50_us=\\d+ p99_us=\\d+ p999_us=\\d+"));
    }
}
