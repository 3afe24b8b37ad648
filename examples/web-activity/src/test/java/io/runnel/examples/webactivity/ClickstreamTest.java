package io.runnel.examples.webactivity;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.examples.common.InputLine;
import io.runnel.examples.common.MalformedLineException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClickstreamTest {

    @Test
    void shouldGiveTheSameLinesForTheSameSeedAndOthersForAnother() {
        List<String> a = Clickstream.lines(1, 300, Clickstream.DEMO_SPAN, Clickstream.DEMO_START_MS);
        assertThat(Clickstream.lines(1, 300, Clickstream.DEMO_SPAN, Clickstream.DEMO_START_MS)).isEqualTo(a);
        assertThat(Clickstream.lines(2, 300, Clickstream.DEMO_SPAN, Clickstream.DEMO_START_MS)).isNotEqualTo(a);
    }

    @Test
    void shouldBeAFewHoursOfThousandsOfUsersOutOfOrderWithinTheDefaultBound() throws MalformedLineException {
        List<String> lines = Clickstream.lines(Clickstream.DEMO_SEED, Clickstream.DEMO_USERS, Clickstream.DEMO_SPAN,
                Clickstream.DEMO_START_MS);
        PageViewParser parser = new PageViewParser();
        Set<String> users = new HashSet<>();
        long maxTs = Long.MIN_VALUE;
        long worstDelayMs = 0;
        int malformed = 0;
        for (int i = 0; i < lines.size(); i++) {
            PageView v;
            try {
                v = parser.parse(InputLine.of(i + 1, lines.get(i)));
            } catch (MalformedLineException e) {
                malformed++;
                continue;
            }
            users.add(v.user());
            maxTs = Math.max(maxTs, v.ts());
            worstDelayMs = Math.max(worstDelayMs, maxTs - v.ts());
            assertThat(v.ts()).isBetween(Clickstream.DEMO_START_MS, Clickstream.DEMO_START_MS + Clickstream.DEMO_SPAN.toMillis());
        }
        assertThat(lines.size()).isBetween(50_000, 120_000);
        assertThat(users).hasSize(Clickstream.DEMO_USERS);
        assertThat(worstDelayMs).isBetween(1L, 2_000L);
        assertThat(malformed).isBetween(1, 20);
    }
}
