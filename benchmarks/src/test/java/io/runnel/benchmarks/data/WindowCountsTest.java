package io.runnel.benchmarks.data;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.benchmarks.CheckFailedException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WindowCountsTest {

    private static final long WINDOW_MS = 60_000;
    private static final int EVENTS = 200_000;
    private final PageViewGenerator generator = new PageViewGenerator(PageViewSpec.standard(Long.getLong("seed", 42L)));

    /** A brute-force count over whole PageView objects: the oracle's own oracle. */
    private Map<List<Object>, Long> bruteForce() {
        Map<List<Object>, Long> counts = new HashMap<>();
        for (long i = 0; i < EVENTS; i++) {
            PageView v = generator.at(i);
            if (!v.bot()) {
                counts.merge(List.of(Math.floorDiv(v.timestampMs(), WINDOW_MS) * WINDOW_MS, v.url()), 1L, Long::sum);
            }
        }
        return counts;
    }

    private static WindowCounts summary(Map<List<Object>, Long> rows) {
        WindowCounts counts = new WindowCounts();
        rows.forEach((k, v) -> counts.add((Long) k.get(0), (String) k.get(1), v));
        return counts;
    }

    @Test
    void shouldAgreeWithABruteForceCount() {
        WindowCounts expected = WindowCounts.expected(generator, EVENTS, WINDOW_MS, true);
        assertThatCode(() -> summary(bruteForce()).verify(expected)).doesNotThrowAnyException();
    }

    @Test
    void shouldFailWhenOneEventMovesToAnotherUrl() {
        WindowCounts expected = WindowCounts.expected(generator, EVENTS, WINDOW_MS, true);
        Map<List<Object>, Long> rows = bruteForce();
        List<Object> key = rows.keySet().iterator().next();
        rows.merge(key, -1L, Long::sum);
        rows.merge(List.of(key.get(0), "/elsewhere"), 1L, Long::sum);
        rows.values().removeIf(v -> v == 0);

        assertThatThrownBy(() -> summary(rows).verify(expected)).isInstanceOf(CheckFailedException.class);
    }

    @Test
    void shouldFailWhenAnEventIsLost() {
        WindowCounts expected = WindowCounts.expected(generator, EVENTS, WINDOW_MS, true);
        Map<List<Object>, Long> rows = bruteForce();
        rows.replaceAll((k, v) -> v);
        List<Object> key = rows.entrySet().stream().filter(e -> e.getValue() > 1).findFirst().orElseThrow().getKey();
        rows.merge(key, -1L, Long::sum);

        assertThatThrownBy(() -> summary(rows).verify(expected))
                .isInstanceOf(CheckFailedException.class).hasMessageContaining("first different window");
    }
}
