package io.runnel.streams;

/** The clock a timer follows. */
public enum TimeDomain {
    /** Fires when the operator's watermark reaches the timer's time. */
    EVENT_TIME,
    /** Fires when the job clock reaches the timer's time. */
    PROCESSING_TIME
}
