package io.runnel.connectors.file;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.runnel.connectors.InvalidConfigException;
import io.runnel.streams.connect.DeliveryGuarantee;
import io.runnel.streams.connect.Sink;
import io.runnel.streams.connect.SinkContext;
import io.runnel.streams.connect.SinkWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes records to rolling part files (JSON lines or CSV) in a directory, exactly once.
 *
 * <p>Each task writes to hidden in-progress files ({@code .<prefix>-t<task>-<random>.<ext>.inprogress});
 * a part rolls at {@link #withMaxPartBytes} and at every checkpoint. {@code prepareCommit} forces the
 * parts and the directory to disk and returns their names; {@code commit}, once the checkpoint is
 * complete, renames each to its final visible name {@code <prefix>-t<task>-cp<checkpoint>-<n>.<ext>}
 * and forces the directory. A visible file is therefore always whole, and only records of completed
 * checkpoints are visible. {@code commit} again after a crash finds the files already renamed and
 * does nothing. In-progress files not covered by a completed checkpoint are deleted by the next
 * writer of the same task (at its first commit or checkpoint). Readers of the directory must skip
 * hidden files.
 *
 * <p>Immutable and thread-safe; each task's writer is used by one thread.
 *
 * @param <T> the record type (serialized by Jackson: records, beans, maps)
 */
public final class FileSink<T> implements Sink<T> {
    static final String CONNECTOR = "file sink";
    private static final long DEFAULT_MAX_PART_BYTES = 128L << 20;
    static final ObjectMapper JSON = new ObjectMapper();

    /** How a record becomes a line, and what a part file starts with. */
    interface LineEncoder {
        byte[] header();

        byte[] encode(Object record) throws IOException;

        String extension();
    }

    private final String name;
    private final Path directory;
    private final String prefix;
    private final long maxPartBytes;
    private final LineEncoder encoder;

    private FileSink(String name, Path directory, String prefix, long maxPartBytes, LineEncoder encoder) {
        this.name = name;
        this.directory = directory;
        this.prefix = prefix;
        this.maxPartBytes = maxPartBytes;
        this.encoder = encoder;
    }

    /** JSON lines: each record serialized by Jackson on one line. */
    public static <T> FileSink<T> jsonLines(String name, Path directory) {
        return new FileSink<>(checkName(name), checkDirectory(directory), "part", DEFAULT_MAX_PART_BYTES, new JsonLinesEncoder());
    }

    /**
     * CSV with a header line naming {@code columns}; each record is converted by Jackson to a map
     * (a {@code Map} is taken as it is) and its values for the columns are written, quoted as needed.
     */
    public static <T> FileSink<T> csv(String name, Path directory, String... columns) {
        if (columns == null || columns.length == 0) {
            throw new InvalidConfigException(CONNECTOR, "columns", "[]", "is empty", "name the CSV columns to write, in order");
        }
        return new FileSink<>(checkName(name), checkDirectory(directory), "part", DEFAULT_MAX_PART_BYTES, new CsvEncoder(List.of(columns)));
    }

    /** Rolls a part file when it reaches {@code bytes} (default 128 MiB); parts also roll at every checkpoint. */
    public FileSink<T> withMaxPartBytes(long bytes) {
        if (bytes < 1) {
            throw new InvalidConfigException(CONNECTOR, "maxPartBytes", bytes, "must be positive", "use e.g. 134217728 (128 MiB)");
        }
        return new FileSink<>(name, directory, prefix, bytes, encoder);
    }

    /** Names part files {@code <prefix>-t<task>-cp<checkpoint>-<n>.<ext>} (default prefix {@code part}). */
    public FileSink<T> withPrefix(String filePrefix) {
        if (filePrefix == null || !filePrefix.matches("[A-Za-z0-9_][A-Za-z0-9._-]*")) {
            throw new InvalidConfigException(CONNECTOR, "prefix", filePrefix, "is not a plain file name prefix",
                    "use letters, digits, '.', '_' or '-', not starting with '.'");
        }
        return new FileSink<>(name, directory, filePrefix, maxPartBytes, encoder);
    }

    private static String checkName(String name) {
        return InvalidConfigException.requireNonBlank(CONNECTOR, "name", name, "give the sink a stable name");
    }

    private static Path checkDirectory(Path directory) {
        Objects.requireNonNull(directory, "directory");
        try {
            Files.createDirectories(directory);
        } catch (IOException | SecurityException e) {
            throw new InvalidConfigException(CONNECTOR, "directory", directory, "cannot be created: " + e, "choose a directory this process may create", e);
        }
        if (!Files.isWritable(directory)) {
            throw new InvalidConfigException(CONNECTOR, "directory", directory, "is not writable", "grant write permission or choose another directory");
        }
        return directory;
    }

    public Path directory() {
        return directory;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DeliveryGuarantee guarantee() {
        return DeliveryGuarantee.EXACTLY_ONCE;
    }

    @Override
    public SinkWriter<T> open(SinkContext context) {
        checkDirectory(directory);
        return new RollingFileWriter<>(directory, prefix + "-t" + context.taskIndex(), maxPartBytes, encoder);
    }

    /** One JSON document per line. */
    private static final class JsonLinesEncoder implements LineEncoder {
        private final ObjectWriter writer = JSON.writer();

        @Override
        public byte[] header() {
            return new byte[0];
        }

        @Override
        public byte[] encode(Object record) throws IOException {
            return writer.writeValueAsBytes(record);
        }

        @Override
        public String extension() {
            return "jsonl";
        }
    }

    /** CSV rows of fixed columns, with a header. */
    private static final class CsvEncoder implements LineEncoder {
        private final List<String> columns;
        private final ObjectWriter rows;
        private final byte[] header;

        CsvEncoder(List<String> columns) {
            this.columns = columns;
            CsvMapper csv = new CsvMapper();
            CsvSchema.Builder schema = CsvSchema.builder();
            columns.forEach(schema::addColumn);
            this.rows = csv.writerFor(Object[].class).with(schema.build().withoutHeader().withLineSeparator(""));
            try {
                this.header = rows.writeValueAsBytes(columns.toArray());
            } catch (IOException e) {
                throw new InvalidConfigException(CONNECTOR, "columns", columns, "cannot be written as a CSV header: " + e, "use plain column names", e);
            }
        }

        @Override
        public byte[] header() {
            return header;
        }

        @Override
        public byte[] encode(Object record) throws IOException {
            Map<?, ?> map = record instanceof Map<?, ?> m ? m : JSON.convertValue(record, Map.class);
            Object[] values = new Object[columns.size()];
            for (int i = 0; i < values.length; i++) {
                Object value = map.get(columns.get(i));
                values[i] = value instanceof Map || value instanceof List ? JSON.writeValueAsString(value) : value;
            }
            return rows.writeValueAsBytes(values);
        }

        @Override
        public String extension() {
            return "csv";
        }
    }
}
