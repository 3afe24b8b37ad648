package io.runnel.examples.webactivity;

import com.fasterxml.jackson.databind.JsonNode;
import io.runnel.examples.common.InputLine;
import io.runnel.examples.common.JsonFields;
import io.runnel.examples.common.LineParser;
import io.runnel.examples.common.MalformedLineException;

/**
 * Reads a page view from a JSON line. Required: {@code ts} (an integer, epoch ms), {@code user} and
 * {@code url} (non-empty strings); {@code referrer} and {@code userAgent} are strings and may be
 * missing or null (then empty). Other fields are ignored; anything else is malformed (see
 * {@link JsonFields}). Thread-safe.
 */
public final class PageViewParser implements LineParser<PageView> {

    @Override
    public PageView parse(InputLine line) throws MalformedLineException {
        JsonNode event = JsonFields.object(line);
        return new PageView(JsonFields.longField(event, "ts"), JsonFields.requiredText(event, "user"),
                JsonFields.requiredText(event, "url"), JsonFields.optionalText(event, "referrer"),
                JsonFields.optionalText(event, "userAgent"));
    }
}
