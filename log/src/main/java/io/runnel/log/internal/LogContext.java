package io.runnel.log.internal;

import io.runnel.log.LogConfig;
import io.runnel.log.storage.Storage;

/** What every part of an open log shares: its configuration and derived limits. Immutable. */
final class LogContext {
    final LogConfig config;
    final Storage storage;
    final boolean readOnly;
    /** Largest batch the reader accepts (and the largest uncompressed records region). */
    final int maxBatchLength;

    LogContext(LogConfig config, boolean readOnly) {
        this.config = config;
        this.storage = config.storage();
        this.readOnly = readOnly;
        this.maxBatchLength = config.maxBatchLength();
    }

    long nowMs() {
        return config.clock().millis();
    }
}
