package io.runnel.benchmarks.data;

import io.runnel.benchmarks.CheckFailedException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A summary of per-user session windows: how many sessions, the events they hold, and an
 * order-independent fingerprint of every (user, first event time, last event time, count).
 * Sessions follow DESIGN.md section 6: events of a user at most the gap apart share a session.
 * Thread-safe.
 */
public final class SessionCounts {

    private long sessions;
    private long total;
    private long fingerprint;

    /** Adds one session: its user, first and last event time, and its event count. */
    public synchronized void add(String user, long firstEventMs, long lastEventMs, long count) {
        sessions++;
        total += count;
        fingerprint += SplitMix.combine(SplitMix.combine(SplitMix.combine(user.hashCode(), firstEventMs), lastEventMs),
                count);
    }

    public synchronized long sessions() {
        return sessions;
    }

    public synchronized long total() {
        return total;
    }

    /** The independent computation over events {@code 0 .. count-1} with the given gap. */
    public static SessionCounts expected(PageViewGenerator generator, long count, long gapMs) {
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("session oracle holds at most 2^31 events, got " + count);
        }
        int n = (int) count;
        int users = generator.spec().users();
        int[] userOf = new int[n];
        int[] offsets = new int[users + 1];
        for (int i = 0; i < n; i++) {
            userOf[i] = generator.userId(i);
            offsets[userOf[i] + 1]++;
        }
        for (int u = 0; u < users; u++) {
            offsets[u + 1] += offsets[u];
        }
        long[] times = new long[n];
        int[] fill = Arrays.copyOf(offsets, users);
        for (int i = 0; i < n; i++) {
            times[fill[userOf[i]]++] = generator.timestampMs(i);
        }
        SessionCounts expected = new SessionCounts();
        for (int u = 0; u < users; u++) {
            int from = offsets[u];
            int to = offsets[u + 1];
            if (from == to) {
                continue;
            }
            Arrays.sort(times, from, to);
            int sessionFrom = from;
            for (int i = from + 1; i <= to; i++) {
                if (i == to || times[i] - times[i - 1] > gapMs) {
                    expected.add(generator.userName(u), times[sessionFrom], times[i - 1], i - sessionFrom);
                    sessionFrom = i;
                }
            }
        }
        return expected;
    }

    /**
     * Compares with the expected summary.
     *
     * @throws CheckFailedException naming what differs
     */
    public synchronized void verify(SessionCounts expected) {
        Objects.requireNonNull(expected, "expected");
        synchronized (expected) {
            if (total != expected.total) {
                throw new CheckFailedException("sessions hold " + total + " events, expected " + expected.total);
            }
            if (sessions != expected.sessions) {
                throw new CheckFailedException("got " + sessions + " sessions, expected " + expected.sessions);
            }
            if (fingerprint != expected.fingerprint) {
                throw new CheckFailedException("session boundaries or counts differ (totals agree, fingerprints do not)");
            }
        }
    }

    @Override
    public synchronized String toString() {
        return "SessionCounts[sessions=" + sessions + ", total=" + total + "]";
    }
}
