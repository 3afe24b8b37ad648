package io.runnel.streams.internal.runtime;

/**
 * The key of the record being handed to a keyed operator, set by the keyBy step (or the exchange
 * receiver) right before the call. Keyed operators read it first thing; one per task.
 */
public final class KeyContext {
    public Object key;
    public int keyGroup;

    public void set(Object k, int group) {
        key = k;
        keyGroup = group;
    }
}
