package io.runnel.connectors.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A response of the ingest endpoint: a status and a JSON body, sent in one piece. Immutable;
 * remembered for idempotent retries.
 */
record IngestResponse(int status, byte[] body, boolean closeConnection, String retryAfterSeconds) {
    static final ObjectMapper JSON = new ObjectMapper();

    static IngestResponse of(int status, ObjectNode body) {
        return new IngestResponse(status, bytes(body), false, null);
    }

    static IngestResponse error(int status, String message) {
        return of(status, JSON.createObjectNode().put("error", message));
    }

    /** An error after which the connection is closed (the rest of the request body is not read). */
    static IngestResponse errorAndClose(int status, String message) {
        return new IngestResponse(status, bytes(JSON.createObjectNode().put("error", message)), true, null);
    }

    IngestResponse withRetryAfter(int seconds) {
        return new IngestResponse(status, body, closeConnection, Integer.toString(seconds));
    }

    private static byte[] bytes(ObjectNode body) {
        return (body.toString() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    void send(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (closeConnection) {
            exchange.getResponseHeaders().set("Connection", "close");
        }
        if (retryAfterSeconds != null) {
            exchange.getResponseHeaders().set("Retry-After", retryAfterSeconds);
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Checks {@code Authorization: Bearer <token>} in constant time; true if no token is configured. */
    static boolean authorized(HttpExchange exchange, String token) {
        if (token == null) {
            return true;
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(header.substring(7).trim().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }

    static IngestResponse unauthorized() {
        return errorAndClose(401, "missing or wrong 'Authorization: Bearer <token>' header");
    }
}
