package io.runnel.connectors.file;

import com.fasterxml.jackson.databind.JsonNode;
import io.runnel.connectors.InvalidConfigException;
import io.runnel.connectors.TimeSource;
import io.runnel.connectors.internal.PositionCodec;
import io.runnel.streams.connect.Source;
import io.runnel.streams.connect.SourceContext;
import io.runnel.streams.connect.SourceReader;
import io.runnel.streams.connect.SourceSplit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads JSON lines or CSV files, one split per file, in order.
 *
 * <p><b>Bounded</b> (the default): each file is read up to the size it had when the job first
 * started ({@link #splits()}); that end is kept in the split's position, so a restarted job reads
 * the same records. A last line without a line terminator at that end is read as a record.
 * <b>Following</b> ({@link #following}): unbounded; the reader waits for the file to grow, checking
 * its size every poll interval, and never consumes a partial last line until its {@code \n} is
 * there.
 *
 * <p>Position of a split: the byte offset just after the last line consumed, that line's number,
 * and the bounded end (-1 when following). Malformed lines (bad JSON, wrong number of CSV fields,
 * invalid UTF-8, a mapper that throws, a line longer than {@link #withMaxLineBytes}) are reported
 * through {@code SourceOutput.malformed} with {@code file:line} and the reason; reading goes on.
 * Blank lines are skipped. Each record's timestamp is the wall-clock time it was read.
 *
 * <p>Immutable and thread-safe; each {@code with*}/{@code map}/{@code following} returns a new source.
 *
 * @param <T> the record type
 */
public final class FileSource<T> implements Source<T> {
    static final String CONNECTOR = "file source";
    private static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;

    private final String name;
    private final List<Path> files;
    private final LineFormat<?> format;
    private final Function<Object, T> mapper;
    private final Duration pollInterval;
    private final int maxLineBytes;
    private final TimeSource time;

    private FileSource(String name, List<Path> files, LineFormat<?> format, Function<Object, T> mapper, Duration pollInterval,
            int maxLineBytes, TimeSource time) {
        this.name = name;
        this.files = files;
        this.format = format;
        this.mapper = mapper;
        this.pollInterval = pollInterval;
        this.maxLineBytes = maxLineBytes;
        this.time = time;
    }

    /** JSON lines read as Jackson trees. */
    public static FileSource<JsonNode> jsonLines(String name, Path... files) {
        return create(name, files, JsonLinesFormat.tree());
    }

    /** JSON lines bound by Jackson to {@code type} (a record or bean; unknown properties fail the line). */
    public static <T> FileSource<T> jsonLines(String name, Class<T> type, Path... files) {
        return create(name, files, JsonLinesFormat.bound(Objects.requireNonNull(type, "type")));
    }

    /** CSV with a header line; each record maps column name to field text, in header order. */
    public static FileSource<Map<String, String>> csv(String name, Path... files) {
        return create(name, files, new CsvFormat());
    }

    private static <T> FileSource<T> create(String name, Path[] files, LineFormat<T> format) {
        InvalidConfigException.requireNonBlank(CONNECTOR, "name", name, "give the source a stable name");
        if (files == null || files.length == 0) {
            throw new InvalidConfigException(CONNECTOR, "files", "[]", "is empty", "name at least one file to read");
        }
        Set<Path> unique = new LinkedHashSet<>();
        for (Path file : files) {
            Objects.requireNonNull(file, "file");
            if (!unique.add(file.toAbsolutePath().normalize())) {
                throw new InvalidConfigException(CONNECTOR, "files", file, "is listed twice", "name each file once");
            }
        }
        @SuppressWarnings("unchecked")
        Function<Object, T> identity = value -> (T) value;
        for (Path file : unique) {
            if (!Files.isDirectory(file.getParent())) {
                throw new InvalidConfigException(CONNECTOR, "file", file, "is in a directory that does not exist", "check the path");
            }
        }
        return new FileSource<>(name, List.copyOf(unique), format, identity, null, DEFAULT_MAX_LINE_BYTES, TimeSource.system());
    }

    /**
     * Turns each decoded line into a {@code R}; an exception thrown by {@code mapper} makes the line
     * malformed (reported with {@code file:line}), not a job failure.
     */
    public <R> FileSource<R> map(Function<? super T, ? extends R> next) {
        Objects.requireNonNull(next, "mapper");
        Function<Object, T> current = mapper;
        return new FileSource<>(name, files, format, value -> next.apply(current.apply(value)), pollInterval, maxLineBytes, time);
    }

    /** Unbounded: follows the files as they grow, checking every {@code pollInterval} (files need not exist yet). */
    public FileSource<T> following(Duration interval) {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new InvalidConfigException(CONNECTOR, "pollInterval", interval, "must be positive", "use e.g. Duration.ofMillis(200)");
        }
        return new FileSource<>(name, files, format, mapper, interval, maxLineBytes, time);
    }

    /** The longest line accepted (default 1 MiB); longer lines are reported malformed and skipped without being held in memory. */
    public FileSource<T> withMaxLineBytes(int bytes) {
        if (bytes < 16) {
            throw new InvalidConfigException(CONNECTOR, "maxLineBytes", bytes, "is too small", "use at least 16 (default 1048576)");
        }
        return new FileSource<>(name, files, format, mapper, pollInterval, bytes, time);
    }

    /** Uses {@code source} for waiting while following and for read timestamps. */
    public FileSource<T> withTimeSource(TimeSource source) {
        return new FileSource<>(name, files, format, mapper, pollInterval, maxLineBytes, Objects.requireNonNull(source, "time"));
    }

    /** Checks that a bounded source's files exist and are readable: called by {@link #splits()} when a job starts. */
    private void checkFiles() {
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new InvalidConfigException(CONNECTOR, "file", file, "does not exist or is not a regular file",
                        "check the path, or use following(...) to wait for it");
            }
            if (!Files.isReadable(file)) {
                throw new InvalidConfigException(CONNECTOR, "file", file, "is not readable", "grant read permission to this process");
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isBounded() {
        return pollInterval == null;
    }

    @Override
    public List<SourceSplit> splits() {
        if (isBounded()) {
            checkFiles();
        }
        List<SourceSplit> splits = new ArrayList<>(files.size());
        for (Path file : files) {
            long end = -1;
            if (isBounded()) {
                try {
                    end = Files.size(file);
                } catch (IOException e) {
                    throw new InvalidConfigException(CONNECTOR, "file", file, "cannot be read: " + e.getMessage(), "check the path and permissions", e);
                }
            }
            splits.add(new SourceSplit(file.toString(), PositionCodec.encode(0, 0, end)));
        }
        return splits;
    }

    @Override
    public SourceReader<T> open(SourceSplit split, SourceContext context) {
        Path file = Path.of(split.id());
        if (!files.contains(file)) {
            throw new InvalidConfigException(CONNECTOR, "split", split.id(), "is not one of this source's files " + files,
                    "restore with the same files the checkpoint was taken with");
        }
        long[] position = split.position().length == 0
                ? PositionCodec.decode(splits().get(files.indexOf(file)).position(), 3, CONNECTOR)
                : PositionCodec.decode(split.position(), 3, CONNECTOR + " '" + name + "' split " + split.id());
        return new FileSplitReader<>(this, file, position[0], position[1], position[2]);
    }

    LineFormat<?> format() {
        return format;
    }

    T map(Object decoded) {
        return mapper.apply(decoded);
    }

    Duration pollInterval() {
        return pollInterval;
    }

    int maxLineBytes() {
        return maxLineBytes;
    }

    TimeSource time() {
        return time;
    }
}
