package io.runnel.log;

/** A write to a log file failed (for example the disk is full); the affected records were not acknowledged and the file was rolled back to its last complete batch, so appends may be retried once the cause is fixed. */
public class StorageFailureException extends RunnelLogException {
    private static final long serialVersionUID = 1L;

    public StorageFailureException(String message) {
        super(message);
    }

    public StorageFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
