package io.runnel.connectors.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.connectors.CollectingOutput;
import io.runnel.connectors.InvalidConfigException;
import io.runnel.connectors.ManualTimeSource;
import io.runnel.connectors.SourceContractTest;
import io.runnel.streams.connect.Source;
import io.runnel.streams.connect.SourceContext;
import io.runnel.streams.connect.SourceReader;
import io.runnel.streams.connect.SourceSplit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class GeneratorSourceTest {

    record Click(int split, long sequence, String user, int amount) {
    }

    static final EventGenerator<Click> CLICKS =
            (split, sequence, random) -> new Click(split, sequence, "user-" + random.nextInt(1000), random.nextInt(100));

    private static final SourceContext CONTEXT = new SourceContext("test", "clicks", 0, 1);

    @Nested
    class BoundedContract extends SourceContractTest<Click> {
        @Override
        protected Source<Click> createSource(Path dir) {
            return GeneratorSource.of("clicks", 42, CLICKS).withSplits(3).withLimit(301);
        }

        @Override
        protected long expectedBoundedCount() {
            return 301;
        }
    }

    @Nested
    class PacedUnboundedContract extends SourceContractTest<Click> {
        @Override
        protected Source<Click> createSource(Path dir) {
            return GeneratorSource.of("clicks", 7, CLICKS).withSplits(2).withRatePerSecond(1_000_000)
                    .withTimeSource(new ManualTimeSource(0));
        }
    }

    @Test
    void shouldProduceSameEventsForSameSeed() {
        List<Click> a = readAll(GeneratorSource.of("c", 1, CLICKS).withLimit(1000));
        List<Click> b = readAll(GeneratorSource.of("c", 1, CLICKS).withLimit(1000));
        List<Click> other = readAll(GeneratorSource.of("c", 2, CLICKS).withLimit(1000));
        assertThat(a).hasSize(1000).isEqualTo(b).isNotEqualTo(other);
        Set<String> users = new HashSet<>();
        a.forEach(c -> users.add(c.user()));
        assertThat(users).as("distinct users among 1000 events (the random stream is not degenerate)").hasSizeGreaterThan(400);
    }

    @Test
    void shouldSpreadLimitOverSplits() {
        GeneratorSource<Click> source = GeneratorSource.of("c", 1, CLICKS).withSplits(4).withLimit(10);
        int[] counts = new int[4];
        for (SourceSplit split : source.splits()) {
            List<Click> clicks = readSplit(source, split);
            counts[Integer.parseInt(split.id())] = clicks.size();
            assertThat(clicks).allMatch(c -> c.split() == Integer.parseInt(split.id()));
        }
        assertThat(counts).containsExactly(3, 3, 2, 2);
    }

    @Test
    void shouldPaceAtTargetRateWithoutSpinning() {
        ManualTimeSource time = new ManualTimeSource(1_000);
        GeneratorSource<Click> source = GeneratorSource.of("c", 1, CLICKS).withRatePerSecond(100).withTimeSource(time);
        try (SourceReader<Click> reader = source.open(source.splits().get(0), CONTEXT)) {
            CollectingOutput<Click> out = new CollectingOutput<>();
            int polls = 0;
            while (out.size() < 500) {
                reader.poll(out, 1000, Duration.ofMillis(100));
                polls++;
            }
            // 500 events at 100/s take ~5 s of (manual) time, reached by sleeping, not by spinning
            assertThat(time.nanoTime()).as("time to produce 500 events at 100/s").isBetween(4_900_000_000L, 5_100_000_000L);
            assertThat(time.sleptNanos()).as("time spent sleeping").isGreaterThan(4_800_000_000L);
            assertThat(polls).as("polls (each waits for the next event)").isLessThan(600);
        }
    }

    @Test
    void shouldReportCaughtUpWhenNextEventIsBeyondTimeout() {
        ManualTimeSource time = new ManualTimeSource(0);
        GeneratorSource<Click> source = GeneratorSource.of("c", 1, CLICKS).withRatePerSecond(1).withTimeSource(time);
        try (SourceReader<Click> reader = source.open(source.splits().get(0), CONTEXT)) {
            CollectingOutput<Click> out = new CollectingOutput<>();
            assertThat(reader.poll(out, 10, Duration.ofMillis(100))).isEqualTo(SourceReader.Status.MORE);
            assertThat(out.size()).isEqualTo(1);
            assertThat(reader.poll(out, 10, Duration.ofMillis(100))).isEqualTo(SourceReader.Status.CAUGHT_UP);
            assertThat(reader.hasBacklog()).isFalse();
            assertThat(time.nanoTime()).as("waited the whole timeout").isEqualTo(100_000_000L);
        }
    }

    @Test
    void shouldRejectBadConfigurationNamingTheKey() {
        assertThatThrownBy(() -> GeneratorSource.of("c", 1, CLICKS).withSplits(0))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("splits=0");
        assertThatThrownBy(() -> GeneratorSource.of("c", 1, CLICKS).withRatePerSecond(-5))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("ratePerSecond=-5");
        assertThatThrownBy(() -> GeneratorSource.of(" ", 1, CLICKS)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("name");
        GeneratorSource<Click> two = GeneratorSource.of("c", 1, CLICKS).withSplits(2);
        assertThatThrownBy(() -> two.open(new SourceSplit("5", new byte[0]), CONTEXT)).hasMessageContaining("split='5'");
    }

    static List<Click> readAll(GeneratorSource<Click> source) {
        return source.splits().stream().flatMap(s -> readSplit(source, s).stream()).toList();
    }

    static List<Click> readSplit(GeneratorSource<Click> source, SourceSplit split) {
        try (SourceReader<Click> reader = source.open(split, CONTEXT)) {
            CollectingOutput<Click> out = new CollectingOutput<>();
            while (reader.poll(out, 100, Duration.ofMillis(10)) != SourceReader.Status.END) {
                // drain
            }
            return out.records();
        }
    }
}
