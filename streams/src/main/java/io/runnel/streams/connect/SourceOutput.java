package io.runnel.streams.connect;

/**
 * Receives what a {@link SourceReader} reads.
 *
 * @param <T> the record type
 */
public interface SourceOutput<T> {

    /**
     * One record with the timestamp the source knows for it (the log record's timestamp, a file
     * line's read time); a job's event-time function may replace it.
     */
    void collect(T record, long timestampMs);

    /**
     * A record that could not be decoded. The job's bad-data policy fails the job or dead-letters it;
     * the reader goes on either way.
     *
     * @param where  the source position, for people (e.g. {@code "page-views/3@1742"} or {@code "events.jsonl:17"})
     * @param raw    the undecodable bytes, may be {@code null}
     * @param reason what is wrong
     */
    void malformed(String where, byte[] raw, Throwable reason);
}
