package io.runnel.streams.connect;

/**
 * What the runtime tells a reader when it opens a split.
 *
 * @param jobName     the job's name
 * @param sourceName  the source's {@link Source#name()}
 * @param taskIndex   the index of the task that reads the split, 0-based
 * @param parallelism the number of tasks in the job
 */
public record SourceContext(String jobName, String sourceName, int taskIndex, int parallelism) {
}
