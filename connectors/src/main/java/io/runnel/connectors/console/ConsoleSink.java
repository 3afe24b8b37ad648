package io.runnel.connectors.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.connectors.InvalidConfigException;
import io.runnel.streams.connect.DeliveryGuarantee;
import io.runnel.streams.connect.Sink;
import io.runnel.streams.connect.SinkContext;
import io.runnel.streams.connect.SinkWriter;
import java.io.PrintStream;
import java.util.Objects;

/**
 * Prints records for demos and debugging, to a {@link PrintStream} it is given: as JSON lines (one
 * object per line, records and maps serialized by Jackson) or as a pretty table (columns from the
 * record's fields, printed in blocks at each checkpoint or every {@code rowsPerBlock} rows).
 * At-least-once: a replay after a crash prints its records again. Writers of several tasks share the
 * stream; each line is printed whole.
 *
 * @param <T> the record type
 */
public final class ConsoleSink<T> implements Sink<T> {

    /** How records look on the console. */
    public enum Format {
        /** One JSON object per line. */
        JSON_LINES,
        /** Aligned columns with a header, in blocks. */
        TABLE
    }

    static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final PrintStream out;
    private final Format format;
    private final int rowsPerBlock;

    private ConsoleSink(String name, PrintStream out, Format format, int rowsPerBlock) {
        this.name = name;
        this.out = out;
        this.format = format;
        this.rowsPerBlock = rowsPerBlock;
    }

    /** JSON lines to {@code out}. */
    public static <T> ConsoleSink<T> jsonLines(String name, PrintStream out) {
        return new ConsoleSink<>(checkName(name), Objects.requireNonNull(out, "out"), Format.JSON_LINES, 0);
    }

    /** A pretty table to {@code out}, printed at each checkpoint or every 50 rows. */
    public static <T> ConsoleSink<T> table(String name, PrintStream out) {
        return new ConsoleSink<>(checkName(name), Objects.requireNonNull(out, "out"), Format.TABLE, 50);
    }

    /** Prints table blocks of at most {@code rows} rows (each block sizes its columns to fit). */
    public ConsoleSink<T> withRowsPerBlock(int rows) {
        if (rows < 1) {
            throw new InvalidConfigException("console sink", "rowsPerBlock", rows, "must be at least 1", "use withRowsPerBlock(50)");
        }
        return new ConsoleSink<>(name, out, format, rows);
    }

    private static String checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidConfigException("console sink", "name", name, "is empty", "give the sink a stable name");
        }
        return name;
    }

    public Format format() {
        return format;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DeliveryGuarantee guarantee() {
        return DeliveryGuarantee.AT_LEAST_ONCE;
    }

    @Override
    public SinkWriter<T> open(SinkContext context) {
        return format == Format.JSON_LINES ? new JsonLinesConsoleWriter<>(out) : new TableConsoleWriter<>(out, rowsPerBlock);
    }
}
