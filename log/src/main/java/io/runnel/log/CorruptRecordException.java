package io.runnel.log;

/**
 * Bytes that do not form a valid record batch: bad length, CRC mismatch, unknown magic or
 * attributes, malformed varints. It is the only exception the batch decoder throws on bad input.
 */
public class CorruptRecordException extends RunnelLogException {
    private static final long serialVersionUID = 1L;

    public CorruptRecordException(String message) {
        super(message);
    }

    public CorruptRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
