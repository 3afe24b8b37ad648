package io.runnel.cli;

import io.runnel.log.ConsumerRecord;
import io.runnel.log.Header;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * How {@code consume} writes a record to stdout, one record per line.
 *
 * <ul>
 *   <li>{@link #VALUE}: the value's bytes as stored, then a newline (a null value prints an empty line).</li>
 *   <li>{@link #KEY_VALUE}: key bytes, the separator, value bytes, newline (null prints as empty).</li>
 *   <li>{@link #JSON}: one JSON object per line: {@code topic, partition, offset, timestamp} (epoch ms),
 *       {@code key, value} (strings, or null) and {@code headers} (an array of {@code {key, value}}
 *       objects, since keys may repeat). A key or value that is not valid UTF-8 is written in
 *       base64 and flagged by {@code "keyEncoding": "base64"} / {@code "valueEncoding": "base64"}.</li>
 * </ul>
 */
enum RecordFormat {
    VALUE, KEY_VALUE, JSON;

    private static final byte[] NEWLINE = {'\n'};

    /** Writes {@code r} and its newline to {@code out}. */
    void write(ConsumerRecord<byte[], byte[]> r, byte[] separator, OutputStream out) throws IOException {
        switch (this) {
            case VALUE -> writeBytes(r.value(), out);
            case KEY_VALUE -> {
                writeBytes(r.key(), out);
                out.write(separator);
                writeBytes(r.value(), out);
            }
            case JSON -> out.write(json(r).getBytes(StandardCharsets.UTF_8));
        }
        out.write(NEWLINE);
    }

    private static void writeBytes(byte[] b, OutputStream out) throws IOException {
        if (b != null) {
            out.write(b);
        }
    }

    static String json(ConsumerRecord<byte[], byte[]> r) {
        StringBuilder b = new StringBuilder(128);
        b.append("{\"topic\":");
        JsonText.appendQuoted(b, r.topic());
        b.append(",\"partition\":").append(r.partition());
        b.append(",\"offset\":").append(r.offset());
        b.append(",\"timestamp\":").append(r.timestampMs());
        appendBytes(b, "key", r.key());
        appendBytes(b, "value", r.value());
        b.append(",\"headers\":[");
        boolean first = true;
        for (Header h : r.headers()) {
            b.append(first ? "{" : ",{");
            first = false;
            b.append("\"key\":");
            JsonText.appendQuoted(b, h.key());
            appendBytes(b, "value", h.value());
            b.append('}');
        }
        return b.append("]}").toString();
    }

    private static void appendBytes(StringBuilder b, String field, byte[] bytes) {
        b.append(",\"").append(field).append("\":");
        if (bytes == null) {
            b.append("null");
            return;
        }
        String text = JsonText.utf8OrNull(bytes);
        if (text != null) {
            JsonText.appendQuoted(b, text);
        } else {
            b.append('"').append(Base64.getEncoder().encodeToString(bytes)).append('"');
            b.append(",\"").append(field).append("Encoding\":\"base64\"");
        }
    }
}
