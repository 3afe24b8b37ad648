package io.runnel.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Built-in serdes. All are stateless and thread-safe, and pass {@code null} through as
 * {@code null}. Numbers are big-endian, fixed width.
 */
public final class Serdes {
    private Serdes() {
    }

    private static final Serde<byte[]> BYTES = new Serde<>() {
        @Override
        public byte[] serialize(byte[] value) {
            return value;
        }

        @Override
        public byte[] deserialize(byte[] bytes) {
            return bytes;
        }
    };

    private static final Serde<String> STRING = new Serde<>() {
        @Override
        public byte[] serialize(String value) {
            return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String deserialize(byte[] bytes) {
            return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
        }
    };

    private static final Serde<Long> LONG = new Serde<>() {
        @Override
        public byte[] serialize(Long value) {
            return value == null ? null : ByteBuffer.allocate(8).putLong(value).array();
        }

        @Override
        public Long deserialize(byte[] bytes) {
            return bytes == null ? null : ByteBuffer.wrap(checkLength(bytes, 8, "Long")).getLong();
        }
    };

    private static final Serde<Integer> INTEGER = new Serde<>() {
        @Override
        public byte[] serialize(Integer value) {
            return value == null ? null : ByteBuffer.allocate(4).putInt(value).array();
        }

        @Override
        public Integer deserialize(byte[] bytes) {
            return bytes == null ? null : ByteBuffer.wrap(checkLength(bytes, 4, "Integer")).getInt();
        }
    };

    private static final Serde<Double> DOUBLE = new Serde<>() {
        @Override
        public byte[] serialize(Double value) {
            return value == null ? null : ByteBuffer.allocate(8).putDouble(value).array();
        }

        @Override
        public Double deserialize(byte[] bytes) {
            return bytes == null ? null : ByteBuffer.wrap(checkLength(bytes, 8, "Double")).getDouble();
        }
    };

    /** The bytes themselves (no copy): the raw path for callers that deserialize on their own. */
    public static Serde<byte[]> bytes() {
        return BYTES;
    }

    /** UTF-8 strings. */
    public static Serde<String> string() {
        return STRING;
    }

    /** 8-byte big-endian longs. */
    public static Serde<Long> longs() {
        return LONG;
    }

    /** 4-byte big-endian ints. */
    public static Serde<Integer> integers() {
        return INTEGER;
    }

    /** 8-byte IEEE 754 doubles. */
    public static Serde<Double> doubles() {
        return DOUBLE;
    }

    private static byte[] checkLength(byte[] bytes, int expected, String type) {
        if (bytes.length != expected) {
            throw new SerializationException("a " + type + " needs exactly " + expected + " bytes, got " + bytes.length
                    + " (was this written with another serde?)");
        }
        return bytes;
    }
}
