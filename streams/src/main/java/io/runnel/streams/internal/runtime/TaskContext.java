package io.runnel.streams.internal.runtime;

import io.runnel.streams.BadDataPolicy;
import io.runnel.streams.DeadLetter;
import io.runnel.streams.JobFailedException;
import io.runnel.streams.internal.checkpoint.CheckpointStorage;
import io.runnel.streams.internal.state.KeyGroups;
import io.runnel.streams.internal.state.KryoCodec;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * What the operators of one task share: identity, clock, the key being processed, processing-time
 * callbacks, the bad-data policy and the dead-letter output. One per task, used by its thread only.
 */
public final class TaskContext {

    public final String jobName;
    public final int stage;
    public final int task;
    public final int parallelism;
    /** Unique over all tasks of the job (stage * parallelism + task). */
    public final int globalTask;
    public final int keyGroupStart;
    public final int keyGroupEnd;
    public final Clock clock;
    public final KeyContext keys = new KeyContext();
    public final ProcessingTimeService processingTime = new ProcessingTimeService();
    private final BadDataPolicy policy;
    private Collector deadLetters = Collector.NONE;
    private Supplier<String> position = () -> "unknown position";
    private KryoCodec codec;
    private CheckpointStorage storage;
    private StateCache stateCache;

    public TaskContext(String jobName, int stage, int task, int parallelism, Clock clock, BadDataPolicy policy) {
        this.jobName = jobName;
        this.stage = stage;
        this.task = task;
        this.parallelism = parallelism;
        this.globalTask = stage * parallelism + task;
        this.keyGroupStart = KeyGroups.rangeStart(task, parallelism);
        this.keyGroupEnd = KeyGroups.rangeEnd(task, parallelism);
        this.clock = clock;
        this.policy = policy;
    }

    public KryoCodec codec() {
        if (codec == null) {
            codec = new KryoCodec();
        }
        return codec;
    }

    /**
     * Where this task's keyed state may live on disk: {@code storage} (the job's state directory, or
     * null) and, if {@code cachedEntries > 0}, the state of process and table operators in files
     * behind a cache of that many entries. Before the operators open.
     */
    public void setStateStore(CheckpointStorage storage, long cachedEntries) {
        this.storage = storage;
        if (cachedEntries > 0) {
            if (storage == null) {
                throw new IllegalArgumentException("keeping state on disk needs a state directory");
            }
            stateCache = new StateCache(cachedEntries, codec(), storage);
        }
    }

    /** Closes the files of the state kept on disk, if any (when the task ends). */
    public void closeStateStore() {
        if (stateCache != null) {
            stateCache.close();
        }
    }

    /** The job's checkpoint storage, or null without a state directory. */
    public CheckpointStorage storage() {
        return storage;
    }

    /** The cache of this task's state kept on disk, or null when keyed state is on the heap. */
    StateCache stateCache() {
        return stateCache;
    }

    public void setDeadLetters(Collector c) {
        deadLetters = c;
    }

    /** Sets what describes the position of the record in flight (the task's current source split). */
    public void setPosition(Supplier<String> p) {
        position = p;
    }

    public String position() {
        return position.get();
    }

    /**
     * A source could not decode a record at {@code where}: fail the job or dead-letter it.
     *
     * @throws JobFailedException under {@link BadDataPolicy#FAIL}
     */
    public void malformed(OperatorCounters counters, String source, String where, byte[] raw, Throwable reason) {
        counters.deadLettered++;
        if (policy == BadDataPolicy.FAIL) {
            throw new JobFailedException("job '" + jobName + "': source '" + source + "' could not decode the record at "
                    + where + ": " + reason + " (fix the input, or set JobConfig.withBadDataPolicy(DEAD_LETTER) to route such records "
                    + "to deadLetters())", reason);
        }
        deadLetters.record(new DeadLetter(source, where, String.valueOf(reason), null, raw, Long.MIN_VALUE), Long.MIN_VALUE);
    }

    /**
     * A user function, or a sink, failed on {@code record} in operator {@code origin}: fail the job
     * naming the position, or dead-letter the record.
     *
     * @throws JobFailedException under {@link BadDataPolicy#FAIL}
     */
    public void failed(OperatorCounters counters, String origin, Object record, long timestampMs, Throwable error) {
        if (error instanceof JobFailedException f) {
            throw f;
        }
        counters.deadLettered++;
        String where = position();
        if (policy == BadDataPolicy.FAIL) {
            throw new JobFailedException("job '" + jobName + "': operator '" + origin + "' failed on the record at " + where
                    + ": " + error + " (fix the function or the input, or set JobConfig.withBadDataPolicy(DEAD_LETTER) to route "
                    + "such records to deadLetters())", error);
        }
        deadLetters.record(new DeadLetter(origin, where, String.valueOf(error), record, null, timestampMs), timestampMs);
    }
}
