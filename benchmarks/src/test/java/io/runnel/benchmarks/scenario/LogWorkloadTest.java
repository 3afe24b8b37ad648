package io.runnel.benchmarks.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.benchmarks.BenchResult;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LogWorkloadTest {

    private static LogWorkload workload(long records, int passes) {
        return new LogWorkload("log-read", records, 10, 100, 1, 10_000, Duration.ofSeconds(1), Duration.ofSeconds(1),
                passes, Duration.ofMinutes(1));
    }

    @Test
    void shouldReportTheMedianPassAndListEveryPassInOrder() {
        BenchResult r = workload(1_000_000, 5).fromPasses(BenchResult.of("log-read", "kafka", "consumer-1"),
                new double[] {0.5, 0.1, 0.25, 0.2, 0.125});

        // sorted: 0.1 0.125 0.2 0.25 0.5 -> the median pass took 0.2 s
        assertThat(r.field("seconds")).isEqualTo("0.200");
        assertThat(r.recordsPerSecond()).isEqualTo(5_000_000.0);
        assertThat(r.field("mb_per_s")).isEqualTo("500.0");
        assertThat(r.field("passes")).isEqualTo("5");
        assertThat(r.field("pass_records_per_s")).isEqualTo("2000000,10000000,4000000,5000000,8000000");
    }

    @Test
    void shouldTakeTheMeanOfTheMiddleTwoOfAnEvenCount() {
        BenchResult r = workload(1_000_000, 4).fromPasses(BenchResult.of("log-read", "runnel", "consumer-1"),
                new double[] {0.5, 0.1, 0.3, 0.2});

        // sorted: 0.1 0.2 0.3 0.5 -> (0.2 + 0.3) / 2
        assertThat(r.field("seconds")).isEqualTo("0.250");
        assertThat(r.recordsPerSecond()).isEqualTo(4_000_000.0);
        assertThat(r.field("passes")).isEqualTo("4");
    }

    @Test
    void shouldReportASinglePassAsIs() {
        BenchResult r = workload(50_000, 1).fromPasses(BenchResult.of("log-append", "runnel", "os-t1-b1"),
                new double[] {0.01});

        assertThat(r.recordsPerSecond()).isEqualTo(5_000_000.0);
        assertThat(r.field("pass_records_per_s")).isEqualTo("5000000");
    }
}
