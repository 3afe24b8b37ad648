package io.runnel.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return BenchCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void shouldListEveryScenarioInTheHelp() {
        assertThat(run("--help")).isZero();
        String help = out.toString(StandardCharsets.UTF_8);
        for (Scenario s : Scenarios.all()) {
            assertThat(help).contains(s.name());
        }
        assertThat(help).contains("jdbc-sink", "http-ingest", "web-activity", "--quick", "--only");
    }

    @Test
    void shouldNameTheUnknownScenarioAndTheKnownOnes() {
        assertThat(run("log-apend")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown scenario 'log-apend'", "log-append");
    }

    @Test
    void shouldNameTheUnknownFlag() {
        assertThat(run("log-append", "--fast")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown flag '--fast'", "--quick");
    }

    @Test
    void shouldRefuseASystemTheScenarioDoesNotRun() {
        assertThat(run("streams-window", "--only", "kafka")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--only kafka", "flink");
    }

    @Test
    void shouldParseFlags() {
        BenchOptions o = BenchOptions.parse(List.of("log-read", "--quick", "--only", "runnel,kafka", "--seed", "7",
                "--records", "1_000", "--passes", "9", "--no-report"), Path.of("r.html"));

        assertThat(o.quick()).isTrue();
        assertThat(o.only()).containsExactly("runnel", "kafka");
        assertThat(o.includes("flink")).isFalse();
        assertThat(o.seed()).isEqualTo(7);
        assertThat(o.size(5_000_000, 50_000)).isEqualTo(1_000);
        assertThat(o.passes(5, 1)).isEqualTo(9);
        assertThat(o.report()).isNull();
        BenchOptions defaults = BenchOptions.parse(List.of("log-read"), null);
        assertThat(defaults.passes(5, 1)).isEqualTo(5);
        assertThat(BenchOptions.parse(List.of("log-read", "--quick"), null).passes(5, 1)).isEqualTo(1);
    }

    @Test
    void shouldRejectBadFlagValues() {
        assertThatThrownBy(() -> BenchOptions.parse(List.of("log-read", "--records", "0"), null))
                .hasMessageContaining("--records must be at least 1");
        assertThatThrownBy(() -> BenchOptions.parse(List.of("log-read", "--passes", "0"), null))
                .hasMessageContaining("--passes must be at least 1");
        assertThatThrownBy(() -> BenchOptions.parse(List.of("log-read", "--passes", "100"), null))
                .hasMessageContaining("--passes must be at most 99");
        assertThatThrownBy(() -> BenchOptions.parse(List.of("log-read", "--seed", "x"), null))
                .hasMessageContaining("--seed needs a whole number");
        assertThatThrownBy(() -> BenchOptions.parse(List.of("log-read", "--only"), null))
                .hasMessageContaining("--only needs a value");
        assertThatThrownBy(() -> BenchOptions.parse(List.of("--quick"), null))
                .hasMessageContaining("first argument must be a scenario");
    }
}
