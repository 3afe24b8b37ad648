package io.runnel.streams.connect;

import java.util.List;

/**
 * A sink refused records because of their content (a database constraint, a value too long).
 * The job's bad-data policy fails the job naming the record's source position, or dead-letters it.
 *
 * <p>Without {@link #records()} the refused record is the one passed to the call that threw. A
 * batching writer finds refusals only when it flushes a batch, possibly after later records were
 * passed to it: it then writes every other record of the batch and throws one exception listing the
 * refused records (which may have been passed to earlier {@code write} calls since the last
 * {@code prepareCommit}); the runtime applies its bad-data policy to each of them.
 */
public class RejectedRecordException extends ConnectorException {
    private static final long serialVersionUID = 1L;

    private final transient List<Object> records;

    public RejectedRecordException(String message, Throwable cause) {
        this(message, List.of(), cause);
    }

    /**
     * @param records the refused records; empty means the record passed to the call that threw
     */
    public RejectedRecordException(String message, List<?> records, Throwable cause) {
        super(message, cause);
        this.records = List.copyOf(records);
    }

    /** The refused records, or empty when it is the record passed to the call that threw. */
    public List<Object> records() {
        return records;
    }
}
