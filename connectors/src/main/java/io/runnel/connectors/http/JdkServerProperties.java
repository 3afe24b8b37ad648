package io.runnel.connectors.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;

/**
 * The JDK HTTP server's limits and socket options that {@link HttpIngest} needs. That server
 * ({@code sun.net.httpserver}) takes them only from JVM-wide system properties, read once, when the
 * first server of the JVM is created; {@code HttpServer} has no per-server setting for them. So
 * they are set as system properties, only those not set already, and they apply to every JDK HTTP
 * server of the JVM; and they have no effect if another JDK HTTP server was created in the JVM
 * before the first {@code HttpIngest}. Thread-safe.
 */
final class JdkServerProperties {

    /** What {@link HttpIngest} sets when absent, with why. */
    static final Map<String, String> DEFAULTS = defaults();

    private static boolean applied;

    private JdkServerProperties() {
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        // The JDK defaults are "forever": a silent client would hold a request thread.
        d.put("sun.net.httpserver.maxReqTime", "30"); // seconds to receive a request's headers
        d.put("sun.net.httpserver.maxRspTime", "30"); // seconds to send a response
        d.put("jdk.httpserver.maxConnections", "1000"); // open connections, idle keep-alive ones included (default: no limit)
        // Without TCP_NODELAY a response's headers and body leave in two segments and the client's
        // delayed ACK holds the second for ~40 ms: every keep-alive request would take 40 ms.
        d.put("sun.net.httpserver.nodelay", "true");
        return Collections.unmodifiableMap(d);
    }

    /**
     * Once per JVM, before the first server starts: {@link #apply} to the system properties.
     */
    static synchronized void applyOnce(Logger log) {
        if (!applied) {
            applied = true;
            apply(System.getProperties(), log);
        }
    }

    /**
     * Sets each of {@link #DEFAULTS} that {@code properties} lacks and logs at INFO which it set and
     * which it found set already; returns those it set, in order.
     */
    static Map<String, String> apply(Properties properties, Logger log) {
        Map<String, String> set = new LinkedHashMap<>();
        Map<String, String> found = new LinkedHashMap<>();
        DEFAULTS.forEach((key, value) -> {
            String before = properties.getProperty(key);
            if (before == null) {
                properties.setProperty(key, value);
                set.put(key, value);
            } else {
                found.put(key, before);
            }
        });
        if (!set.isEmpty()) {
            log.info("http ingest: set JVM-wide system properties of the JDK HTTP server: {} (they apply to every JDK HTTP server"
                    + " of this JVM, and only if none was created before; set them yourself, e.g. -D{}=..., for other values)",
                    set, set.keySet().iterator().next());
        }
        if (!found.isEmpty()) {
            log.info("http ingest: kept the JDK HTTP server system properties set before: {}", found);
        }
        return set;
    }
}
