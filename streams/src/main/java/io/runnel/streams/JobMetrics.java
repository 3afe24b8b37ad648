package io.runnel.streams;

import java.util.Map;

/**
 * A job's metrics at the moment they were read: per operator and for checkpoints.
 *
 * @param operators                  by stable operator name, in plan order
 * @param checkpointsCompleted       checkpoints completed since the job started
 * @param lastCheckpointId           the id of the last completed checkpoint, 0 if none
 * @param lastCheckpointDurationMs   from trigger to the checkpoint file being durable
 * @param lastCheckpointSizeBytes    bytes written for the last checkpoint (state written anew plus metadata)
 */
public record JobMetrics(Map<String, OperatorMetrics> operators, long checkpointsCompleted, long lastCheckpointId,
                         long lastCheckpointDurationMs, long lastCheckpointSizeBytes) {

    /** One operator's metrics; throws naming the known operators if {@code name} is not one. */
    public OperatorMetrics operator(String name) {
        OperatorMetrics m = operators.get(name);
        if (m == null) {
            throw new IllegalArgumentException("no operator named '" + name + "'; operators: " + operators.keySet());
        }
        return m;
    }
}
