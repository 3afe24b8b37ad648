package io.runnel.streams;

import com.google.common.base.Preconditions;
import io.runnel.log.Durations;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How a job runs: parallelism, state directory and checkpoint interval, bad-data policy, the
 * exchange sizes, where keyed state lives, and the injected clock and thread factory. Immutable;
 * {@code withX} returns a copy.
 *
 * <p><b>System properties.</b> {@link StreamJob#run()} applies the JVM's {@code runnel.job.*}
 * system properties to the job's config ({@link #withOverrides(Properties)}), so a launcher sets the
 * standard settings of a job jar without code in the job. {@code bin/runnel run} passes its flags this
 * way (docs/CLI.md, "run"); a property that is not set leaves the job's own setting alone.
 * <table>
 *   <caption>runnel.job.* properties</caption>
 *   <tr><th>property</th><th>{@code runnel run} flag</th><th>value</th></tr>
 *   <tr><td>{@code runnel.job.stateDir}</td><td>{@code --state-dir DIR}</td>
 *       <td>a directory path ({@code runnel run} passes it absolute; a relative one is taken from the
 *       working directory); see {@link #withStateDir}</td></tr>
 *   <tr><td>{@code runnel.job.checkpointInterval}</td><td>{@code --checkpoint-interval D}</td>
 *       <td>ISO-8601 as {@link Duration#toString()} writes it ({@code runnel run} passes {@code 10s} as
 *       {@code PT10S}, {@code 500ms} as {@code PT0.5S}), or a number and a unit as on the command line:
 *       {@code 500ms}, {@code 10s}, {@code 30m}, {@code 1h}, {@code 1d}, {@code 1h30m}; at least 10 ms;
 *       see {@link #withCheckpointInterval}</td></tr>
 *   <tr><td>{@code runnel.job.parallelism}</td><td>{@code --parallelism N}</td>
 *       <td>an integer, 1 to {@value #MAX_PARALLELISM}; see {@link #withParallelism}</td></tr>
 *   <tr><td>{@code runnel.job.badDataPolicy}</td><td>{@code --java-opt=-Drunnel.job.badDataPolicy=...}</td>
 *       <td>{@code FAIL} or {@code DEAD_LETTER} (any case); see {@link #withBadDataPolicy}</td></tr>
 * </table>
 * A value that does not parse, or is out of range, makes {@code withOverrides} (and so
 * {@code run()}) throw an {@link IllegalArgumentException} naming the property, the value and what
 * to write instead.
 */
public final class JobConfig {

    /** Key groups: the unit of state redistribution, and so the highest useful parallelism. */
    public static final int MAX_PARALLELISM = 128;

    /** The system properties {@link #withOverrides} reads (see the class comment). */
    public static final String PARALLELISM_PROPERTY = "runnel.job.parallelism";
    public static final String STATE_DIR_PROPERTY = "runnel.job.stateDir";
    public static final String CHECKPOINT_INTERVAL_PROPERTY = "runnel.job.checkpointInterval";
    public static final String BAD_DATA_POLICY_PROPERTY = "runnel.job.badDataPolicy";

    private static final AtomicInteger THREAD_COUNTER = new AtomicInteger();
    private static final ThreadFactory DEFAULT_THREADS = r -> {
        Thread t = new Thread(r, "runnel-" + THREAD_COUNTER.incrementAndGet());
        t.setDaemon(false);
        return t;
    };

    private final int parallelism;
    private final Path stateDir;
    private final Duration checkpointInterval;
    private final BadDataPolicy badDataPolicy;
    private final Clock clock;
    private final ThreadFactory threadFactory;
    private final int exchangeCapacity;
    private final int exchangeBatchSize;
    private final int pollBatchSize;
    private final Duration metricsLogInterval;
    private final boolean jmx;
    private final boolean stopOnShutdown;
    private final long stateMemoryLimitEntries;

    private JobConfig(int parallelism, Path stateDir, Duration checkpointInterval, BadDataPolicy badDataPolicy,
                      Clock clock, ThreadFactory threadFactory, int exchangeCapacity, int exchangeBatchSize,
                      int pollBatchSize, Duration metricsLogInterval, boolean jmx, boolean stopOnShutdown,
                      long stateMemoryLimitEntries) {
        this.parallelism = parallelism;
        this.stateDir = stateDir;
        this.checkpointInterval = checkpointInterval;
        this.badDataPolicy = badDataPolicy;
        this.clock = clock;
        this.threadFactory = threadFactory;
        this.exchangeCapacity = exchangeCapacity;
        this.exchangeBatchSize = exchangeBatchSize;
        this.pollBatchSize = pollBatchSize;
        this.metricsLogInterval = metricsLogInterval;
        this.jmx = jmx;
        this.stopOnShutdown = stopOnShutdown;
        this.stateMemoryLimitEntries = stateMemoryLimitEntries;
    }

    /**
     * Parallelism 1, no state directory (checkpoints still run every 10 s so sinks commit, but nothing
     * is persisted and a restart begins from scratch),
     * bad data fails the job, system clock, 64-slot exchanges of 512 records, metrics logged every
     * minute and registered over JMX.
     */
    public static JobConfig defaults() {
        return new JobConfig(1, null, Duration.ofSeconds(10), BadDataPolicy.FAIL, Clock.systemUTC(), DEFAULT_THREADS,
                64, 512, 1024, Duration.ofMinutes(1), true, true, 0);
    }

    /** Tasks per stage; source splits are spread over them, keys by key group. 1..{@value #MAX_PARALLELISM}. */
    public JobConfig withParallelism(int n) {
        Preconditions.checkArgument(n >= 1 && n <= MAX_PARALLELISM,
                "parallelism must be in 1..%s, was %s", MAX_PARALLELISM, n);
        return new JobConfig(n, stateDir, checkpointInterval, badDataPolicy, clock, threadFactory, exchangeCapacity,
                exchangeBatchSize, pollBatchSize, metricsLogInterval, jmx, stopOnShutdown, stateMemoryLimitEntries);
    }

    /**
     * Where checkpoints live; the job restores from it on start. Without one, checkpoints only drive
     * sink commits and nothing survives a restart.
     */
    public JobConfig withStateDir(Path dir) {
        Objects.requireNonNull(dir, "dir");
        return new JobConfig(parallelism, dir, checkpointInterval, badDataPolicy, clock, threadFactory, exchangeCapacity,
                exchangeBatchSize, pollBatchSize, metricsLogInterval, jmx, stopOnShutdown, stateMemoryLimitEntries);
    }

    /** How often a checkpoint starts (needs a state directory); at least 10 ms. */
    public JobConfig withCheckpointInterval(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        Preconditions.checkArgument(interval.toMillis() >= 10, "checkpoint interval must be at least 10 ms, was %s", interval);
        return new JobConfig(parallelism, stateDir, interval, badDataPolicy, clock, threadFactory, exchangeCapacity,
                exchangeBatchSize, pollBatchSize, metricsLogInterval, jmx, stopOnShutdown, stateMemoryLimitEntries);
    }

    public JobConfig withBadDataPolicy(BadDataPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        return new JobConfig(parallelism, stateDir, checkpointInterval, policy, clock, threadFactory, exchangeCapacity,
                exchangeBatchSize, pollBatchSize, metricsLogInterval, jmx, stopOnShutdown, stateMemoryLimitEntries);
    }

    /** The clock for processing time, idle detection, checkpoint timing and metrics. */
    public JobConfig withClock(Clock c) {
        Objects.requireNonNull(c, "clock");
        return new JobConfig(parallelism, stateDir, checkpointInterval, badDataPolicy, c, threadFactory, exchangeCapacity,
                exchangeBatchSize, pollBatchSize, metricsLogInterval, jmx, stopOnShutdown, stateMemoryLimitEntries);
    }

    /** Makes every thread the job runs (tasks, coordinator, shutdown hook). */
    public JobConfig withThreadFactory(ThreadFactory factory) {
        Objects.requireNonNull(factory, "factory");
        return new JobConfig(parallelism, stateDir, checkpointInterval, badDataPolicy, clock, factory, exchangeCapacity,
                exchangeBatchSize, pollBatchSize, metricsLogInterval, jmx, stopOnShutdown, stateMemoryLimitEntries);
    }

    /**
     * Ring slots per exchange channel (a power of two) and records per slot: a full ring blocks the
     * sender, which is the job's backpressure.
     */
    public JobConfig withExchange(int capacitySlots, int batchRecords) {
        Preconditions.checkArgument(capacitySlots >= 2 && Integer.bitCount(capacitySlots) == 1,
                "exchange capacity must be a power of two >= 2, was %s", capacitySlots);
        Preconditions.checkArgument(batchRecords >= 1 && batchRecords <= 1 << 16,
                "exchange batch must be in 1..65536 records, was %s", batchRecords);
        return new JobConfig(parallelism, stateDir, checkpointInterval, badDataPolicy, clock, threadFactory, capacitySlots,
                batchRecords, pollBatchSize, metricsLogInterval, jmx, stopOnShutdown, stateMemoryLimitEntries);
    }

    /** The most records a task takes from one source split per poll. */
    public JobConfig withPollBatchSize(int records) {
        Preconditions.checkArgument(records >= 1, "poll batch size must be positive, was %s", records);
        return new JobConfig(parallelism, stateDir, checkpointInterval, badDataPolicy, clock, threadFactory, exchangeCapacity,
                exchangeBatchSize, records, metricsLogInterval, jmx, stopOnShutdown, stateMemoryLimitEntries);
    }

    /** How often the job logs its metrics; {@link Duration#ZERO} turns the log line off. */
    public JobConfig withMetricsLogInterval(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        Preconditions.checkArgument(!interval.isNegative(), "metrics log interval must not be negative, was %s", interval);
        return new JobConfig(parallelism, stateDir, checkpointInterval, badDataPolicy, clock, threadFactory, exchangeCapacity,
                exchangeBatchSize, pollBatchSize, interval, jmx, stopOnShutdown, stateMemoryLimitEntries);
    }

    /** Whether the job registers its metrics as JMX MBeans ({@code io.runnel.streams:type=...}). */
    public JobConfig withJmx(boolean enabled) {
        return new JobConfig(parallelism, stateDir, checkpointInterval, badDataPolicy, clock, threadFactory, exchangeCapacity,
                exchangeBatchSize, pollBatchSize, metricsLogInterval, enabled, stopOnShutdown, stateMemoryLimitEntries);
    }

    /** Whether {@link StreamJob#run()} stops the job gracefully (final checkpoint) when the JVM shuts down (SIGTERM). */
    public JobConfig withStopOnShutdown(boolean enabled) {
        return new JobConfig(parallelism, stateDir, checkpointInterval, badDataPolicy, clock, threadFactory, exchangeCapacity,
                exchangeBatchSize, pollBatchSize, metricsLogInterval, jmx, enabled, stateMemoryLimitEntries);
    }

    /**
     * Keeps the keyed state of {@code process} operators (value and map states), of tables, of
     * windows (the accumulators of tumbling and hopping windows, the sessions of session windows) and
     * of stream-stream joins (their buffers) in files in the state directory, with at most
     * {@code maxEntriesPerTask} entries per task on the heap: a cache of the hot keys (Caffeine, by
     * frequency and recency) in front of an append-only file per key group, of which the heap holds
     * an index of 16 to 32 bytes per key (27 to 53 with a time-to-live), plus a timer of about 40
     * bytes per key with open sessions. For state that outgrows memory; a read the cache misses costs
     * a file read, and a window that fires (or a join's cleanup) reads its operator's state once.
     * Checkpoints write only what changed (the files only grow; compacted when mostly garbage),
     * restore and rescale as usual, and a job can switch between heap and disk state across restarts.
     * The timers of {@code process} stay on the heap. Needs {@link #withStateDir}. Default:
     * everything on the heap.
     */
    public JobConfig withStateMemoryLimit(long maxEntriesPerTask) {
        Preconditions.checkArgument(maxEntriesPerTask >= 1, "state memory limit must be at least 1 entry per task, was %s "
                + "(leave it unset to keep state on the heap)", maxEntriesPerTask);
        return new JobConfig(parallelism, stateDir, checkpointInterval, badDataPolicy, clock, threadFactory, exchangeCapacity,
                exchangeBatchSize, pollBatchSize, metricsLogInterval, jmx, stopOnShutdown, maxEntriesPerTask);
    }

    /**
     * This config with the {@code runnel.job.*} entries of {@code props} applied (see the class
     * comment for the properties and their values).
     *
     * @throws IllegalArgumentException if a value is malformed or out of range; the message names the
     *         property, the value and the fix
     */
    public JobConfig withOverrides(Properties props) {
        Objects.requireNonNull(props, "props");
        JobConfig c = this;
        String p = props.getProperty(PARALLELISM_PROPERTY);
        if (p != null) {
            int n;
            try {
                n = Integer.parseInt(p.trim());
            } catch (NumberFormatException e) {
                throw badProperty(PARALLELISM_PROPERTY, p, "an integer from 1 to " + MAX_PARALLELISM + ", e.g. -D"
                        + PARALLELISM_PROPERTY + "=2 (bin/runnel run --parallelism 2)", e);
            }
            if (n < 1 || n > MAX_PARALLELISM) {
                throw badProperty(PARALLELISM_PROPERTY, p, "an integer from 1 to " + MAX_PARALLELISM
                        + " (key groups bound the useful parallelism), e.g. -D" + PARALLELISM_PROPERTY + "=2", null);
            }
            c = c.withParallelism(n);
        }
        String dir = props.getProperty(STATE_DIR_PROPERTY);
        if (dir != null) {
            if (dir.isBlank()) {
                throw badProperty(STATE_DIR_PROPERTY, dir, "a directory path, e.g. -D" + STATE_DIR_PROPERTY
                        + "=/var/lib/my-job (bin/runnel run --state-dir DIR), or leave it unset", null);
            }
            try {
                c = c.withStateDir(Path.of(dir.trim()));
            } catch (InvalidPathException e) {
                throw badProperty(STATE_DIR_PROPERTY, dir, "a directory path this system accepts (" + e.getReason() + ")", e);
            }
        }
        String interval = props.getProperty(CHECKPOINT_INTERVAL_PROPERTY);
        if (interval != null) {
            Duration d = parseDuration(interval.trim());
            if (d == null) {
                throw badProperty(CHECKPOINT_INTERVAL_PROPERTY, interval, "ISO-8601 like PT10S or PT0.5S, or " + Durations.SYNTAX
                        + " (bin/runnel run --checkpoint-interval 10s)", null);
            }
            if (d.toMillis() < 10) {
                throw badProperty(CHECKPOINT_INTERVAL_PROPERTY, interval, "at least 10 ms, e.g. 10s", null);
            }
            c = c.withCheckpointInterval(d);
        }
        String policy = props.getProperty(BAD_DATA_POLICY_PROPERTY);
        if (policy != null) {
            try {
                c = c.withBadDataPolicy(BadDataPolicy.valueOf(policy.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw badProperty(BAD_DATA_POLICY_PROPERTY, policy, "FAIL or DEAD_LETTER, e.g. -D" + BAD_DATA_POLICY_PROPERTY
                        + "=DEAD_LETTER", e);
            }
        }
        return c;
    }

    private static IllegalArgumentException badProperty(String property, String value, String expected, Throwable cause) {
        return new IllegalArgumentException("system property " + property + "='" + value + "' is not valid: write " + expected,
                cause);
    }

    /**
     * {@code text} as ISO-8601 ({@code PT10S}) or as the command line writes durations
     * ({@link Durations}: {@code 1h30m}, {@code 500ms}); null if it is neither or negative.
     */
    static Duration parseDuration(String text) {
        if (text.startsWith("P") || text.startsWith("p") || text.startsWith("-")) {
            try {
                Duration d = Duration.parse(text);
                return d.isNegative() ? null : d;
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public int parallelism() {
        return parallelism;
    }

    /** The state directory, or {@code null}. */
    public Path stateDir() {
        return stateDir;
    }

    public Duration checkpointInterval() {
        return checkpointInterval;
    }

    public BadDataPolicy badDataPolicy() {
        return badDataPolicy;
    }

    public Clock clock() {
        return clock;
    }

    public ThreadFactory threadFactory() {
        return threadFactory;
    }

    public int exchangeCapacity() {
        return exchangeCapacity;
    }

    public int exchangeBatchSize() {
        return exchangeBatchSize;
    }

    public int pollBatchSize() {
        return pollBatchSize;
    }

    public Duration metricsLogInterval() {
        return metricsLogInterval;
    }

    public boolean jmx() {
        return jmx;
    }

    public boolean stopOnShutdown() {
        return stopOnShutdown;
    }

    /** Keyed-state entries per task kept on the heap when state lives on disk; 0: all state on the heap. */
    public long stateMemoryLimitEntries() {
        return stateMemoryLimitEntries;
    }

    @Override
    public String toString() {
        return "JobConfig[parallelism=" + parallelism + ", stateDir=" + stateDir + ", checkpointInterval=" + checkpointInterval
                + ", badDataPolicy=" + badDataPolicy + ", exchange=" + exchangeCapacity + "x" + exchangeBatchSize
                + (stateMemoryLimitEntries > 0 ? ", stateMemoryLimit=" + stateMemoryLimitEntries + " entries/task" : "") + "]";
    }
}
