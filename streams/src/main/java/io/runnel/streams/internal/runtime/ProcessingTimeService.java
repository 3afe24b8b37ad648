package io.runnel.streams.internal.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Processing-time callbacks of one task: each registered target asks to be called at (or after) a
 * time of the job clock; the task checks {@link #nextMs()} once per loop iteration. One thread.
 */
public final class ProcessingTimeService {

    /** Something that acts when the job clock reaches a time. */
    public interface Target {
        void onProcessingTime(long nowMs);
    }

    private final List<Target> targets = new ArrayList<>();
    private long[] times = new long[0];
    private long next = Long.MAX_VALUE;

    /** Registers a target; returns its handle for {@link #schedule}. */
    public int register(Target target) {
        targets.add(target);
        times = Arrays.copyOf(times, targets.size());
        times[times.length - 1] = Long.MAX_VALUE;
        return targets.size() - 1;
    }

    /** Asks for a call of target {@code handle} at {@code timeMs}; an earlier pending request wins. */
    public void schedule(int handle, long timeMs) {
        if (timeMs < times[handle]) {
            times[handle] = timeMs;
            if (timeMs < next) {
                next = timeMs;
            }
        }
    }

    /** The earliest requested time, {@link Long#MAX_VALUE} if none. */
    public long nextMs() {
        return next;
    }

    /** Calls every target whose time has come. */
    public void fireDue(long nowMs) {
        if (nowMs < next) {
            return;
        }
        for (int i = 0; i < times.length; i++) {
            if (times[i] <= nowMs) {
                times[i] = Long.MAX_VALUE;
                targets.get(i).onProcessingTime(nowMs);
            }
        }
        long n = Long.MAX_VALUE;
        for (long t : times) {
            n = Math.min(n, t);
        }
        next = n;
    }
}
