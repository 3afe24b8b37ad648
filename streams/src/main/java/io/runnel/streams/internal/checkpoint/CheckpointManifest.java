package io.runnel.streams.internal.checkpoint;

import java.util.List;
import java.util.Map;

/**
 * One complete checkpoint: a consistent cut of source positions, sink committables and keyed
 * operator state (as references into state files). Immutable.
 *
 * @param id          increasing checkpoint id
 * @param jobName     the job it belongs to
 * @param createdMs   job clock when it completed
 * @param parallelism the parallelism it was taken with (state restores into any other)
 * @param sources     per source name, every split's position and whether it ended
 * @param sinks       per sink name, the committables of its writers
 * @param state       per operator name, per key group, where its blob is
 * @param storeFiles  the key-group files of state kept on disk that blobs refer to (name relative to
 *                    the state directory, to the length the checkpoint needs); prefixes of
 *                    append-only files, shared with other checkpoints
 */
public record CheckpointManifest(long id, String jobName, long createdMs, int parallelism,
                                 Map<String, List<SplitPosition>> sources,
                                 Map<String, List<Committable>> sinks,
                                 Map<String, Map<Integer, StateRef>> state,
                                 Map<String, Long> storeFiles) {

    /** A checkpoint without key-group files. */
    public CheckpointManifest(long id, String jobName, long createdMs, int parallelism, Map<String, List<SplitPosition>> sources,
                              Map<String, List<Committable>> sinks, Map<String, Map<Integer, StateRef>> state) {
        this(id, jobName, createdMs, parallelism, sources, sinks, state, Map.of());
    }

    /** A split's position after the last record before the checkpoint. */
    public record SplitPosition(String splitId, byte[] position, boolean ended) {
    }

    /** What one sink writer returned from prepareCommit. */
    public record Committable(int task, byte[] bytes) {
    }

    /** A blob in a state file, with its CRC32C. */
    public record StateRef(String file, long offset, int length, int crc) {
    }
}
