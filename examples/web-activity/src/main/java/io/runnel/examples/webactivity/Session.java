package io.runnel.examples.webactivity;

/**
 * A row of {@code sessions}: one visit of a user, events at most 30 minutes apart; it starts at its
 * first event and ends 30 minutes after its last. Key: (user, session_start).
 */
public record Session(String user, long sessionStart, long sessionEnd, long pageViews) {
}
