package io.runnel.streams.internal.runtime;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.runnel.streams.LookupTable;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Enrichment through a lookup function behind a bounded Caffeine cache (one per task, ticking on
 * the job clock). Missing keys are cached too, so a miss costs one lookup per expiry period.
 */
public final class LookupJoinOperator extends OneInputOperator {

    private final LookupTable<Object, Object> table;
    private final BiFunction<Object, Object, Object> joiner;
    private final boolean leftJoin;
    private Cache<Object, Optional<Object>> cache;

    public LookupJoinOperator(String name, LookupTable<Object, Object> table, BiFunction<Object, Object, Object> joiner,
                              boolean leftJoin) {
        super(name);
        this.table = table;
        this.joiner = joiner;
        this.leftJoin = leftJoin;
    }

    @Override
    public void open(TaskContext context) {
        super.open(context);
        Caffeine<Object, Object> b = Caffeine.newBuilder().maximumSize(table.maximumSize())
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(context.clock.millis()));
        if (table.expireAfterWriteMs() > 0) {
            b.expireAfterWrite(table.expireAfterWriteMs(), TimeUnit.MILLISECONDS);
        }
        cache = b.build();
    }

    @Override
    public void record(Object value, long timestampMs) {
        counters.in++;
        Object key = ctx.keys.key;
        Object r;
        try {
            Optional<Object> v = cache.get(key, k -> Optional.ofNullable(table.loader().apply(k)));
            if (v.isEmpty() && !leftJoin) {
                return;
            }
            r = joiner.apply(value, v.orElse(null));
        } catch (RuntimeException e) {
            ctx.failed(counters, name, value, timestampMs, e);
            return;
        }
        counters.out++;
        output.record(r, timestampMs);
    }
}
