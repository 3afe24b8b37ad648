package io.runnel.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keyed state with a time-to-live, map state and processing-time timers in process(). */
class ProcessStateTest {

    /** Counts per key in value state, remembers distinct items in map state, and pings 10 s after the first item. */
    static final class Counter implements KeyedProcessor<String, String, String> {
        private ValueState<Long> count;
        private MapState<String, Boolean> seen;

        @Override
        public void open(ProcessorContext<String, String> ctx) {
            count = ctx.valueState("count");
            seen = ctx.mapState("seen");
        }

        @Override
        public void process(String item, ProcessorContext<String, String> ctx) {
            long n = count.valueOr(0L) + 1;
            count.update(n);
            if (n == 1) {
                ctx.registerProcessingTimeTimer(ctx.processingTimeMs() + 10_000);
            }
            seen.put(item, true);
            ctx.emit(ctx.key() + ":" + n + ":" + seen.entries().size());
        }

        @Override
        public void onTimer(long timeMs, TimeDomain domain, ProcessorContext<String, String> ctx) {
            ctx.emit("ping " + ctx.key() + " " + domain + "@" + timeMs);
        }
    }

    @Test
    void shouldExpireStateAfterItsTimeToLiveAndFireProcessingTimeTimers() {
        CollectionSource<String> src = CollectionSource.of("items", List.of());
        CollectingSink<String> sink = CollectingSink.named("out");
        StreamJob job = StreamJob.named("ttl");
        job.source(src).keyBy(s -> s.substring(0, 1)).process(Counter::new, StateOptions.named("counter").withTtl(Duration.ofSeconds(30))).to(sink);
        try (JobTestDriver d = JobTestDriver.of(job)) {
            TestInput<String> in = d.input(src);
            in.send("a1").send("a2").send("b1");
            d.advanceProcessingTime(Duration.ofSeconds(10));
            in.send("a1");
            d.advanceProcessingTime(Duration.ofSeconds(29)); // a last used at 10 s, b at 0 s: b expired at 30 s
            in.send("a3").send("b2");
            assertThat(d.output(sink)).containsExactly("a:1:1", "a:2:2", "b:1:1", "ping a PROCESSING_TIME@10000",
                    "ping b PROCESSING_TIME@10000", "a:3:2", "a:4:3", "b:1:1");
            d.advanceProcessingTime(Duration.ofSeconds(31)); // both expire; the sweep removes them
            in.send("a9");
            assertThat(d.drain(sink)).endsWith("a:1:1");
        }
    }
}
