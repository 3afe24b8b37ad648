package io.runnel.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmokeTest {

    record Ev(String key, long ts) {
    }

    @Test
    void shouldCountPerWindowInDriverAndRuntime() throws Exception {
        List<Ev> evs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            evs.add(new Ev("k" + (i % 7), i * 100L));
        }
        for (int p : new int[] {1, 2}) {
            CollectionSource<Ev> src = CollectionSource.of("evs", evs).withSplits(3);
            CollectingSink<WindowResult<String, Long>> sink = CollectingSink.named("out");
            StreamJob job = StreamJob.named("smoke");
            job.source(src).withEventTime(Ev::ts, Duration.ZERO)
                    .keyBy(Ev::key)
                    .window(Windows.tumbling(Duration.ofSeconds(10)))
                    .count()
                    .to(sink);
            System.out.println(job.describe());
            RunningJob running = job.start(JobConfig.defaults().withParallelism(p).withCheckpointInterval(Duration.ofMillis(50)));
            assertThat(running.await(Duration.ofSeconds(30))).isTrue();
            long total = sink.records().stream().mapToLong(WindowResult::value).sum();
            assertThat(total).isEqualTo(1000);
            assertThat(sink.records()).hasSize(70);

            try (JobTestDriver d = JobTestDriver.of(job)) {
                for (Ev e : evs) {
                    d.input(src).send(e, 0);
                }
                d.endAllInputs();
                assertThat(d.output(sink)).hasSize(70);
            }
        }
    }
}
