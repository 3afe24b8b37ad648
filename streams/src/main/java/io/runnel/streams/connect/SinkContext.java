package io.runnel.streams.connect;

import java.nio.file.Path;

/**
 * What the runtime tells a sink writer when it opens.
 *
 * @param jobName     the job's name
 * @param sinkName    the sink's {@link Sink#name()}
 * @param taskIndex   the index of the task that writes, 0-based
 * @param parallelism the number of tasks in the job
 * @param stateDir    a directory private to this sink and task inside the job's state directory,
 *                    for staged data that must survive a crash until committed
 */
public record SinkContext(String jobName, String sinkName, int taskIndex, int parallelism, Path stateDir) {
}
