package io.runnel.connectors.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.runnel.log.Log;
import java.io.IOException;

/** {@code GET /health}: 200 while the log takes appends, 503 once it is closed. */
final class HealthHandler implements HttpHandler {
    private final Log log;
    private final String token;

    HealthHandler(Log log, String token) {
        this.log = log;
        this.token = token;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            IngestResponse response;
            if (!IngestResponse.authorized(exchange, token)) {
                response = IngestResponse.unauthorized();
            } else if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                response = IngestResponse.error(405, "use GET /health");
            } else if (isLogOpen()) {
                response = IngestResponse.of(200, IngestResponse.JSON.createObjectNode().put("status", "ok"));
            } else {
                response = IngestResponse.error(503, "the log is closed");
            }
            response.send(exchange);
        }
    }

    private boolean isLogOpen() {
        try {
            log.topics();
            return true;
        } catch (RuntimeException closed) {
            return false;
        }
    }
}
