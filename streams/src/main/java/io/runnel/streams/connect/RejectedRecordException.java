package io.runnel.streams.connect;

/**
 * A sink refused one record because of its content (a database constraint, a value too long).
 * The job's bad-data policy fails the job naming the record's source position, or dead-letters it.
 */
public class RejectedRecordException extends ConnectorException {
    private static final long serialVersionUID = 1L;

    public RejectedRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
