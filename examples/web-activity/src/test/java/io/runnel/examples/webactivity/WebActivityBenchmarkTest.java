package io.runnel.examples.webactivity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark on a small input: it runs the example, checks the count and reports a RESULT line. */
class WebActivityBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void shouldRunTheExampleOverItsInputAndReportARunnelResultLine() throws Exception {
        WebActivityBenchmark.Result r = WebActivityBenchmark.run(dir, 20_000, 3);
        assertThat(r.events()).isEqualTo(20_000);
        assertThat(r.seconds()).isPositive();
        assertThat(r.resultLine(1)).matches("RESULT name=web-activity system=runnel variant=file-log-job-sqlite records=20000"
                + " seconds=[0-9.]+ records_per_s=[0-9]+ parallelism=1");
    }
}
