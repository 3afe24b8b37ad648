package io.runnel.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A callback chained to a send's future runs on the log thread that completes the send (the
 * journal; the forcer under FSYNC). Waiting there for a send (flush, get, join) would wait for that
 * very thread: it fails at once with the reason, the log keeps running, and close() from a callback
 * closes without waiting. Without the check each of these hangs the log (the timeouts fail the test).
 */
class ProducerCallbackTest {
    @TempDir
    Path dir;

    /** What one callback saw: the thread it ran on and what its blocking call threw (null: returned). */
    private record Outcome(String thread, Throwable thrown) {
    }

    private int logs;

    private List<Outcome> callbacks(Durability durability, Consumer<Producer<String, String>> blockingCall)
            throws Exception {
        List<Outcome> outcomes = new ArrayList<>();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (Log log = Log.open(dir.resolve("log" + logs++),
                    LogConfig.defaults().withDurability(durability))) {
                log.createTopic("t", TopicConfig.partitions(2));
                Producer<String, String> producer = log.producer(Serdes.string(), Serdes.string());
                ConcurrentLinkedQueue<Outcome> seen = new ConcurrentLinkedQueue<>();
                List<CompletableFuture<?>> done = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    done.add(producer.send("t", "k" + i, "v" + i).whenComplete((m, e) -> {
                        Throwable thrown = null;
                        try {
                            blockingCall.accept(producer);
                        } catch (Throwable t) {
                            thrown = t;
                        }
                        seen.add(new Outcome(Thread.currentThread().getName(), thrown));
                    }));
                }
                for (CompletableFuture<?> f : done) {
                    f.get(30, TimeUnit.SECONDS);
                }
                // The log still works: a send from this thread is acknowledged, a flush returns.
                Producer<String, String> other = log.producer(Serdes.string(), Serdes.string());
                assertThat(other.send("t", "after", "x").get(30, TimeUnit.SECONDS).offset()).isNotNegative();
                other.flush();
                outcomes.addAll(seen);
            }
        });
        return outcomes;
    }

    private static void assertRefusedOnLogThreads(List<Outcome> outcomes, String what) {
        List<Outcome> onLogThreads = outcomes.stream().filter(o -> o.thread().contains("journal")).toList();
        assertThat(onLogThreads).as("callbacks that ran on a log thread").isNotEmpty();
        assertThat(onLogThreads).allSatisfy(o -> assertThat(o.thrown()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(what).hasMessageContaining("would wait for itself"));
    }

    @Test
    void shouldRefuseFlushInACallback() throws Exception {
        for (Durability d : List.of(Durability.os(), Durability.fsync())) {
            assertRefusedOnLogThreads(callbacks(d, Producer::flush), "Producer.flush()");
        }
    }

    @Test
    void shouldRefuseWaitingForAnotherSendInACallback() throws Exception {
        for (Durability d : List.of(Durability.os(), Durability.fsync())) {
            List<Outcome> outcomes = callbacks(d, p -> {
                try {
                    p.send("t", "inner", "y").get();
                } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
                    throw new AssertionError(e);
                }
            });
            assertRefusedOnLogThreads(outcomes, "waiting for a send's future");
            outcomes = callbacks(d, p -> p.send("t", "inner", "y").join());
            assertRefusedOnLogThreads(outcomes, "waiting for a send's future");
            outcomes = callbacks(d, p -> p.send("t", "inner", "y").thenApply(RecordMetadata::offset).join());
            assertRefusedOnLogThreads(outcomes, "waiting for a send's future");
        }
    }

    @Test
    void shouldCloseWithoutWaitingFromACallback() throws Exception {
        for (Durability d : List.of(Durability.os(), Durability.fsync())) {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                try (Log log = Log.open(dir.resolve("log" + logs++), LogConfig.defaults().withDurability(d))) {
                    log.createTopic("t", TopicConfig.partitions(2));
                    ConcurrentLinkedQueue<Outcome> seen = new ConcurrentLinkedQueue<>();
                    List<CompletableFuture<?>> done = new ArrayList<>();
                    for (int i = 0; i < 100; i++) {
                        Producer<String, String> producer = log.producer(Serdes.string(), Serdes.string());
                        done.add(producer.send("t", "k" + i, "v" + i).whenComplete((m, e) -> {
                            Throwable thrown = null;
                            try {
                                producer.close();
                            } catch (Throwable t) {
                                thrown = t;
                            }
                            seen.add(new Outcome(Thread.currentThread().getName(), thrown));
                        }));
                    }
                    for (CompletableFuture<?> f : done) {
                        f.get(30, TimeUnit.SECONDS);
                    }
                    assertThat(seen).hasSize(100).allSatisfy(o -> assertThat(o.thrown()).isNull())
                            .anySatisfy(o -> assertThat(o.thread()).contains("journal"));
                    Producer<String, String> other = log.producer(Serdes.string(), Serdes.string());
                    assertThat(other.send("t", "after", "x").get(30, TimeUnit.SECONDS).offset()).isNotNegative();
                }
            });
        }
    }
}
