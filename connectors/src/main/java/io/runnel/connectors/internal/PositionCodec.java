package io.runnel.connectors.internal;

import io.runnel.streams.connect.ConnectorException;
import java.nio.ByteBuffer;

/**
 * Encodes split positions as a fixed number of big-endian longs, and checks their length on decode
 * (positions come from checkpoint files, so a wrong length is reported, never guessed around).
 */
public final class PositionCodec {
    private PositionCodec() {
    }

    public static byte[] encode(long... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Long.BYTES);
        for (long value : values) {
            buffer.putLong(value);
        }
        return buffer.array();
    }

    /**
     * Decodes {@code count} longs; an empty array decodes to zeros (the start).
     *
     * @throws ConnectorException if the length is neither 0 nor {@code count * 8}
     */
    public static long[] decode(byte[] position, int count, String what) {
        long[] values = new long[count];
        if (position.length == 0) {
            return values;
        }
        if (position.length != count * Long.BYTES) {
            throw new ConnectorException(what + ": position has " + position.length + " bytes, expected "
                    + count * Long.BYTES + " (the checkpoint was written by another source; start the job without it)");
        }
        ByteBuffer buffer = ByteBuffer.wrap(position);
        for (int i = 0; i < count; i++) {
            values[i] = buffer.getLong();
        }
        return values;
    }
}
