package io.runnel.streams.internal.runtime;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.runnel.streams.internal.state.KeyGroups;
import java.util.Arrays;

/**
 * An operator whose keyed state checkpoints store, one blob per key group. A group that did not
 * change since the last snapshot is not written again: the checkpoint refers to its earlier blob.
 */
public interface KeyedStateful {

    /** Which key groups changed since the last snapshot; operators mark a group on every change. */
    final class DirtyGroups {
        private final boolean[] dirty = new boolean[KeyGroups.COUNT];

        public void mark(int keyGroup) {
            dirty[keyGroup] = true;
        }

        public boolean isMarked(int keyGroup) {
            return dirty[keyGroup];
        }

        public void clear() {
            Arrays.fill(dirty, false);
        }
    }

    /** The operator's stable name; keys its state in checkpoints. */
    String name();

    /** The operator's changed-group flags. */
    DirtyGroups dirtyGroups();

    /** Whether key group {@code keyGroup} changed since the last {@link #clearDirty()}. */
    default boolean isDirty(int keyGroup) {
        return dirtyGroups().isMarked(keyGroup);
    }

    /** Marks every group clean (after a snapshot or a restore). */
    default void clearDirty() {
        dirtyGroups().clear();
    }

    /** Writes key group {@code keyGroup}; returns false (writing nothing needed) when it holds no state. */
    boolean snapshot(int keyGroup, Kryo kryo, Output out);

    /** Reads key group {@code keyGroup} as written by {@link #snapshot}. */
    void restore(int keyGroup, Kryo kryo, Input in);
}
