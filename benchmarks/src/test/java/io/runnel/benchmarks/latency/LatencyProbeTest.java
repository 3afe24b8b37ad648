package io.runnel.benchmarks.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.benchmarks.CheckFailedException;
import org.junit.jupiter.api.Test;

class LatencyProbeTest {

    @Test
    void shouldCountOnlyRecordsIntendedAfterTheWarmUp() {
        LatencyProbe probe = new LatencyProbe(3, 1_000_000);
        probe.receive(LatencyProbe.value(100, 0, 0), 5_000_000);
        probe.receive(LatencyProbe.value(100, 2, 2_000_000), 4_000_000);
        probe.receive(LatencyProbe.value(100, 1, 1_000_000), 3_000_000);

        assertThat(probe.complete()).isTrue();
        assertThat(probe.measured()).isEqualTo(2);
        assertThat(probe.recorder().percentileUs(100)).isBetween(1_999L, 2_001L);
        assertThatCode(probe::verify).doesNotThrowAnyException();
    }

    @Test
    void shouldFailOnALostOrDuplicatedRecord() {
        LatencyProbe lost = new LatencyProbe(2, 0);
        lost.receive(LatencyProbe.value(16, 0, 0), 1);
        assertThatThrownBy(lost::verify).isInstanceOf(CheckFailedException.class).hasMessageContaining("1 distinct of 2");

        LatencyProbe duplicated = new LatencyProbe(1, 0);
        duplicated.receive(LatencyProbe.value(16, 0, 0), 1);
        duplicated.receive(LatencyProbe.value(16, 0, 0), 2);
        assertThatThrownBy(duplicated::verify).isInstanceOf(CheckFailedException.class).hasMessageContaining("1 duplicate");
    }
}
