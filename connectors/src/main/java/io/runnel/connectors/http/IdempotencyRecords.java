package io.runnel.connectors.http;

import io.runnel.log.Consumer;
import io.runnel.log.ConsumerConfig;
import io.runnel.log.ConsumerRecord;
import io.runnel.log.Header;
import io.runnel.log.Headers;
import io.runnel.log.Log;
import io.runnel.log.Serdes;
import io.runnel.log.TopicPartition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Idempotency-Key}s written into the topic with the events, so a server restarted after a
 * crash still knows which requests (and which of their events) it stored. Every event of a request
 * with a key carries two headers: {@value #KEY_HEADER} (the key, UTF-8) and {@value #EVENT_HEADER}
 * (the SHA-256 of the request body, 32 bytes, then the event's index in the request and the
 * request's event count, two big-endian ints). At start the server reads the topic's records of the
 * last {@code ttl} and rebuilds, per key, the body digest and the set of events stored.
 */
final class IdempotencyRecords {
    static final String KEY_HEADER = "runnel-idempotency-key";
    static final String EVENT_HEADER = "runnel-idempotency-event";
    private static final Logger LOG = LoggerFactory.getLogger(IdempotencyRecords.class);
    private static final int DIGEST_BYTES = 32;

    private IdempotencyRecords() {
    }

    /** What the topic holds of one key's request: its body digest, event count and the events stored. */
    record Stored(byte[] bodyDigest, int events, BitSet stored) {
        boolean complete() {
            return stored.cardinality() == events;
        }
    }

    /** The key header of a request with {@code key}, the same for each of its events. */
    static Header keyHeader(String key) {
        return new Header(KEY_HEADER, key.getBytes(StandardCharsets.UTF_8));
    }

    /** The headers of event {@code index} of {@code events} in a request with {@code keyHeader}. */
    static Headers headers(Header keyHeader, byte[] bodyDigest, int index, int events) {
        ByteBuffer b = ByteBuffer.allocate(DIGEST_BYTES + 8);
        b.put(bodyDigest, 0, DIGEST_BYTES).putInt(index).putInt(events);
        return Headers.of(keyHeader, new Header(EVENT_HEADER, b.array()));
    }

    /**
     * Reads {@code topic}'s records of the last {@code ttl} (by record time) up to its current end
     * and returns, per key, what was stored; at most {@code maxKeys}, the most recent ones.
     */
    static Map<String, Stored> recover(Log log, String topic, Duration ttl, int maxKeys, long nowMs) {
        long started = System.nanoTime();
        Map<String, Stored> keys = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Stored> eldest) {
                return size() > maxKeys;
            }
        };
        int partitions = log.partitionCount(topic);
        List<TopicPartition> tps = new ArrayList<>();
        long[] ends = new long[partitions];
        for (int p = 0; p < partitions; p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            tps.add(tp);
            ends[p] = log.endOffset(tp);
        }
        long scanned = 0;
        try (Consumer<byte[], byte[]> consumer = log.consumer(Serdes.bytes(), Serdes.bytes(), ConsumerConfig.defaults())) {
            consumer.assign(tps);
            int open = 0;
            for (TopicPartition tp : tps) {
                consumer.seekToTimestamp(tp, nowMs - ttl.toMillis());
                if (consumer.position(tp) < ends[tp.partition()]) {
                    open++;
                }
            }
            boolean[] done = new boolean[partitions];
            while (open > 0) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    int p = r.partition();
                    if (done[p]) {
                        continue;
                    }
                    scanned++;
                    remember(keys, r.headers());
                    if (r.offset() + 1 >= ends[p]) {
                        done[p] = true;
                        open--;
                    }
                }
            }
        }
        long incomplete = keys.values().stream().filter(s -> !s.complete()).count();
        LOG.info("http ingest: recovered {} Idempotency-Keys ({} with events missing) from {} records of topic '{}'"
                + " in {} ms", keys.size(), incomplete, scanned, topic, (System.nanoTime() - started) / 1_000_000);
        return keys;
    }

    private static void remember(Map<String, Stored> keys, Headers headers) {
        Header key = headers.lastHeader(KEY_HEADER);
        Header event = headers.lastHeader(EVENT_HEADER);
        if (key == null || event == null || event.value().length != DIGEST_BYTES + 8) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(event.value());
        byte[] digest = Arrays.copyOf(event.value(), DIGEST_BYTES);
        b.position(DIGEST_BYTES);
        int index = b.getInt();
        int events = b.getInt();
        if (index < 0 || events <= index) {
            return; // not ours: a header of that name written by someone else
        }
        String k = new String(key.value(), StandardCharsets.UTF_8);
        Stored s = keys.get(k);
        if (s == null || !Arrays.equals(s.bodyDigest(), digest) || s.events() != events) {
            s = new Stored(digest, events, new BitSet(events)); // a later request with the key replaces an expired one
            keys.remove(k);
            keys.put(k, s);
        }
        s.stored().set(index);
    }
}
