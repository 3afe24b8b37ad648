package io.runnel.streams;

import java.util.Map;

/**
 * A map per key, scoped to the key of the record or timer being processed. Checkpointed; used only
 * from the task thread of its processor.
 *
 * @param <UK> map key type
 * @param <UV> map value type
 */
public interface MapState<UK, UV> {

    UV get(UK key);

    void put(UK key, UV value);

    void remove(UK key);

    /** The current key's entries: a read-only view, valid until the next change (change entries with put and remove). */
    Map<UK, UV> entries();

    void clear();
}
