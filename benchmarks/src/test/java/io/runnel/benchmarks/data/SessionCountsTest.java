package io.runnel.benchmarks.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.benchmarks.CheckFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SessionCountsTest {

    private static final long GAP_MS = 30 * 60_000L;
    private static final int EVENTS = 1_000_000;
    private final PageViewGenerator generator = new PageViewGenerator(PageViewSpec.standard(Long.getLong("seed", 42L)));

    private record Session(String user, long first, long last, long count) {}

    /** Sessions by merging per user, event by event, in arrival order: a second way to the same answer. */
    private List<Session> incremental(long gapMs) {
        Map<String, TreeMap<Long, long[]>> open = new TreeMap<>();
        for (long i = 0; i < EVENTS; i++) {
            PageView v = generator.at(i);
            TreeMap<Long, long[]> sessions = open.computeIfAbsent(v.user(), u -> new TreeMap<>());
            long first = v.timestampMs();
            long last = v.timestampMs();
            long count = 1;
            // Merge every session within gap of the new event (on either side).
            for (Map.Entry<Long, long[]> e : new ArrayList<>(sessions.entrySet())) {
                long[] s = e.getValue();
                if (v.timestampMs() >= s[0] - gapMs && v.timestampMs() <= s[1] + gapMs) {
                    first = Math.min(first, s[0]);
                    last = Math.max(last, s[1]);
                    count += s[2];
                    sessions.remove(e.getKey());
                }
            }
            sessions.put(first, new long[] {first, last, count});
        }
        List<Session> out = new ArrayList<>();
        open.forEach((user, sessions) -> sessions.values().forEach(s -> out.add(new Session(user, s[0], s[1], s[2]))));
        return out;
    }

    private static SessionCounts summary(List<Session> sessions) {
        SessionCounts counts = new SessionCounts();
        sessions.forEach(s -> counts.add(s.user(), s.first(), s.last(), s.count()));
        return counts;
    }

    @Test
    void shouldAgreeWithIncrementalMerging() {
        SessionCounts expected = SessionCounts.expected(generator, EVENTS, GAP_MS);
        List<Session> sessions = incremental(GAP_MS);

        assertThat(expected.total()).isEqualTo(EVENTS);
        assertThat(sessions.size()).isGreaterThan(generator.spec().users() / 100);
        assertThatCode(() -> summary(sessions).verify(expected)).doesNotThrowAnyException();
    }

    @Test
    void shouldFailWhenSessionBoundariesDiffer() {
        SessionCounts expected = SessionCounts.expected(generator, EVENTS, GAP_MS);
        // A shorter gap splits some sessions: same events, other boundaries.
        assertThatThrownBy(() -> summary(incremental(GAP_MS / 3)).verify(expected))
                .isInstanceOf(CheckFailedException.class);
    }
}
