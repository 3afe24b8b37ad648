package io.runnel.benchmarks.latency;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PacerTest {

    @Test
    void shouldScheduleSendsAtFixedIntervalsWhateverTheSenderDoes() {
        long start = System.nanoTime();
        Pacer pacer = new Pacer(start, 10_000);
        long first = pacer.awaitNext();
        long second = pacer.awaitNext();
        long third = pacer.awaitNext();

        assertThat(first).isEqualTo(start);
        assertThat(second - first).isEqualTo(100_000);
        assertThat(third - second).isEqualTo(100_000);
        assertThat(System.nanoTime()).isGreaterThanOrEqualTo(third);
    }

    @Test
    void shouldCountLatencyFromTheIntendedTimeSoStallsAreNotHidden() {
        LatencyRecorder recorder = new LatencyRecorder();
        long intended = 0;
        // A 100 ms stall delays the next 1,000 sends of a 10 k/s schedule: each one's latency
        // counts the part of the stall it waited through.
        for (int i = 0; i < 1_000; i++) {
            recorder.record(intended + i * 100_000L, 100_000_000L + 1_000);
        }
        for (int i = 0; i < 9_000; i++) {
            recorder.record(0, 1_000_000);
        }
        assertThat(recorder.count()).isEqualTo(10_000);
        assertThat(recorder.percentileUs(50)).isBetween(990L, 1_010L);
        assertThat(recorder.percentileUs(99)).isGreaterThan(80_000);
        assertThat(recorder.maxUs()).isBetween(99_000L, 101_000L);
    }
}
