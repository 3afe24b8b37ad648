package io.runnel.cli;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * A time on the command line ({@code --from-time}, {@code --to-time}): epoch milliseconds
 * ({@code 1714560000000}), an ISO-8601 instant or date-time with offset
 * ({@code 2024-05-01T12:00:00Z}, {@code 2024-05-01T14:00:00+02:00}), a date-time without offset
 * (read as UTC) or a date ({@code 2024-05-01}, midnight UTC). Stateless; thread-safe.
 */
final class PointInTime {
    private PointInTime() {
    }

    static final String SYNTAX = "epoch milliseconds (1714560000000), an ISO-8601 time (2024-05-01T12:00:00Z,"
            + " 2024-05-01T14:00:00+02:00; without an offset it is UTC) or a date (2024-05-01, midnight UTC)";

    static Instant parse(String text) {
        String s = text == null ? "" : text.trim();
        if (!s.isEmpty() && s.chars().allMatch(Character::isDigit) && s.length() <= 18) {
            return Instant.ofEpochMilli(Long.parseLong(s));
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeException e) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            // try the next form
        }
        try {
            return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time: write " + SYNTAX);
        }
    }
}
