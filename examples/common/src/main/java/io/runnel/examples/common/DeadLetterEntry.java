package io.runnel.examples.common;

import io.runnel.streams.DeadLetter;
import java.nio.charset.StandardCharsets;

/**
 * One line of the dead-letter file: an input line the job could not use, or an event that came too
 * late for its window.
 *
 * @param position where it came from: {@code events.jsonl:17} (input name and line), or {@code late}
 * @param line     the 1-based input line number, or {@code null} if unknown (late events)
 * @param reason   why it is here
 * @param text     the line as read (invalid UTF-8 replaced), or the late event
 */
public record DeadLetterEntry(String position, Long line, String reason, String text) {

    /** The entry for a record the job dead-lettered (a malformed line, a failing function, a refused row). */
    public static DeadLetterEntry of(DeadLetter d) {
        String text = d.raw() != null ? new String(d.raw(), StandardCharsets.UTF_8) : String.valueOf(d.record());
        return new DeadLetterEntry(d.position(), lineOf(d.position()), d.reason(), text);
    }

    /** The entry for an event that was too late for {@code window}. */
    public static DeadLetterEntry late(String window, long eventTimeMs, Object event) {
        return new DeadLetterEntry("late", null, "late for " + window + ": event time " + eventTimeMs
                + " was behind the watermark (more out of order than --out-of-orderness allows)", String.valueOf(event));
    }

    /** The line number at the end of {@code input:17}, or null. */
    private static Long lineOf(String position) {
        int colon = position.lastIndexOf(':');
        if (colon < 0) {
            return null;
        }
        try {
            return Long.parseLong(position.substring(colon + 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
