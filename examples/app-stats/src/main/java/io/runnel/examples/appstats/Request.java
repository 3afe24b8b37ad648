package io.runnel.examples.appstats;

/**
 * One request a service handled, from its request log:
 * {@code {"ts": <epoch ms>, "service": "<name>", "endpoint": "<path>", "latencyMs": <number>, "status": <int>}}.
 *
 * @param ts        when the request was handled, epoch milliseconds (UTC)
 * @param service   the service's name
 * @param endpoint  the endpoint's path (as the service logs it, e.g. {@code /orders/:id})
 * @param latencyMs how long it took, in (fractional) milliseconds
 * @param status    the HTTP status code
 */
public record Request(long ts, String service, String endpoint, double latencyMs, int status) {

    /** Whether the request failed on the server's side: status 500 or above. */
    public boolean isError() {
        return status >= 500;
    }
}
