package io.runnel.log.internal;

import io.runnel.log.LogConfig;
import io.runnel.log.storage.Storage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * What every part of an open log shares: its configuration, derived limits and the consumers'
 * read-ahead thread (started on first use, stopped when idle and when the log closes).
 */
final class LogContext {
    final LogConfig config;
    final Storage storage;
    final boolean readOnly;
    /** Largest batch the reader accepts (and the largest uncompressed records region). */
    final int maxBatchLength;
    /** Reads file chunks ahead for sequential consumers (see {@code BatchScanner}). */
    final ExecutorService readAhead;

    LogContext(LogConfig config, boolean readOnly) {
        this.config = config;
        this.storage = config.storage();
        this.readOnly = readOnly;
        this.maxBatchLength = config.maxBatchLength();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                DiskLog.named(config.threadFactory(), "read-ahead"));
        pool.allowCoreThreadTimeOut(true); // no thread until a consumer scans, none while nobody does
        this.readAhead = pool;
    }

    long nowMs() {
        return config.clock().millis();
    }
}
