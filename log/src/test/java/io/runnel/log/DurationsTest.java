package io.runnel.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class DurationsTest {

    private static final String[] UNITS = {"d", "h", "m", "s", "ms"};
    private static final long[] UNIT_MS = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};

    @Test
    void shouldParseEveryUnitAndCombinationsFromTheLargestDown() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Durations.parse("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("0s")).isEqualTo(Duration.ZERO);
        assertThat(Durations.parse("0ms")).isEqualTo(Duration.ZERO);
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse(" 1m5s250ms\t")).isEqualTo(Duration.ofMillis(65_250));
        assertThat(Durations.parse("1d2h3m4s5ms"))
                .isEqualTo(Duration.ofDays(1).plusHours(2).plusMinutes(3).plusSeconds(4).plusMillis(5));
        assertThat(Durations.parse("90m")).isEqualTo(Duration.ofMinutes(90)); // a part may exceed the next unit
        assertThat(Durations.parse("007s")).isEqualTo(Duration.ofSeconds(7));
        assertThat(Durations.parse("000000000000000000000001s")).isEqualTo(Duration.ofSeconds(1));
        assertThat(Durations.parse(Long.MAX_VALUE + "ms")).isEqualTo(Duration.ofMillis(Long.MAX_VALUE));
    }

    @Test
    void shouldRefuseWhatIsNotADurationNamingTheTextWhatIsWrongAndTheValidForms() {
        String[][] cases = {
            {"", "it is empty"},
            {" ", "it is empty"},
            {"5", "the number 5 has no unit"},
            {"5x", "unknown unit 'x'"},
            {"5S", "unknown unit 'S'"},
            {"5sec", "unknown unit 'sec'"},
            {"s", "expected a number at 's'"},
            {"-5s", "expected a number at '-5s'"},
            {"+5s", "expected a number at '+5s'"},
            {"1.5s", "the number 1 has no unit"},
            {"5 s", "the number 5 has no unit"},
            {"1h 30m", "expected a number at ' 30m'"},
            {"PT5S", "expected a number at 'PT5S'"},
            {"1m1h", "write units from the largest down, each once"},
            {"5s5s", "write units from the largest down, each once"},
            {"5ms5s", "write units from the largest down, each once"},
            {"\u0665s", "expected a number"}, // ARABIC-INDIC DIGIT FIVE: only ASCII digits count
            {"9999999999999999999d", "it is longer than 9223372036854775807ms"},
            {"106751991167301d", "it is longer than"},
            {Long.MAX_VALUE + "ms1ms", "write units"},
            {"9223372036854775807s", "it is longer than"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> Durations.parse(c[0])).as(c[0])
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("'" + c[0] + "' is not a duration (")
                    .hasMessageContaining(c[1])
                    .hasMessageEndingWith("): write " + Durations.SYNTAX);
        }
        assertThat(Durations.SYNTAX).contains("ms, s, m, h, d", "500ms, 5s, 30m, 1h, 7d");
        assertThatThrownBy(() -> Durations.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("null is not a duration (it is missing): write " + Durations.SYNTAX);
    }

    @Test
    void shouldFormatTheShortestTextThatParsesBack() {
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(Durations.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Durations.format(Duration.ofDays(7))).isEqualTo("7d");
        assertThat(Durations.format(Duration.ofNanos(1_500_000))).isEqualTo("1ms"); // below a millisecond dropped
        assertThat(Durations.format(Duration.ofNanos(999_999))).isEqualTo("0s");
        for (String text : new String[] {"0s", "500ms", "5s", "30m", "1h", "1h30m", "2d3h4m5s6ms"}) {
            assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
        }
        assertThatThrownBy(() -> Durations.format(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be negative, was PT-1S");

        long seed = seed();
        Random random = new Random(seed);
        for (int i = 0; i < 10_000; i++) {
            Duration d = Duration.ofMillis(random.nextInt(4) == 0 ? random.nextInt(5000)
                    : (long) (random.nextDouble() * 30L * 86_400_000L));
            assertThat(Durations.parse(Durations.format(d))).as("seed %d, %s", seed, d).isEqualTo(d);
        }
    }

    @Test
    void shouldAgreeWithAnIndependentOracleOnRandomTexts() {
        long seed = seed();
        assertThat(firstDisagreement(Durations::parse, seed, 20_000)).as("seed %d", seed).isEmpty();
    }

    @Test
    void theOracleShouldCatchAParserThatMisreadsAUnit() {
        // A parser that reads "m" as milliseconds where it follows an "h": a plausible slip.
        Function<String, Duration> broken = text -> Durations.parse(text.replaceAll("h(\\d+)m(?!s)", "h$1ms"));
        assertThat(firstDisagreement(broken, 1L, 20_000)).isPresent();
    }

    /**
     * Builds random valid texts (1 to 5 parts, units from the largest down, random counts, some with
     * leading zeros) with their length worked out separately, and returns the first text the parser
     * reads otherwise.
     */
    private static Optional<String> firstDisagreement(Function<String, Duration> parser, long seed, int count) {
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            StringBuilder text = new StringBuilder();
            long expectedMs = 0;
            for (int u = 0; u < UNITS.length; u++) {
                if (random.nextInt(3) == 0 || (u == UNITS.length - 1 && text.length() == 0)) {
                    int n = random.nextInt(random.nextBoolean() ? 100 : 100_000);
                    text.append(random.nextInt(10) == 0 ? "0" : "").append(n).append(UNITS[u]);
                    expectedMs += n * UNIT_MS[u];
                }
            }
            if (!parser.apply(text.toString()).equals(Duration.ofMillis(expectedMs))) {
                return Optional.of(text.toString());
            }
        }
        return Optional.empty();
    }

    private static long seed() {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("DurationsTest seed=" + seed + " (rerun with -Dseed=" + seed + ")");
        return seed;
    }
}
