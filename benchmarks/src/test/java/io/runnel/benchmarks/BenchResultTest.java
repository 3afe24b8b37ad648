package io.runnel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BenchResultTest {

    @Test
    void shouldPrintFieldsInTheDocumentedOrder() {
        BenchResult r = BenchResult.of("log-append", "runnel", "os-t4-b100")
                .config("durability", "os").config("threads", 4).config("batch", 100)
                .extra("partitions", 6)
                .measured(5_000_000, 2.5)
                .bytes(500_000_000)
                .build();

        assertThat(r.line()).isEqualTo("RESULT name=log-append system=runnel variant=os-t4-b100 durability=os threads=4"
                + " batch=100 records=5000000 seconds=2.500 records_per_s=2000000 mb_per_s=200.0 partitions=6");
    }

    @Test
    void shouldRoundTripALatencyLine() {
        BenchResult r = BenchResult.of("log-latency", "kafka", "acks-1").config("acks", "1")
                .measured(300_000, 30).latency(4200, 15000, 30000).extra("rate", 10000).build();

        BenchResult parsed = BenchResult.parse(r.line());

        assertThat(parsed.line()).isEqualTo(r.line());
        assertThat(parsed.isLatency()).isTrue();
        assertThat(parsed.field("p999_us")).isEqualTo("30000");
        assertThat(parsed.recordsPerSecond()).isEqualTo(10000.0);
        assertThat(r.line()).matches("RESULT name=\\S+ system=\\S+ variant=\\S+ .*records=\\d+ seconds=[\\d.]+ "
                + "records_per_s=\\d+ p50_us=\\d+ p99_us=\\d+ p999_us=\\d+.*");
    }

    @Test
    void shouldRejectValuesThatWouldBreakTheLine() {
        assertThatThrownBy(() -> BenchResult.of("log append", "runnel", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> BenchResult.of("a", "b", "c").config("k", "a=b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BenchResult.of("a", "b", "c").measured(1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seconds");
        assertThatThrownBy(() -> BenchResult.parse("RESULT name=a system=b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("variant");
    }
}
