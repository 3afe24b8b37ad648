package io.runnel.examples.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;

/**
 * Strict reading of one JSON event per line, with reasons a person can act on. A line is malformed
 * when it is not JSON, not an object, has text after the object, is not valid UTF-8 or is too long;
 * a field is malformed when it is missing or has the wrong type. Unknown fields are ignored.
 * Stateless; thread-safe.
 */
public final class JsonFields {

    private static final ObjectReader JSON = new ObjectMapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonFields() {
    }

    /** The JSON object on {@code line}. */
    public static JsonNode object(InputLine line) throws MalformedLineException {
        if (line.tooLong()) {
            throw new MalformedLineException("line longer than " + InputLine.MAX_LINE_BYTES + " bytes");
        }
        JsonNode node;
        try {
            node = JSON.readTree(line.bytes());
        } catch (JsonProcessingException e) {
            throw new MalformedLineException("not JSON: " + e.getOriginalMessage().replace('\n', ' ')
                    + " at column " + e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw new MalformedLineException("not JSON: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            throw new MalformedLineException("not JSON: the line is empty");
        }
        if (!node.isObject()) {
            throw new MalformedLineException("not a JSON object: " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return node;
    }

    /** A required integer field that fits a {@code long}. */
    public static long longField(JsonNode event, String field) throws MalformedLineException {
        JsonNode v = required(event, field);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new MalformedLineException("'" + field + "' must be an integer, was " + v);
        }
        return v.longValue();
    }

    /** A required integer field that fits an {@code int}. */
    public static int intField(JsonNode event, String field) throws MalformedLineException {
        JsonNode v = required(event, field);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new MalformedLineException("'" + field + "' must be an integer, was " + v);
        }
        return v.intValue();
    }

    /** A required finite number field, not negative. */
    public static double nonNegativeNumberField(JsonNode event, String field) throws MalformedLineException {
        JsonNode v = required(event, field);
        if (!v.isNumber() || !Double.isFinite(v.doubleValue()) || v.doubleValue() < 0) {
            throw new MalformedLineException("'" + field + "' must be a number >= 0, was " + v);
        }
        return v.doubleValue();
    }

    /** A required non-empty string field. */
    public static String requiredText(JsonNode event, String field) throws MalformedLineException {
        JsonNode v = required(event, field);
        if (!v.isTextual() || v.textValue().isEmpty()) {
            throw new MalformedLineException("'" + field + "' must be a non-empty string, was " + v);
        }
        return v.textValue();
    }

    /** An optional string field: empty when missing or null. */
    public static String optionalText(JsonNode event, String field) throws MalformedLineException {
        JsonNode v = event.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw new MalformedLineException("'" + field + "' must be a string, was " + v);
        }
        return v.textValue();
    }

    private static JsonNode required(JsonNode event, String field) throws MalformedLineException {
        JsonNode v = event.get(field);
        if (v == null || v.isNull()) {
            throw new MalformedLineException("'" + field + "' is missing");
        }
        return v;
    }
}
