package io.runnel.streams.internal.runtime;

import io.runnel.streams.FlatMapper;
import io.runnel.streams.internal.graph.TransformNode;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/** map, filter, flatMap and peek: one small operator class each, chosen by {@link #of}. */
public final class TransformOperator {

    private TransformOperator() {
    }

    @SuppressWarnings("unchecked") // the plan node's kind says which functional type fn is
    public static Operator of(String name, TransformNode node) {
        return switch (node.kind()) {
            case MAP -> new MapOp(name, (Function<Object, Object>) node.fn());
            case FILTER -> new FilterOp(name, (Predicate<Object>) node.fn());
            case FLAT_MAP -> new FlatMapOp(name, (FlatMapper<Object, Object>) node.fn());
            case PEEK -> new PeekOp(name, (Consumer<Object>) node.fn());
        };
    }

    static final class MapOp extends OneInputOperator {
        private final Function<Object, Object> fn;

        MapOp(String name, Function<Object, Object> fn) {
            super(name);
            this.fn = fn;
        }

        @Override
        public void record(Object value, long timestampMs) {
            counters.in++;
            Object r;
            try {
                r = fn.apply(value);
            } catch (RuntimeException e) {
                ctx.failed(counters, name, value, timestampMs, e);
                return;
            }
            counters.out++;
            output.record(r, timestampMs);
        }
    }

    static final class FilterOp extends OneInputOperator {
        private final Predicate<Object> predicate;

        FilterOp(String name, Predicate<Object> predicate) {
            super(name);
            this.predicate = predicate;
        }

        @Override
        public void record(Object value, long timestampMs) {
            counters.in++;
            boolean keep;
            try {
                keep = predicate.test(value);
            } catch (RuntimeException e) {
                ctx.failed(counters, name, value, timestampMs, e);
                return;
            }
            if (keep) {
                counters.out++;
                output.record(value, timestampMs);
            }
        }
    }

    static final class FlatMapOp extends OneInputOperator implements Consumer<Object> {
        private final FlatMapper<Object, Object> fn;
        private long currentTs;

        FlatMapOp(String name, FlatMapper<Object, Object> fn) {
            super(name);
            this.fn = fn;
        }

        @Override
        public void record(Object value, long timestampMs) {
            counters.in++;
            currentTs = timestampMs;
            try {
                fn.flatMap(value, this);
            } catch (io.runnel.streams.JobFailedException e) {
                throw e;
            } catch (RuntimeException e) {
                // results handed out before the failure stay delivered; the input is dead-lettered once
                ctx.failed(counters, name, value, timestampMs, e);
            }
        }

        @Override
        public void accept(Object r) {
            counters.out++;
            output.record(r, currentTs);
        }
    }

    static final class PeekOp extends OneInputOperator {
        private final Consumer<Object> action;

        PeekOp(String name, Consumer<Object> action) {
            super(name);
            this.action = action;
        }

        @Override
        public void record(Object value, long timestampMs) {
            counters.in++;
            try {
                action.accept(value);
            } catch (RuntimeException e) {
                ctx.failed(counters, name, value, timestampMs, e);
                return;
            }
            counters.out++;
            output.record(value, timestampMs);
        }
    }
}
