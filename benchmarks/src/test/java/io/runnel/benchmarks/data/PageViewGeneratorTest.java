package io.runnel.benchmarks.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PageViewGeneratorTest {

    private static final long SEED = Long.getLong("seed", 42L);
    private final PageViewGenerator generator = new PageViewGenerator(PageViewSpec.standard(SEED));

    @Test
    void shouldProduceTheSameEventForTheSameSeedAndIndex() {
        PageViewGenerator again = new PageViewGenerator(PageViewSpec.standard(SEED));
        for (long i = 0; i < 10_000; i += 37) {
            assertThat(again.at(i)).isEqualTo(generator.at(i));
        }
        assertThat(new PageViewGenerator(PageViewSpec.standard(SEED + 1)).at(5)).isNotEqualTo(generator.at(5));
    }

    @Test
    void shouldKeepOutOfOrdernessWithinTheBound() {
        long bound = generator.spec().maxOutOfOrdernessMs();
        long maxSeen = Long.MIN_VALUE;
        long largestLag = 0;
        for (long i = 0; i < 200_000; i++) {
            long ts = generator.timestampMs(i);
            if (maxSeen != Long.MIN_VALUE) {
                largestLag = Math.max(largestLag, maxSeen - ts);
            }
            maxSeen = Math.max(maxSeen, ts);
        }
        assertThat(largestLag).isLessThanOrEqualTo(bound).isGreaterThan(bound / 2);
    }

    @Test
    void shouldMakeUrlPopularitySkewed() {
        Map<Integer, Integer> counts = new HashMap<>();
        for (long i = 0; i < 100_000; i++) {
            counts.merge(generator.urlId(i), 1, Integer::sum);
        }
        assertThat(counts.get(0)).isGreaterThan(counts.getOrDefault(9, 0) * 5);
        assertThat(counts.size()).isGreaterThan(1_000);
    }

    @Test
    void shouldGiveUsersSessionsSeparatedByLongGaps() {
        Map<Integer, TreeSet<Long>> times = new HashMap<>();
        for (long i = 0; i < 2_000_000; i++) {
            times.computeIfAbsent(generator.userId(i), u -> new TreeSet<>()).add(generator.timestampMs(i));
        }
        long gapMs = 30 * 60_000L;
        long usersWithTwoSessions = times.values().stream().filter(ts -> {
            Long previous = null;
            for (long t : ts) {
                if (previous != null && t - previous > gapMs) {
                    return true;
                }
                previous = t;
            }
            return false;
        }).count();
        assertThat(usersWithTwoSessions).isGreaterThan(100);
    }

    @Test
    void shouldMarkAboutTheBotFraction() {
        long bots = 0;
        for (long i = 0; i < 100_000; i++) {
            bots += generator.bot(i) ? 1 : 0;
        }
        assertThat(bots).isBetween(1_500L, 2_500L);
    }

    @Test
    void shouldRoundTripThroughTheCodec() {
        for (long i = 0; i < 1_000; i++) {
            PageView view = generator.at(i);
            assertThat(PageViewCodec.decode(PageViewCodec.encode(view))).isEqualTo(view);
        }
    }
}
