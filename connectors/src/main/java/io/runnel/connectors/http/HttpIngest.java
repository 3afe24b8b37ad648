package io.runnel.connectors.http;

import com.sun.net.httpserver.HttpServer;
import io.runnel.connectors.InvalidConfigException;
import io.runnel.log.Log;
import io.runnel.log.Producer;
import io.runnel.log.Serdes;
import io.runnel.log.UnknownTopicException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded HTTP endpoint that appends JSON events durably to a log topic: the beacon endpoint
 * of web-activity tracking. Built on the JDK's {@code com.sun.net.httpserver}.
 *
 * <ul>
 *   <li>{@code POST /events} with {@code Content-Type: application/json} (one JSON object) or
 *       {@code application/x-ndjson} (one JSON object per line, blank lines ignored). Each event is
 *       appended to the topic (compact JSON bytes; keyed by {@link Builder#keyField} if set) and the
 *       answer, {@code 200 {"stored":n,"lines":"1-n"}}, is sent only after every append is
 *       acknowledged under the log's durability policy.</li>
 *   <li>A request with a malformed line is rejected whole: {@code 400} with
 *       {@code {"stored":0,"lines":"","errors":[{"line":3,"error":"..."}]}} and nothing is stored,
 *       so a client can fix and resend it without creating duplicates.</li>
 *   <li>{@code 413} when the body is larger than {@link Builder#maxBodyBytes} (checked on
 *       {@code Content-Length} before reading, and while reading a chunked body); {@code 415} for
 *       another content type; {@code 401} without the configured bearer token; {@code 405} for other
 *       methods; {@code 503} (with {@code Retry-After}) when the log cannot take the events now.</li>
 *   <li>An optional {@code Idempotency-Key} header makes a retried request harmless: the first
 *       response for a key (2xx or 4xx) is remembered for {@link Builder#idempotency} and returned
 *       again without storing anything; the same key with another body is {@code 422}. The key
 *       travels with the stored events (two record headers), so a server restarted after a crash
 *       reads the last {@code ttl} of the topic and still knows it; when only some events of a
 *       request were stored (a failure or crash part way), a retry with the key stores only the
 *       others.</li>
 *   <li>{@code GET /health}: {@code 200 {"status":"ok"}} while the server can append.</li>
 * </ul>
 *
 * <p>Safety: binds to 127.0.0.1 unless told otherwise, and refuses a non-loopback address without a
 * {@link Builder#token}. Requests run on a bounded pool ({@link Builder#threads}, with a bounded
 * queue: connections beyond it are closed); a body must arrive within {@link Builder#requestTimeout}
 * or the connection is closed; the JDK server's own request and response timeouts (below) stop a
 * slow or silent client from holding a thread for long. Memory per request is bounded by the body
 * limit.
 *
 * <p><b>JVM-wide system properties.</b> The JDK server takes its limits and socket options only from
 * system properties, read once when the JVM's first JDK HTTP server is created; it has no
 * per-server setting. So the first {@code HttpIngest} of a JVM sets, <em>unless already set</em>:
 * {@code sun.net.httpserver.maxReqTime=30} and {@code sun.net.httpserver.maxRspTime=30} (seconds;
 * the JDK default is forever), {@code jdk.httpserver.maxConnections=1000} (default: no limit) and
 * {@code sun.net.httpserver.nodelay=true} (TCP_NODELAY; without it every keep-alive request waits
 * ~40 ms for the client's delayed ACK). They then apply to <em>every</em> JDK HTTP server of the
 * JVM, and they do nothing if another one was created before. It logs at INFO which it set. To
 * choose other values, set them yourself ({@code -Dsun.net.httpserver.nodelay=false}, or
 * {@code System.setProperty} before the first server).
 *
 * <p>Thread-safe. Close it to stop serving; the log is not closed.
 */
public final class HttpIngest implements AutoCloseable {
    static final String CONNECTOR = "http ingest";
    private static final Logger LOG = LoggerFactory.getLogger(HttpIngest.class);

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final ScheduledExecutorService watchdog;
    private final Producer<String, byte[]> producer;
    private final EventsHandler events;

    private HttpIngest(Builder config) {
        InetAddress address = config.address();
        int partitions;
        try {
            partitions = config.log.partitionCount(config.topic);
        } catch (UnknownTopicException e) {
            throw new InvalidConfigException(CONNECTOR, "topic", config.topic, "does not exist in the log at " + config.log.directory(),
                    "create it first (Log.createTopic or bin/runnel topic create)", e);
        }
        if (partitions < 1) {
            throw new IllegalStateException("topic " + config.topic + " has no partitions");
        }
        JdkServerProperties.applyOnce(LOG);
        try {
            server = HttpServer.create(new InetSocketAddress(address, config.port), 128);
        } catch (BindException e) {
            throw new InvalidConfigException(CONNECTOR, "port", config.port, "cannot be bound on " + address.getHostAddress() + ": " + e.getMessage(),
                    "choose a free port, or 0 for any", e);
        } catch (IOException e) {
            throw new InvalidConfigException(CONNECTOR, "port", config.port, "cannot be bound: " + e, "choose a free port, or 0 for any", e);
        }
        AtomicInteger threadNumber = new AtomicInteger();
        executor = new ThreadPoolExecutor(config.threads, config.threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(config.queueCapacity),
                r -> {
                    Thread t = new Thread(r, "runnel-http-ingest-" + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy()); // the JDK server closes a connection it cannot hand to the pool
        watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "runnel-http-ingest-watchdog");
            t.setDaemon(true);
            return t;
        });
        producer = config.log.producer(Serdes.string(), Serdes.bytes());
        events = new EventsHandler(config, producer, watchdog);
        if (config.idempotencyKeys > 0) {
            events.recover(IdempotencyRecords.recover(config.log, config.topic, config.idempotencyTtl, config.idempotencyKeys,
                    System.currentTimeMillis()));
        }
        server.setExecutor(executor);
        server.createContext("/events", events);
        server.createContext("/health", new HealthHandler(config.log, config.token));
        server.start();
        LOG.info("http ingest: serving POST /events on {}:{} into topic '{}'", address.getHostAddress(), port(), config.topic);
    }

    /** Starts configuring an endpoint that appends to {@code topic} of {@code log}. */
    public static Builder builder(Log log, String topic) {
        return new Builder(log, topic);
    }

    /** The port the server listens on (useful after binding port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Events stored and acknowledged so far, for monitoring. */
    public long acceptedEvents() {
        return events.acceptedEvents();
    }

    /** Answers new requests with 503, waits up to a second for requests in flight, then stops the server and its threads. */
    @Override
    public void close() {
        events.drain(Duration.ofSeconds(1));
        server.stop(0);
        executor.shutdownNow();
        watchdog.shutdownNow();
        producer.close();
    }

    /** Configures an {@link HttpIngest}; {@link #start()} validates and starts it. Not thread-safe. */
    public static final class Builder {
        private final Log log;
        private final String topic;
        private String bindAddress = "127.0.0.1";
        private int port = 8080;
        private String token;
        private long maxBodyBytes = 1 << 20;
        private int threads = 8;
        private int queueCapacity = 256;
        private Duration requestTimeout = Duration.ofSeconds(30);
        private int idempotencyKeys = 100_000;
        private Duration idempotencyTtl = Duration.ofMinutes(10);
        private String keyField;

        private Builder(Log log, String topic) {
            this.log = Objects.requireNonNull(log, "log");
            this.topic = topic;
        }

        /** The address to bind (default 127.0.0.1); a non-loopback address requires {@link #token}. */
        public Builder bindAddress(String address) {
            this.bindAddress = address;
            return this;
        }

        /** The port (default 8080; 0 for any free port). */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        /** Requires {@code Authorization: Bearer <token>} on every request. */
        public Builder token(String value) {
            this.token = value;
            return this;
        }

        /** The largest request body accepted (default 1 MiB); larger ones get 413. */
        public Builder maxBodyBytes(long bytes) {
            this.maxBodyBytes = bytes;
            return this;
        }

        /** Threads serving requests (default 8) and requests that may wait for one (default 256). */
        public Builder threads(int count, int queue) {
            this.threads = count;
            this.queueCapacity = queue;
            return this;
        }

        /** How long a request may take to send its body, and to be appended (default 30 s). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /** How many {@code Idempotency-Key}s are remembered, and for how long (default 100,000 for 10 min). */
        public Builder idempotency(int maxKeys, Duration ttl) {
            this.idempotencyKeys = maxKeys;
            this.idempotencyTtl = ttl;
            return this;
        }

        /** Keys each event by the text of this top-level field (events of one key share a partition). */
        public Builder keyField(String field) {
            this.keyField = field;
            return this;
        }

        public HttpIngest start() {
            InvalidConfigException.requireNonBlank(CONNECTOR, "topic", topic, "name the topic to append to");
            if (port < 0 || port > 65535) {
                throw new InvalidConfigException(CONNECTOR, "port", port, "is not a port", "use 1..65535, or 0 for any free port");
            }
            if (token != null && token.length() < 16) {
                throw new InvalidConfigException(CONNECTOR, "token", "(" + token.length() + " characters)", "is too short",
                        "use a random token of at least 16 characters");
            }
            InetAddress address = address();
            if (!address.isLoopbackAddress() && token == null) {
                throw new InvalidConfigException(CONNECTOR, "bindAddress", bindAddress, "is not a loopback address and no token is set",
                        "set token(...) so clients must send 'Authorization: Bearer <token>', or bind 127.0.0.1");
            }
            if (maxBodyBytes < 1 || maxBodyBytes > Integer.MAX_VALUE - 8) {
                throw new InvalidConfigException(CONNECTOR, "maxBodyBytes", maxBodyBytes, "is out of range", "use 1..2147483639 (default 1048576)");
            }
            if (threads < 1 || queueCapacity < 1) {
                throw new InvalidConfigException(CONNECTOR, "threads", threads + "/" + queueCapacity, "must be positive", "use e.g. threads(8, 256)");
            }
            if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new InvalidConfigException(CONNECTOR, "requestTimeout", requestTimeout, "must be positive", "use e.g. Duration.ofSeconds(30)");
            }
            if (idempotencyKeys < 0 || idempotencyTtl == null || idempotencyTtl.isNegative()) {
                throw new InvalidConfigException(CONNECTOR, "idempotency", idempotencyKeys + "/" + idempotencyTtl, "is invalid",
                        "use idempotency(100000, Duration.ofMinutes(10)), or 0 keys to turn it off");
            }
            if (log.isReadOnly()) {
                throw new InvalidConfigException(CONNECTOR, "log", log.directory(), "is opened read-only", "open it with Log.open to append");
            }
            return new HttpIngest(this);
        }

        InetAddress address() {
            try {
                return InetAddress.getByName(bindAddress);
            } catch (UnknownHostException | SecurityException e) {
                throw new InvalidConfigException(CONNECTOR, "bindAddress", bindAddress, "cannot be resolved", "use an IP address such as 127.0.0.1", e);
            }
        }

        Log log() {
            return log;
        }

        String topic() {
            return topic;
        }

        String token() {
            return token;
        }

        long maxBodyBytes() {
            return maxBodyBytes;
        }

        Duration requestTimeout() {
            return requestTimeout;
        }

        int idempotencyKeys() {
            return idempotencyKeys;
        }

        Duration idempotencyTtl() {
            return idempotencyTtl;
        }

        String keyField() {
            return keyField;
        }
    }
}
