package io.runnel.examples.appstats;

import com.fasterxml.jackson.databind.JsonNode;
import io.runnel.examples.common.InputLine;
import io.runnel.examples.common.JsonFields;
import io.runnel.examples.common.LineParser;
import io.runnel.examples.common.MalformedLineException;

/**
 * Reads a request from a JSON line. Required: {@code ts} (an integer, epoch ms), {@code service} and
 * {@code endpoint} (non-empty strings), {@code latencyMs} (a number >= 0) and {@code status} (an
 * integer from 100 to 599). Other fields are ignored; anything else is malformed (see
 * {@link JsonFields}). Thread-safe.
 */
public final class RequestParser implements LineParser<Request> {

    @Override
    public Request parse(InputLine line) throws MalformedLineException {
        JsonNode event = JsonFields.object(line);
        long ts = JsonFields.longField(event, "ts");
        String service = JsonFields.requiredText(event, "service");
        String endpoint = JsonFields.requiredText(event, "endpoint");
        double latencyMs = JsonFields.nonNegativeNumberField(event, "latencyMs");
        int status = JsonFields.intField(event, "status");
        if (status < 100 || status > 599) {
            throw new MalformedLineException("'status' must be an HTTP status from 100 to 599, was " + status);
        }
        return new Request(ts, service, endpoint, latencyMs, status);
    }
}
