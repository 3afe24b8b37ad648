package io.runnel.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.benchmarks.BenchResult;
import io.runnel.benchmarks.latency.LatencyDistribution;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HtmlReportTest {

    @Test
    void shouldDrawThroughputBarsAndTheRatioToTheBestAnchor() {
        BenchResult runnel = BenchResult.of("log-append", "runnel", "os-t1-b100").measured(5_000_000, 1).build();
        BenchResult kafka1 = BenchResult.of("log-append", "kafka", "acks-1").measured(5_000_000, 10).build();
        BenchResult kafkaAll = BenchResult.of("log-append", "kafka", "acks-all").measured(5_000_000, 12.5).build();

        String html = HtmlReport.render(List.of(new ResultsFile("log-append", "2026-11-25T00:00:00Z",
                List.of(runnel, kafka1, kafkaAll), Map.of(), List.of("FAILED name=log-append system=x reason: <boom>"))),
                Map.of(), "now");

        assertThat(html).contains("<svg", "<rect", "os-t1-b100", "10.0x</b> kafka (acks-1)", "&lt;boom&gt;")
                .doesNotContain("<script");
    }

    @Test
    void shouldDrawEachVariantsPassesAsALine() {
        BenchResult runnel = BenchResult.of("log-read", "runnel", "consumer-1").measured(5_000_000, 0.25)
                .extra("passes", 3).extra("pass_records_per_s", "18000000,20000000,21000000").build();
        BenchResult kafka = BenchResult.of("log-read", "kafka", "consumer-1").measured(5_000_000, 1)
                .extra("passes", 3).extra("pass_records_per_s", "2500000,5000000,6000000").build();

        String html = HtmlReport.render(List.of(new ResultsFile("log-read", "t", List.of(runnel, kafka), Map.of(),
                List.of())), Map.of(), "now");

        assertThat(html).contains("Throughput by measured pass", "kafka consumer-1 pass 1: 2.50 M/s",
                "runnel consumer-1 pass 3: 21.00 M/s");
        assertThat(html.split("<polyline", -1)).hasSize(3); // one line per variant
    }

    @Test
    void shouldLeaveOutThePassChartForSinglePassResults() {
        BenchResult quick = BenchResult.of("log-read", "runnel", "consumer-1").measured(50_000, 0.01)
                .extra("passes", 1).extra("pass_records_per_s", "5000000").build();

        String html = HtmlReport.render(List.of(new ResultsFile("log-read", "t", List.of(quick), Map.of(), List.of())),
                Map.of(), "now");

        assertThat(html).contains("Throughput (records").doesNotContain("by measured pass", "<polyline");
    }

    @Test
    void shouldTakeTheRatioOnTheLogTopicVariantsWhenRunnelHasThem() {
        BenchResult memory = BenchResult.of("streams-window", "runnel", "memory-p2").config("source", "memory")
                .measured(10_000_000, 1).build();
        BenchResult log = BenchResult.of("streams-window", "runnel", "log-p2").config("source", "log")
                .measured(10_000_000, 2).build();
        BenchResult flink = BenchResult.of("streams-window", "flink", "p1").measured(10_000_000, 10).build();

        String html = HtmlReport.render(List.of(new ResultsFile("streams-window", "t", List.of(memory, log, flink),
                Map.of(), List.of())), Map.of(), "now");

        assertThat(html).contains("Runnel's best log-topic variant (log-p2) against the best of <b>5.0x</b> flink (p1)")
                .contains("another source (memory-p2) against the best of <b>10.0x</b> flink (p1)");
    }

    @Test
    void shouldShowTheConsumerRecordRatioBesideTheRecordViewOne() {
        BenchResult poll = BenchResult.of("log-read", "runnel", "consumer-2").config("api", "poll")
                .measured(5_000_000, 0.2).build();
        BenchResult view = BenchResult.of("log-read", "runnel", "consumer-2-view").config("api", "view")
                .measured(5_000_000, 0.1).build();
        BenchResult kafka = BenchResult.of("log-read", "kafka", "consumer-2").measured(5_000_000, 0.8).build();

        String html = HtmlReport.render(List.of(new ResultsFile("log-read", "t", List.of(poll, view, kafka),
                Map.of(), List.of())), Map.of(), "now");

        assertThat(html).contains("Runnel's best (consumer-2-view) against the best of <b>8.0x</b> kafka (consumer-2)")
                .contains("as Kafka's consumer reads) (consumer-2) against the best of <b>4.0x</b> kafka (consumer-2)");
    }

    @Test
    void shouldDrawThroughputAndLatencyOfAnUnpacedRunAndTheScenarioNote() {
        BenchResult ingest = BenchResult.of("http-ingest", "runnel", "fsync").measured(400_000, 4)
                .latency(1_000, 5_000, 9_000).build();

        String html = HtmlReport.render(List.of(new ResultsFile("http-ingest", "t", List.of(ingest), Map.of(), List.of())),
                Map.of("http-ingest", "No anchor: the issue asks for none."), "now");

        assertThat(html).contains("Throughput (records", "p99 latency", "No anchor: the issue asks for none.")
                .doesNotContain("class=\"ratio\"");
    }

    @Test
    void shouldDrawTheLatencyDistribution() {
        BenchResult kafka = BenchResult.of("log-latency", "kafka", "acks-1").measured(300_000, 30)
                .latency(4_000, 15_000, 30_000).extra("rate", 10_000).build();
        LatencyDistribution d = new LatencyDistribution(LatencyDistribution.POINTS,
                new long[] {4_000, 5_000, 8_000, 10_000, 15_000, 17_000, 30_000, 35_000, 40_000, 50_000});

        String html = HtmlReport.render(List.of(new ResultsFile("log-latency", "t", List.of(kafka),
                Map.of("kafka/acks-1", d), List.of())), Map.of(), "now");

        assertThat(html).contains("<polyline", "p99 latency", "p99.9", "max").doesNotContain("Throughput");
    }

    @Test
    void shouldRoundTripADistribution() {
        LatencyDistribution d = new LatencyDistribution(new double[] {50, 99.9, 100}, new long[] {1, 2, 3});
        assertThat(LatencyDistribution.decode(d.encode()).encode()).isEqualTo("50:1,99.9:2,100:3");
    }
}
