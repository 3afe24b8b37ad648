package io.runnel.connectors.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.runnel.log.Header;
import io.runnel.log.Headers;
import io.runnel.log.Producer;
import io.runnel.log.ProducerRecord;
import io.runnel.log.RecordMetadata;
import io.runnel.log.RecordTooLargeException;
import io.runnel.log.RunnelLogException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /events}: validates, reads within limits, parses, appends, answers after the acks. Thread-safe. */
final class EventsHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(EventsHandler.class);
    private static final ObjectReader TREE = IngestResponse.JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final int MAX_ERRORS_LISTED = 20;

    /**
     * What is known of a key: the digest of its body, and either the response of its first request
     * (in flight or done), or, when only some of its events were stored (a failure part way, or a
     * crash found at start), which events were, so a retry stores only the others.
     */
    private record Remembered(byte[] bodyDigest, CompletableFuture<IngestResponse> response, BitSet stored) {
    }

    /** The key of the request being stored, its body digest, and the events already stored by an earlier try. */
    private record Keyed(String key, byte[] bodyDigest, BitSet alreadyStored) {
    }

    private final HttpIngest.Builder config;
    private final Producer<String, byte[]> producer;
    private final ScheduledExecutorService watchdog;
    private final Cache<String, Remembered> idempotency;
    private final AtomicLong accepted = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean closing;

    EventsHandler(HttpIngest.Builder config, Producer<String, byte[]> producer, ScheduledExecutorService watchdog) {
        this.config = config;
        this.producer = producer;
        this.watchdog = watchdog;
        this.idempotency = config.idempotencyKeys() == 0 ? null
                : Caffeine.newBuilder().maximumSize(config.idempotencyKeys()).expireAfterWrite(config.idempotencyTtl()).build();
    }

    /** Remembers what the topic says earlier runs stored (see {@link IdempotencyRecords}); before serving. */
    void recover(Map<String, IdempotencyRecords.Stored> stored) {
        if (idempotency == null) {
            return;
        }
        for (Map.Entry<String, IdempotencyRecords.Stored> e : stored.entrySet()) {
            IdempotencyRecords.Stored s = e.getValue();
            idempotency.put(e.getKey(), new Remembered(s.bodyDigest(), null, s.stored()));
        }
    }

    long acceptedEvents() {
        return accepted.get();
    }

    /** Refuses new requests (503) and waits up to {@code patience} for those in flight. */
    void drain(java.time.Duration patience) {
        closing = true;
        long deadline = System.nanoTime() + patience.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        inFlight.incrementAndGet();
        try {
            if (closing) {
                try (exchange) {
                    IngestResponse.errorAndClose(503, "the server is stopping").withRetryAfter(1).send(exchange);
                }
                return;
            }
            handleOne(exchange);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void handleOne(HttpExchange exchange) throws IOException {
        // Cuts off a client that does not send its body in time. It stays armed until the exchange is
        // closed when the body is not read to its end (413, 415, ...): closing drains what is left.
        ScheduledFuture<?> guard = watchdog.schedule(exchange::close, config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        try (exchange) {
            IngestResponse response;
            try {
                response = respond(exchange, guard);
            } catch (BodyTimeoutException e) {
                return; // the watchdog closed the connection: nothing can be sent
            } catch (RuntimeException e) {
                LOG.error("http ingest: unexpected failure answering {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                response = IngestResponse.error(500, "internal error: " + e.getClass().getSimpleName());
            }
            response.send(exchange);
        } finally {
            guard.cancel(false);
        }
    }

    private IngestResponse respond(HttpExchange exchange, ScheduledFuture<?> guard) throws IOException {
        if (!IngestResponse.authorized(exchange, config.token())) {
            return IngestResponse.unauthorized();
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "POST");
            return IngestResponse.errorAndClose(405, "use POST /events");
        }
        boolean lines;
        String contentType = mediaType(exchange.getRequestHeaders().getFirst("Content-Type"));
        if ("application/x-ndjson".equals(contentType)) {
            lines = true;
        } else if ("application/json".equals(contentType)) {
            lines = false;
        } else {
            return IngestResponse.errorAndClose(415, "Content-Type '" + contentType
                    + "' is not accepted: send application/json (one object) or application/x-ndjson (one object per line)");
        }
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        long declared = -1;
        if (length != null) {
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                return IngestResponse.errorAndClose(400, "Content-Length '" + length + "' is not a number");
            }
            if (declared > config.maxBodyBytes()) { // refused before reading a byte of the body
                return IngestResponse.errorAndClose(413, "body of " + declared + " bytes is over the limit of " + config.maxBodyBytes() + " bytes");
            }
        }
        byte[] body = readBody(exchange, declared, guard);
        if (body == null) {
            return IngestResponse.errorAndClose(413, "body is over the limit of " + config.maxBodyBytes() + " bytes");
        }
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        if (key == null || idempotency == null) {
            return ingest(body, lines, null);
        }
        return ingestOnce(key, body, lines);
    }

    private static String mediaType(String header) {
        if (header == null) {
            return "";
        }
        int semicolon = header.indexOf(';');
        return (semicolon < 0 ? header : header.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads the body, at most the limit; null if it is longer (the rest is left unread, and the
     * connection is closed after the answer). Disarms {@code guard} once the body is read.
     */
    private byte[] readBody(HttpExchange exchange, long declared, ScheduledFuture<?> guard) throws IOException {
        // Not closed here: closing the stream of a body that is over the limit would read (drain) the rest.
        InputStream in = exchange.getRequestBody();
        try {
            long limit = config.maxBodyBytes();
            ByteArrayOutputStream body = new ByteArrayOutputStream(declared >= 0 ? (int) declared : 8192);
            byte[] chunk = new byte[8192];
            int n;
            while ((n = in.read(chunk)) >= 0) {
                if (body.size() + (long) n > limit) {
                    return null;
                }
                body.write(chunk, 0, n);
            }
            guard.cancel(false);
            return body.toByteArray();
        } catch (IOException e) {
            if (guard.isDone()) {
                throw new BodyTimeoutException();
            }
            throw e;
        }
    }

    /**
     * With an Idempotency-Key: the first request of a key does the work and the others get its
     * response; after a partial store (here, or before a restart) the next request with the key
     * stores only the events that are missing.
     */
    private IngestResponse ingestOnce(String key, byte[] body, boolean lines) {
        byte[] digest = sha256(body);
        CompletableFuture<IngestResponse> mine = new CompletableFuture<>();
        Remembered claim = new Remembered(digest, mine, null);
        BitSet already = null;
        while (true) {
            Remembered existing = idempotency.asMap().putIfAbsent(key, claim);
            if (existing == null) {
                break;
            }
            if (!Arrays.equals(existing.bodyDigest(), digest)) {
                return IngestResponse.error(422, "Idempotency-Key '" + key + "' was used with another body (use a new key for a new request)");
            }
            if (existing.response() == null) { // partly stored: resume it, unless another retry just did
                if (idempotency.asMap().replace(key, existing, claim)) {
                    already = existing.stored();
                    break;
                }
                continue;
            }
            try {
                return existing.response().get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return IngestResponse.error(503, "interrupted").withRetryAfter(1);
            } catch (ExecutionException | TimeoutException e) {
                return IngestResponse.error(503, "the first request with this Idempotency-Key has not finished; retry").withRetryAfter(1);
            }
        }
        Keyed keyed = new Keyed(key, digest, already == null ? new BitSet() : (BitSet) already.clone());
        IngestResponse response;
        try {
            response = ingest(body, lines, keyed);
        } catch (RuntimeException e) {
            forget(key, claim, keyed);
            mine.completeExceptionally(e);
            throw e;
        }
        if (response.status() >= 500) {
            forget(key, claim, keyed); // not remembered as an answer: a retry stores what is missing
        }
        mine.complete(response);
        return response;
    }

    /** After a failed try: remembers the events stored so far, or nothing if there are none. */
    private void forget(String key, Remembered claim, Keyed keyed) {
        if (keyed.alreadyStored().isEmpty()) {
            idempotency.asMap().remove(key, claim);
        } else {
            idempotency.asMap().replace(key, claim, new Remembered(keyed.bodyDigest(), null, keyed.alreadyStored()));
        }
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * Parses every event; stores them only if all are valid; answers after every append is
     * acknowledged. With a key, the events carry it (see {@link IdempotencyRecords}), those already
     * stored are skipped, and {@code keyed.alreadyStored()} gains the ones stored now.
     */
    private IngestResponse ingest(byte[] body, boolean lines, Keyed keyed) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        ArrayNode errors = IngestResponse.JSON.createArrayNode();
        int errorCount = 0;
        if (lines) {
            int start = 0;
            int line = 0;
            for (int i = 0; i <= body.length; i++) {
                if (i == body.length || body[i] == '\n') {
                    line++;
                    int end = i > start && body[i - 1] == '\r' ? i - 1 : i;
                    if (!isBlank(body, start, end)) {
                        String error = addEvent(body, start, end - start, records);
                        if (error == null) {
                            lineNumbers.add(line);
                        } else if (errorCount++ < MAX_ERRORS_LISTED) {
                            errors.addObject().put("line", line).put("error", error);
                        }
                    }
                    start = i + 1;
                }
            }
        } else {
            String error = addEvent(body, 0, body.length, records);
            if (error == null) {
                lineNumbers.add(1);
            } else {
                errorCount++;
                errors.addObject().put("line", 1).put("error", error);
            }
        }
        if (errorCount > 0) {
            ObjectNode answer = IngestResponse.JSON.createObjectNode().put("stored", 0).put("lines", "");
            answer.put("error", errorCount + " malformed line(s); nothing was stored (fix them and send the request again)");
            answer.set("errors", errors);
            return IngestResponse.of(400, answer);
        }
        if (records.isEmpty()) {
            return IngestResponse.of(400, IngestResponse.JSON.createObjectNode().put("stored", 0).put("lines", "").put("error", "no events in the body"));
        }
        if (keyed == null) {
            return append(records, lineNumbers, null, null, null);
        }
        int events = records.size();
        List<ProducerRecord<String, byte[]>> missing = new ArrayList<>(events);
        List<Integer> missingLines = new ArrayList<>(events);
        List<Integer> indices = new ArrayList<>(events);
        Header keyHeader = IdempotencyRecords.keyHeader(keyed.key());
        for (int i = 0; i < events; i++) {
            if (!keyed.alreadyStored().get(i)) {
                ProducerRecord<String, byte[]> r = records.get(i);
                missing.add(new ProducerRecord<>(r.topic(), null, null, r.key(), r.value(),
                        IdempotencyRecords.headers(keyHeader, keyed.bodyDigest(), i, events), null));
                missingLines.add(lineNumbers.get(i));
                indices.add(i);
            }
        }
        if (missing.isEmpty()) { // every event was stored by an earlier try
            return IngestResponse.of(200, IngestResponse.JSON.createObjectNode().put("stored", events)
                    .put("lines", ranges(lineNumbers)));
        }
        return append(missing, missingLines, keyed, indices, lineNumbers);
    }

    private static boolean isBlank(byte[] body, int from, int to) {
        for (int i = from; i < to; i++) {
            if (body[i] != ' ' && body[i] != '\t' && body[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    /** Parses one event and adds its record; returns the problem, or null. */
    private String addEvent(byte[] body, int offset, int length, List<ProducerRecord<String, byte[]>> records) {
        JsonNode event;
        try {
            event = TREE.readTree(body, offset, length);
        } catch (IOException e) {
            String message = e.getMessage();
            int newline = message == null ? -1 : message.indexOf('\n');
            return "malformed JSON: " + (newline < 0 ? message : message.substring(0, newline));
        }
        if (event == null || !event.isObject()) {
            return "not a JSON object";
        }
        String key = null;
        if (config.keyField() != null) {
            JsonNode field = event.get(config.keyField());
            key = field == null || field.isNull() ? null : field.isValueNode() ? field.asText() : field.toString();
        }
        byte[] value;
        try {
            value = IngestResponse.JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            return "cannot be stored: " + e.getMessage();
        }
        records.add(new ProducerRecord<>(config.topic(), null, null, key, value, Headers.empty(), null));
        return null;
    }

    /**
     * Appends and waits for the acks. With {@code keyed}, {@code records} are the request's events
     * {@code indices} (of {@code allLines}): the ones stored are added to {@code keyed.alreadyStored()},
     * and the answer counts every stored event of the request, also those of earlier tries.
     */
    private IngestResponse append(List<ProducerRecord<String, byte[]>> records, List<Integer> lineNumbers, Keyed keyed,
            List<Integer> indices, List<Integer> allLines) {
        List<CompletableFuture<RecordMetadata>> acks;
        try {
            acks = producer.sendAll(records);
        } catch (RecordTooLargeException e) {
            return IngestResponse.of(413, IngestResponse.JSON.createObjectNode().put("stored", 0).put("lines", "")
                    .put("error", "an event is larger than the log accepts: " + e.getMessage()));
        } catch (RunnelLogException e) {
            return IngestResponse.of(503, IngestResponse.JSON.createObjectNode().put("stored", 0).put("lines", "")
                    .put("error", "the log cannot take events now: " + e.getMessage())).withRetryAfter(1);
        }
        long deadline = System.nanoTime() + config.requestTimeout().toNanos();
        List<Integer> stored = new ArrayList<>(acks.size());
        String failure = null;
        for (int i = 0; i < acks.size(); i++) {
            try {
                acks.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                stored.add(lineNumbers.get(i));
                if (keyed != null) {
                    keyed.alreadyStored().set(indices.get(i));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = "interrupted";
                break;
            } catch (ExecutionException | TimeoutException e) {
                failure = e instanceof TimeoutException ? "not acknowledged within " + config.requestTimeout().toMillis() + " ms"
                        : e.getCause().getMessage();
            }
        }
        accepted.addAndGet(stored.size());
        if (keyed != null) {
            stored = new ArrayList<>();
            for (int i = keyed.alreadyStored().nextSetBit(0); i >= 0; i = keyed.alreadyStored().nextSetBit(i + 1)) {
                stored.add(allLines.get(i));
            }
        }
        ObjectNode answer = IngestResponse.JSON.createObjectNode().put("stored", stored.size()).put("lines", ranges(stored));
        if (failure == null) {
            return IngestResponse.of(200, answer);
        }
        answer.put("error", "not every event was stored: " + failure + " (the stored lines are listed; send the same request"
                + " again with the same Idempotency-Key and only the others are stored, or resend only the others)");
        return IngestResponse.of(503, answer).withRetryAfter(1);
    }

    /** Line numbers as ranges: [1,2,3,5] -> "1-3,5". */
    static String ranges(List<Integer> lines) {
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < lines.size()) {
            int j = i;
            while (j + 1 < lines.size() && lines.get(j + 1) == lines.get(j) + 1) {
                j++;
            }
            text.append(text.length() == 0 ? "" : ",").append(lines.get(i));
            if (j > i) {
                text.append('-').append(lines.get(j));
            }
            i = j + 1;
        }
        return text.toString();
    }

    /** The watchdog closed the connection while the body was being read. */
    private static final class BodyTimeoutException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BodyTimeoutException() {
            super(null, null, false, false);
        }
    }
}
