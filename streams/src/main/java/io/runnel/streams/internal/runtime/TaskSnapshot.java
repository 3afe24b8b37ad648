package io.runnel.streams.internal.runtime;

import io.runnel.streams.internal.checkpoint.CheckpointManifest.Committable;
import io.runnel.streams.internal.checkpoint.CheckpointManifest.SplitPosition;
import io.runnel.streams.internal.checkpoint.CheckpointManifest.StateRef;
import java.util.List;
import java.util.Map;

/** What one task contributed to checkpoint {@code checkpointId}. */
record TaskSnapshot(long checkpointId, int globalTask, Map<String, List<SplitPosition>> positions,
                    Map<String, List<Committable>> committables, Map<String, Map<Integer, StateRef>> state,
                    Map<String, Long> storeFiles, long stateBytes) {
}
