package io.runnel.connectors.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.connectors.InvalidConfigException;
import io.runnel.streams.connect.DeliveryGuarantee;
import io.runnel.streams.connect.RejectedRecordException;
import io.runnel.streams.connect.Sink;
import io.runnel.streams.connect.SinkContext;
import io.runnel.streams.connect.SinkWriter;
import java.io.PrintStream;
import java.util.Objects;
import java.util.function.Function;

/**
 * Prints records for demos and debugging, to a {@link PrintStream} it is given: as JSON lines (one
 * object per line, records and maps serialized by Jackson), as plain text lines (one per record, the
 * text a formatter function makes of it, e.g. alerts a person should see at once), or as a pretty
 * table (columns from the record's fields, printed in blocks at each checkpoint or every
 * {@code rowsPerBlock} rows). JSON and text lines are printed as records are written.
 * At-least-once: a replay after a crash prints its records again. Writers of several tasks share the
 * stream; each line is printed whole. A record that cannot be printed (Jackson cannot serialize it,
 * the formatter throws or returns null) is a {@link RejectedRecordException}, so the job's bad-data
 * policy fails naming its source position or dead-letters it.
 *
 * @param <T> the record type
 */
public final class ConsoleSink<T> implements Sink<T> {

    /** How records look on the console. */
    public enum Format {
        /** One JSON object per line. */
        JSON_LINES,
        /** One line of text per record, made by a formatter function. */
        LINES,
        /** Aligned columns with a header, in blocks. */
        TABLE
    }

    static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final PrintStream out;
    private final Format format;
    private final int rowsPerBlock;
    private final Function<? super T, String> formatter;

    private ConsoleSink(String name, PrintStream out, Format format, int rowsPerBlock, Function<? super T, String> formatter) {
        this.name = name;
        this.out = out;
        this.format = format;
        this.rowsPerBlock = rowsPerBlock;
        this.formatter = formatter;
    }

    /** JSON lines to {@code out}. */
    public static <T> ConsoleSink<T> jsonLines(String name, PrintStream out) {
        return new ConsoleSink<>(checkName(name), Objects.requireNonNull(out, "out"), Format.JSON_LINES, 0, null);
    }

    /**
     * One line of text per record to {@code out}: {@code formatter}'s text of the record, e.g.
     * {@code ConsoleSink.lines("alerts", System.out, Alert::consoleLine)}. A record is always one line:
     * line breaks in the text are printed as spaces (so text from the input cannot forge other
     * lines). The formatter is called on the task's thread; it must not block.
     */
    public static <T> ConsoleSink<T> lines(String name, PrintStream out, Function<? super T, String> formatter) {
        if (formatter == null) {
            throw new InvalidConfigException("console sink", "formatter", null, "is missing",
                    "pass a function from a record to its line, like String::valueOf");
        }
        return new ConsoleSink<>(checkName(name), Objects.requireNonNull(out, "out"), Format.LINES, 0, formatter);
    }

    /** A pretty table to {@code out}, printed at each checkpoint or every 50 rows. */
    public static <T> ConsoleSink<T> table(String name, PrintStream out) {
        return new ConsoleSink<>(checkName(name), Objects.requireNonNull(out, "out"), Format.TABLE, 50, null);
    }

    /** Prints table blocks of at most {@code rows} rows (each block sizes its columns to fit). */
    public ConsoleSink<T> withRowsPerBlock(int rows) {
        if (rows < 1) {
            throw new InvalidConfigException("console sink", "rowsPerBlock", rows, "must be at least 1", "use withRowsPerBlock(50)");
        }
        return new ConsoleSink<>(name, out, format, rows, formatter);
    }

    private static String checkName(String name) {
        return InvalidConfigException.requireNonBlank("console sink", "name", name, "give the sink a stable name");
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
        return switch (format) {
            case JSON_LINES -> new LineConsoleWriter<T>(name, out, ConsoleSink::json);
            case LINES -> new LineConsoleWriter<T>(name, out, formatter);
            case TABLE -> new TableConsoleWriter<>(out, rowsPerBlock);
        };
    }

    private static String json(Object record) {
        try {
            return JSON.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new RejectedRecordException("console sink: cannot print " + record + " as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
