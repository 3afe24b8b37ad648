package io.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HumanDurationTest {

    @Test
    void shouldParseEveryUnit() {
        assertThat(HumanDuration.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(HumanDuration.parse("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(HumanDuration.parse("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(HumanDuration.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(HumanDuration.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(HumanDuration.parse("0s")).isEqualTo(Duration.ZERO);
        assertThat(HumanDuration.parse(" 1h30m ")).isEqualTo(Duration.ofMinutes(90));
        assertThat(HumanDuration.parse("1d2h3m4s5ms")).isEqualTo(
                Duration.ofDays(1).plusHours(2).plusMinutes(3).plusSeconds(4).plusMillis(5));
    }

    @Test
    void shouldRejectWhatIsNotADurationNamingTheTextAndTheSyntax() {
        for (String bad : new String[] {"5x", "", " ", "5", "-5s", "s", "1m1h", "5s5s", "1.5s", "5 s", "5S", "PT5S",
            "9999999999999999999d"}) {
            assertThatThrownBy(() -> HumanDuration.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "' is not a duration")
                    .hasMessageContaining("500ms, 5s, 30m, 1h, 7d");
        }
        assertThatThrownBy(() -> HumanDuration.parse("5x")).hasMessageContaining("unknown unit 'x'");
    }

    @Test
    void shouldFormatWhatParseReadsBack() {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("HumanDurationTest seed=" + seed + " (rerun with -Dseed=" + seed + ")");
        Random random = new Random(seed);
        for (int i = 0; i < 10_000; i++) {
            Duration d = Duration.ofMillis(random.nextInt(4) == 0 ? random.nextInt(5000)
                    : (long) (random.nextDouble() * 30L * 86_400_000L));
            assertThat(HumanDuration.parse(HumanDuration.format(d))).as("seed %d, %s", seed, d).isEqualTo(d);
        }
        assertThat(HumanDuration.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(HumanDuration.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(HumanDuration.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(HumanDuration.format(Duration.ofDays(7))).isEqualTo("7d");
    }
}
