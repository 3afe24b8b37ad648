package io.runnel.examples.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void shouldParseEachUnitAndCombinations() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Durations.parse("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse(" 1m5s250ms ")).isEqualTo(Duration.ofMillis(65_250));
        assertThat(Durations.parse("0s")).isEqualTo(Duration.ZERO);
    }

    @Test
    void shouldRefuseWhatIsNotADurationNamingTheSyntax() {
        for (String bad : new String[] {"", "5", "s", "5x", "5 s", "-5s", "1.5s", "5s1h", "5s5s", "PT5S", "9999999999999999d"}) {
            assertThatThrownBy(() -> Durations.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("like 500ms, 5s, 30m, 1h");
        }
    }

    @Test
    void shouldFormatWhatItParses() {
        for (String text : new String[] {"0s", "500ms", "5s", "30m", "1h", "1h30m", "2d3h4m5s6ms"}) {
            assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
        }
    }
}
