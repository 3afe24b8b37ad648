package io.runnel.log;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * The child JVM of {@link CrashIT}: opens the log (recovering it), prints its end offsets, then
 * appends from several threads until killed, writing every acknowledged (partition, offset, id) to
 * a file outside the log directory. Ids are {@code run-thread-seq}.
 */
public final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[0]);
        Path acks = Paths.get(args[1]);
        Durability durability = args[2].equals("fsync") ? Durability.fsync() : Durability.os();
        String run = args[3];
        int threads = Integer.parseInt(args[4]);
        Log log = Log.open(dir, LogConfig.defaults().withDurability(durability).withSegmentBytes(256 * 1024)
                .withRecoveryPointInterval(Duration.ofMillis(50)).withRetentionCheckInterval(Duration.ofMillis(100)));
        log.createTopicIfAbsent("c", TopicConfig.partitions(3));
        // A second topic whose retention deletes segments all the time: kills land in deletions too.
        log.createTopicIfAbsent("r", TopicConfig.partitions(1).withRetentionBytes(512 * 1024));
        // An idempotent producer re-sending everything at every start, as the log sink re-commits after a
        // crash: small segments, so kills land in rolls and producer snapshots too.
        log.createTopicIfAbsent("i", TopicConfig.partitions(1).withSegmentBytes(16 * 1024));
        StringBuilder ends = new StringBuilder("ENDS");
        for (int p = 0; p < 3; p++) {
            ends.append(' ').append(log.endOffset(new TopicPartition("c", p)));
        }
        ends.append(' ').append(log.startOffset(new TopicPartition("r", 0)));
        System.out.println(ends);
        System.out.println("READY");
        System.out.flush();
        BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        Thread writer = new Thread(() -> {
            try (OutputStream out = new FileOutputStream(acks.toFile(), true)) {
                StringBuilder sb = new StringBuilder();
                while (true) {
                    sb.setLength(0);
                    sb.append(lines.take());
                    String more;
                    while ((more = lines.poll()) != null) {
                        sb.append(more);
                    }
                    out.write(sb.toString().getBytes(StandardCharsets.UTF_8)); // one write(2): survives kill -9
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        writer.setDaemon(true);
        writer.start();
        Producer<String, String> producer = log.producer(Serdes.string(), Serdes.string());
        String pad = "x".repeat(70);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread th = new Thread(() -> {
                Semaphore inFlight = new Semaphore(2000);
                // Bounded per run (the checker holds every acknowledgement in memory); a kill usually comes first.
                for (long seq = 0; seq < 60_000; seq++) {
                    String id = run + "-" + thread + "-" + seq;
                    inFlight.acquireUninterruptibly();
                    CompletableFuture<RecordMetadata> f = producer.send("c", id, id + "|" + pad);
                    f.whenComplete((m, e) -> {
                        inFlight.release();
                        if (m != null) {
                            lines.add(m.partition() + " " + m.offset() + " " + id + "\n");
                        }
                    });
                }
            });
            th.start();
        }
        Thread retained = new Thread(() -> {
            for (long seq = 0; ; seq++) {
                producer.send("r", null, "r-" + run + "-" + seq + "|" + pad).join();
            }
        });
        retained.start();
        Thread idempotent = new Thread(() -> {
            try (Producer<String, String> idem = log.producer(Serdes.string(), Serdes.string(),
                    ProducerConfig.idempotent("crash-idem"))) {
                for (long seq = 0; seq < 100_000;) {
                    java.util.List<ProducerRecord<String, String>> chunk = new java.util.ArrayList<>();
                    for (int i = 0; i < 100; i++, seq++) {
                        chunk.add(ProducerRecord.<String, String>of("i", "i", Long.toString(seq)).withPartition(0)
                                .withSequence(seq));
                    }
                    idem.sendAll(chunk).forEach(CompletableFuture::join);
                }
            }
        });
        idempotent.start();
        // A group member committing its positions all the time: kills land in offset commits too.
        Thread committer = new Thread(() -> {
            try (Consumer<String, String> c = log.consumer(Serdes.string(), Serdes.string(),
                    ConsumerConfig.group("cg").withAutoCommit(false).withMaxPollRecords(500))) {
                c.subscribe(java.util.List.of("c"));
                while (true) {
                    c.poll(Duration.ofMillis(20));
                    java.util.Map<TopicPartition, Long> offsets = new java.util.HashMap<>();
                    for (TopicPartition tp : c.assignment()) {
                        offsets.put(tp, c.position(tp));
                    }
                    c.commit(offsets);
                    for (java.util.Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
                        lines.add("COMMIT " + e.getKey().partition() + " " + e.getValue() + "\n");
                    }
                }
            }
        });
        committer.start();
        Thread.sleep(Long.MAX_VALUE);
    }
}
