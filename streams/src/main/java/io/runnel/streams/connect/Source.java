package io.runnel.streams.connect;

import java.util.List;

/**
 * Where a job's records come from: a set of splits (a log topic's partitions, a file, a
 * generator's streams), each read in order by one {@link SourceReader} and each with a position
 * that checkpoints store.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #splits()} is called once when a job starts without a checkpoint. On a restart from a
 *       checkpoint the runtime does not call it again: the splits and their positions come from the
 *       checkpoint, so a bounded source keeps the end it had when the job first started.</li>
 *   <li>A reader opened at a position returns exactly the records after that position, in the same
 *       order as before: replay after a crash gives the same records again.</li>
 *   <li>A bounded source's readers eventually report {@link SourceReader.Status#END}.</li>
 * </ul>
 * Implementations are immutable descriptions; all I/O happens in readers. A source's {@link #name()}
 * must be stable across restarts: checkpoints key split positions by it.
 *
 * @param <T> the record type the source produces
 */
public interface Source<T> {

    /** Stable name, unique within a job (e.g. {@code "log:page-views"}); keys its checkpointed positions. */
    String name();

    /** Whether every split ends ({@link SourceReader.Status#END}); an unbounded source runs until the job stops. */
    boolean isBounded();

    /** The splits to read on a fresh start, each with its initial position. */
    List<SourceSplit> splits();

    /**
     * Opens a reader for {@code split}, positioned just after {@code split.position()}.
     *
     * @throws ConnectorException if the split cannot be opened (names the split and the cause)
     */
    SourceReader<T> open(SourceSplit split, SourceContext context);
}
