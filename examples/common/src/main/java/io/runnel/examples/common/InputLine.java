package io.runnel.examples.common;

import io.runnel.log.Serde;
import io.runnel.log.SerializationException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One line of an example's input as the input topic keeps it: its 1-based line number in the input
 * (so a dead letter can name it) and its bytes as they were, without the line terminator (they are
 * decoded when parsed, so invalid UTF-8 is a malformed line, not a replaced character).
 *
 * @param lineNumber 1-based line number in the input file (or in the generated input); 0 if it has none
 * @param bytes      the line's bytes, or only its first {@link #KEPT_OF_LONG_LINE} if it is too long
 * @param tooLong    whether the line was longer than {@link #MAX_LINE_BYTES} (a malformed line; only its
 *                   start is kept, to show in the dead letter)
 */
public record InputLine(long lineNumber, byte[] bytes, boolean tooLong) {

    /** The longest line an example reads; longer lines are malformed. Well under the log's 1 MiB record limit. */
    public static final int MAX_LINE_BYTES = 512 * 1024;
    /** How much of a too-long line is kept. */
    public static final int KEPT_OF_LONG_LINE = 1024;

    /**
     * The bytes in the topic: a flags byte (1 = too long), the line number as 8 bytes big-endian,
     * then the line's bytes. Thread-safe.
     */
    public static final Serde<InputLine> SERDE = new Serde<>() {
        @Override
        public byte[] serialize(InputLine line) {
            if (line == null) {
                return null;
            }
            return ByteBuffer.allocate(HEADER_BYTES + line.bytes.length).put((byte) (line.tooLong ? 1 : 0))
                    .putLong(line.lineNumber).put(line.bytes).array();
        }

        @Override
        public InputLine deserialize(byte[] data) {
            if (data == null) {
                return null;
            }
            if (data.length < HEADER_BYTES || (data[0] & ~1) != 0) {
                throw new SerializationException("not an input line record (a flags byte 0 or 1 and an 8-byte line number"
                        + " first): the topic holds something else");
            }
            return new InputLine(ByteBuffer.wrap(data, 1, Long.BYTES).getLong(), Arrays.copyOfRange(data, HEADER_BYTES, data.length),
                    data[0] == 1);
        }
    };

    /**
     * A record value that is one whole event (as the HTTP endpoint stores them), as a line without a
     * line number (0: its position is the record's, {@code topic/partition@offset}). Thread-safe.
     */
    public static final Serde<InputLine> WHOLE_VALUE_SERDE = new Serde<>() {
        @Override
        public byte[] serialize(InputLine line) {
            return line == null ? null : line.bytes.clone();
        }

        @Override
        public InputLine deserialize(byte[] data) {
            return data == null ? null : new InputLine(0, data, false);
        }
    };

    private static final int HEADER_BYTES = 1 + Long.BYTES;

    public InputLine {
        Objects.requireNonNull(bytes, "bytes");
    }

    /** A whole line from text (tests, generated input). */
    public static InputLine of(long lineNumber, String text) {
        return new InputLine(lineNumber, text.getBytes(StandardCharsets.UTF_8), false);
    }

    /** The line as text, invalid UTF-8 replaced by U+FFFD (for messages and dead letters). */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputLine l && l.lineNumber == lineNumber && Arrays.equals(l.bytes, bytes) && l.tooLong == tooLong;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(lineNumber) * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "InputLine[" + lineNumber + (tooLong ? " (too long)" : "") + ": " + text() + "]";
    }
}
