package io.runnel.connectors.file;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/** One JSON value per line, read as a tree or bound to a type by Jackson. Thread-safe. */
final class JsonLinesFormat<T> implements LineFormat<T> {
    // Trailing tokens fail the line: "{"a":1} {"b":2}" on one line is malformed, not silently half-read.
    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final ObjectReader reader;

    private JsonLinesFormat(ObjectReader reader) {
        this.reader = reader;
    }

    static JsonLinesFormat<JsonNode> tree() {
        return new JsonLinesFormat<>(MAPPER.readerFor(JsonNode.class));
    }

    static <T> JsonLinesFormat<T> bound(Class<T> type) {
        return new JsonLinesFormat<>(MAPPER.readerFor(type));
    }

    @Override
    public boolean hasHeader() {
        return false;
    }

    @Override
    public Object header(byte[] line, int offset, int length) {
        throw new UnsupportedOperationException("JSON lines have no header");
    }

    @Override
    public T decode(byte[] line, int offset, int length, Object header) throws Exception {
        T value = reader.readValue(line, offset, length);
        if (value == null || value instanceof JsonNode node && node.isMissingNode()) {
            throw new IllegalArgumentException("no JSON value on the line");
        }
        return value;
    }
}
