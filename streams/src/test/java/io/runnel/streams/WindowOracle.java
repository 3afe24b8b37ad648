package io.runnel.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Brute-force reference for windowed aggregations fed through {@link JobTestDriver} in a given
 * order: computes which events are late (time < W - lateness, W = highest time before - bound) and
 * the final value of every window from the accepted events alone, by enumeration.
 */
final class WindowOracle {

    /** A window of a key. */
    record Win(String key, long start, long end) {
    }

    final List<Ev> accepted = new ArrayList<>();
    final List<Ev> late = new ArrayList<>();

    WindowOracle(List<Ev> arrival, long boundMs, long latenessMs) {
        long maxTs = Long.MIN_VALUE;
        for (Ev e : arrival) {
            long w = maxTs == Long.MIN_VALUE ? Long.MIN_VALUE : maxTs - boundMs;
            if (w != Long.MIN_VALUE && e.ts() < w - latenessMs) {
                late.add(e);
            } else {
                accepted.add(e);
            }
            maxTs = Math.max(maxTs, e.ts());
        }
    }

    /** Events of each time window (tumbling when advance == size), by enumerating every window start. */
    Map<Win, List<Ev>> timeWindows(long size, long advance) {
        Map<Win, List<Ev>> out = new TreeMap<>(WindowOracle::compare);
        for (Ev e : accepted) {
            for (long start = Math.floorDiv(e.ts() - size, advance) * advance; start <= e.ts(); start += advance) {
                if (start <= e.ts() && e.ts() < start + size) {
                    out.computeIfAbsent(new Win(e.key(), start, start + size), k -> new ArrayList<>()).add(e);
                }
            }
        }
        return out;
    }

    /** Events of each session: per key, sorted by time, split where consecutive events are more than gap apart. */
    Map<Win, List<Ev>> sessions(long gap) {
        Map<String, List<Ev>> byKey = new TreeMap<>();
        for (Ev e : accepted) {
            byKey.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e);
        }
        Map<Win, List<Ev>> out = new TreeMap<>(WindowOracle::compare);
        for (List<Ev> evs : byKey.values()) {
            evs.sort((a, b) -> Long.compare(a.ts(), b.ts()));
            List<Ev> current = new ArrayList<>();
            for (Ev e : evs) {
                if (!current.isEmpty() && e.ts() - current.get(current.size() - 1).ts() > gap) {
                    out.put(sessionOf(current, gap), current);
                    current = new ArrayList<>();
                }
                current.add(e);
            }
            if (!current.isEmpty()) {
                out.put(sessionOf(current, gap), current);
            }
        }
        return out;
    }

    private static Win sessionOf(List<Ev> evs, long gap) {
        return new Win(evs.get(0).key(), evs.get(0).ts(), evs.get(evs.size() - 1).ts() + gap);
    }

    static int compare(Win a, Win b) {
        int c = a.key().compareTo(b.key());
        if (c != 0) {
            return c;
        }
        c = Long.compare(a.start(), b.start());
        return c != 0 ? c : Long.compare(a.end(), b.end());
    }

    /** Expected values: {@code f} applied to each window's events. */
    static <V> Map<Win, V> apply(Map<Win, List<Ev>> windows, Function<List<Ev>, V> f) {
        Map<Win, V> out = new TreeMap<>(WindowOracle::compare);
        windows.forEach((w, evs) -> out.put(w, f.apply(evs)));
        return out;
    }

    /**
     * The job's view of each window after every emission: the last value per window, with results a
     * later session result covers removed (sessions that merged after they were emitted). Checks that
     * no time window has more than one FINAL result (a key's first result for a window that already
     * closed is a LATE_UPDATE).
     */
    static <V> Map<Win, V> finalView(List<WindowResult<String, V>> results, boolean sessions) {
        Map<Win, V> view = new LinkedHashMap<>();
        Map<Win, Integer> finals = new HashMap<>();
        for (WindowResult<String, V> r : results) {
            Win w = new Win(r.key(), r.windowStartMs(), r.windowEndMs());
            if (r.kind() == WindowResult.Kind.FINAL) {
                finals.merge(w, 1, Integer::sum);
            }
            if (sessions) {
                view.keySet().removeIf(o -> o.key().equals(w.key()) && o.start() <= w.end() && w.start() <= o.end());
            }
            view.put(w, r.value());
        }
        if (!sessions) {
            for (Map.Entry<Win, Integer> f : finals.entrySet()) {
                assertThat(f.getValue()).as("FINAL results of %s", f.getKey()).isEqualTo(1);
            }
        }
        Map<Win, V> sorted = new TreeMap<>(WindowOracle::compare);
        sorted.putAll(view);
        return sorted;
    }
}
