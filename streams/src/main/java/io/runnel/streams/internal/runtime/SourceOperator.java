package io.runnel.streams.internal.runtime;

import io.runnel.streams.TimeStrategy;
import io.runnel.streams.connect.SourceOutput;
import io.runnel.streams.connect.SourceReader;
import io.runnel.streams.connect.SourceSplit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The entry of one source into one task: assigns each record its time by the source's
 * {@link TimeStrategy}, keeps a watermark per split (highest time seen minus the out-of-orderness;
 * idle splits excluded; ended splits at +infinity) and emits the minimum over its splits.
 */
public final class SourceOperator extends Operator {

    private final String sourceName;
    private final TimeStrategy.Mode mode;
    private final ToLongFunction<Object> timestampFn;
    private final long bound;
    private final long idleTimeoutMs;
    private final List<Split> splits = new ArrayList<>();
    private WatermarkCombiner combiner;
    private boolean idleEmitted;

    @SuppressWarnings("unchecked") // the strategy belongs to this source's record type
    public SourceOperator(String name, String sourceName, TimeStrategy<?> strategy) {
        super(name);
        this.sourceName = sourceName;
        this.mode = strategy.mode();
        this.timestampFn = (ToLongFunction<Object>) strategy.timestampFn();
        this.bound = strategy.maxOutOfOrdernessMs();
        this.idleTimeoutMs = strategy.idleTimeoutMs();
    }

    public String sourceName() {
        return sourceName;
    }

    /** Adds a split this task reads (before open); {@code ended} if a checkpoint says it was finished. */
    public Split addSplit(SourceSplit split, boolean ended) {
        Split s = new Split(splits.size(), split, ended);
        splits.add(s);
        return s;
    }

    public List<Split> splits() {
        return splits;
    }

    @Override
    public void open(TaskContext context) {
        super.open(context);
        combiner = new WatermarkCombiner(splits.size());
        for (Split s : splits) {
            if (s.ended) {
                combiner.update(s.index, Long.MAX_VALUE);
            }
        }
    }

    @Override
    public Collector input(int index) {
        throw new IllegalStateException("a source has no inputs");
    }

    /** Emits the first watermark (e.g. +infinity when this task has no split of the source). */
    public void start() {
        emitWatermark();
    }

    /** Updates split {@code s}'s watermark and idleness after a poll and emits the combined watermark if it rose. */
    public void afterPoll(Split s, SourceReader.Status status, boolean hasBacklog, long nowMs) {
        if (status == SourceReader.Status.END) {
            s.ended = true;
            combiner.update(s.index, Long.MAX_VALUE);
        } else {
            if (status == SourceReader.Status.MORE || hasBacklog) {
                s.caughtUpSinceMs = -1;
                if (s.idle) {
                    s.idle = false;
                    combiner.setIdle(s.index, false);
                }
            } else if (s.caughtUpSinceMs < 0) {
                s.caughtUpSinceMs = nowMs;
            } else if (!s.idle && nowMs - s.caughtUpSinceMs >= idleTimeoutMs) {
                s.idle = true;
                combiner.setIdle(s.index, true);
            }
            combiner.update(s.index, s.watermark(nowMs));
        }
        emitWatermark();
    }

    /** Emits the combined watermark and idleness if they changed. */
    public void emitWatermark() {
        long before = counters.watermark;
        long w = combiner.combined();
        boolean idle = combiner.isIdle() && !splits.isEmpty() && !combiner.allEnded();
        if (idle != idleEmitted) {
            idleEmitted = idle;
            output.idle(idle);
        }
        if (w > before) {
            counters.watermark = w;
            output.watermark(w);
        }
    }

    /** Whether every split of this task has ended. */
    public boolean ended() {
        return combiner.allEnded();
    }

    /** One split read by this task: the {@link SourceOutput} its reader delivers to. */
    public final class Split implements SourceOutput<Object> {
        final int index;
        public final SourceSplit split;
        public SourceReader<Object> reader;
        /** The reader's position when it ended (the reader is closed after). */
        public byte[] lastPosition;
        boolean ended;
        boolean idle;
        long caughtUpSinceMs = -1;
        long maxTs = Long.MIN_VALUE;
        long forcedWatermark = Long.MIN_VALUE;

        Split(int index, SourceSplit split, boolean ended) {
            this.index = index;
            this.split = split;
            this.ended = ended;
        }

        public boolean isEnded() {
            return ended;
        }

        public String sourceName() {
            return sourceName;
        }

        long watermark(long nowMs) {
            if (mode == TimeStrategy.Mode.PROCESSING_TIME) {
                return Math.max(nowMs, forcedWatermark);
            }
            long w = maxTs == Long.MIN_VALUE ? Long.MIN_VALUE : maxTs - bound;
            return Math.max(w, forcedWatermark);
        }

        @Override
        public void collect(Object record, long timestampMs) {
            counters.in++;
            long t;
            if (mode == TimeStrategy.Mode.EVENT_TIME) {
                try {
                    t = timestampFn.applyAsLong(record);
                } catch (RuntimeException e) {
                    ctx.failed(counters, name, record, Long.MIN_VALUE, e);
                    return;
                }
            } else if (mode == TimeStrategy.Mode.SOURCE_TIME) {
                t = timestampMs;
            } else {
                t = ctx.clock.millis();
            }
            if (t > maxTs) {
                maxTs = t;
            }
            counters.out++;
            output.record(record, t);
        }

        @Override
        public void malformed(String where, byte[] raw, Throwable reason) {
            counters.in++;
            ctx.malformed(counters, sourceName, where, raw, reason);
        }

        /** Test driver: the split's watermark rises to at least {@code watermarkMs}. */
        public void advanceWatermark(long watermarkMs, long nowMs) {
            forcedWatermark = Math.max(forcedWatermark, watermarkMs);
            refresh(nowMs);
        }

        /** Test driver: recomputes this split's watermark after records were delivered, and emits. */
        public void refresh(long nowMs) {
            if (idle) {
                idle = false;
                combiner.setIdle(index, false);
            }
            if (!ended) {
                combiner.update(index, watermark(nowMs));
            }
            emitWatermark();
        }

        /** Test driver: marks the split idle until it gets data. */
        public void markIdle() {
            idle = true;
            combiner.setIdle(index, true);
            emitWatermark();
        }

        /** Test driver: the split ended. */
        public void end() {
            ended = true;
            combiner.update(index, Long.MAX_VALUE);
            emitWatermark();
        }
    }
}
