package io.runnel.streams.connect;

import java.util.Arrays;
import java.util.Objects;

/**
 * One independently readable part of a source, with a position. The position is opaque to the
 * runtime: the source encodes what it needs to resume (an offset, a file position and the end of a
 * bounded read) and the runtime stores the bytes in checkpoints unchanged.
 *
 * @param id       stable identifier within its source (e.g. {@code "3"} for partition 3)
 * @param position bytes the source decodes to resume; never {@code null} (use an empty array for "start")
 */
public record SourceSplit(String id, byte[] position) {

    public SourceSplit {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(position, "position");
        position = position.clone();
    }

    @Override
    public byte[] position() {
        return position.clone();
    }

    public SourceSplit withPosition(byte[] newPosition) {
        return new SourceSplit(id, newPosition);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourceSplit s && s.id.equals(id) && Arrays.equals(s.position, position);
    }

    @Override
    public int hashCode() {
        return 31 * id.hashCode() + Arrays.hashCode(position);
    }

    @Override
    public String toString() {
        return "SourceSplit[id=" + id + ", position=" + position.length + " bytes]";
    }
}
