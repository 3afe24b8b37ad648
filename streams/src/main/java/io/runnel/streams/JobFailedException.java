package io.runnel.streams;

/**
 * A running job stopped because of an error: a bad record under {@link BadDataPolicy#FAIL} (the
 * message names the source position), a connector failure, or a failing checkpoint. The job's last
 * complete checkpoint is intact; restarting resumes from it.
 */
public class JobFailedException extends StreamsException {
    private static final long serialVersionUID = 1L;

    public JobFailedException(String message) {
        super(message);
    }

    public JobFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
