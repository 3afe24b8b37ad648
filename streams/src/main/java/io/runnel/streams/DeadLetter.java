package io.runnel.streams;

import java.util.Arrays;
import java.util.Objects;

/**
 * A record the job could not process, sent to {@link StreamJob#deadLetters()} under
 * {@link BadDataPolicy#DEAD_LETTER}.
 *
 * @param origin      where it failed: a source name, or the stable name of the operator or sink
 * @param position    the source position for people ({@code "page-views/3@1742"}, {@code "events.jsonl:17"});
 *                    after a {@code keyBy} exchange the key and timestamp instead
 * @param reason      what went wrong (exception class and message)
 * @param record      the decoded record, or {@code null} when it could not be decoded
 * @param raw         the undecodable bytes, or {@code null}
 * @param timestampMs the record's event time, or {@link Long#MIN_VALUE} if it had none yet
 */
public record DeadLetter(String origin, String position, String reason, Object record, byte[] raw, long timestampMs) {

    public DeadLetter {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeadLetter d && d.origin.equals(origin) && d.position.equals(position)
                && d.reason.equals(reason) && Objects.equals(d.record, record) && Arrays.equals(d.raw, raw)
                && d.timestampMs == timestampMs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, position, reason, record, Arrays.hashCode(raw), timestampMs);
    }

    @Override
    public String toString() {
        return "DeadLetter[origin=" + origin + ", position=" + position + ", reason=" + reason + ", record=" + record
                + (raw == null ? "" : ", raw=" + raw.length + " bytes") + "]";
    }
}
