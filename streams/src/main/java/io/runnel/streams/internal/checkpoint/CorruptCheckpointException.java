package io.runnel.streams.internal.checkpoint;

import io.runnel.streams.StreamsException;

/** A checkpoint file is torn or damaged; restore falls back to the previous checkpoint. */
public class CorruptCheckpointException extends StreamsException {
    private static final long serialVersionUID = 1L;

    public CorruptCheckpointException(String message) {
        super(message);
    }

    public CorruptCheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
