package io.runnel.connectors.internal;

import io.runnel.streams.connect.ConnectorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Staged files a writer finds when it opens: left by an earlier run, either named by a restored
 * committable (the runtime commits them) or belonging to a checkpoint that never completed.
 * {@link #deleteRemaining()} is called when the first checkpoint the new writer prepared commits:
 * that checkpoint completed, so every task has opened and committed the restored checkpoint (after a
 * change of parallelism, possibly another task's files), and what is still there is garbage.
 * Not thread-safe.
 */
public final class StagedLeftovers {
    private final String connector;
    private final Path directory;
    private final List<Path> found;
    private boolean deleted;

    /** Lists the files of {@code directory} whose names match {@code ours}. */
    public StagedLeftovers(String connector, Path directory, Predicate<String> ours) {
        this.connector = connector;
        this.directory = directory;
        try (Stream<Path> files = Files.list(directory)) {
            this.found = files.filter(p -> ours.test(p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new ConnectorException(connector + ": cannot list " + directory + ": " + e, e);
        }
    }

    /** Deletes the files found at open that still exist; only the first call does anything. */
    public void deleteRemaining() {
        if (deleted) {
            return;
        }
        deleted = true;
        for (Path file : found) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new ConnectorException(connector + ": cannot delete leftover " + file + ": " + e, e);
            }
        }
    }

    /** Where the files were looked for. */
    public Path directory() {
        return directory;
    }
}
