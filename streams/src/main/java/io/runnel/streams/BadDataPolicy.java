package io.runnel.streams;

/**
 * What a job does with a record a source cannot decode ({@code SourceOutput.malformed}), a record
 * whose user function throws, or a record a sink rejects. Never silently dropped either way.
 */
public enum BadDataPolicy {
    /** Fail the job with a {@link JobFailedException} naming the source position and the reason. */
    FAIL,
    /**
     * Send the record with its reason and position to {@link StreamJob#deadLetters()} and go on; the
     * records delivered plus the records dead-lettered equal the input.
     */
    DEAD_LETTER
}
