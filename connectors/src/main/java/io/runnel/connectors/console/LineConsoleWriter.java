package io.runnel.connectors.console;

import io.runnel.streams.connect.RejectedRecordException;
import io.runnel.streams.connect.SinkWriter;
import java.io.PrintStream;
import java.util.function.Function;

/** Prints each record as one line, as it is written: the text {@code formatter} makes of it. */
final class LineConsoleWriter<T> implements SinkWriter<T> {
    private static final byte[] NOTHING = new byte[0];

    private final String sinkName;
    private final PrintStream out;
    private final Function<? super T, String> formatter;

    LineConsoleWriter(String sinkName, PrintStream out, Function<? super T, String> formatter) {
        this.sinkName = sinkName;
        this.out = out;
        this.formatter = formatter;
    }

    @Override
    public void write(T record) {
        String line;
        try {
            line = formatter.apply(record);
        } catch (RejectedRecordException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RejectedRecordException("console sink '" + sinkName + "': the formatter failed on " + record + ": " + e, e);
        }
        if (line == null) {
            throw new RejectedRecordException("console sink '" + sinkName + "': the formatter returned null for " + record
                    + " (return the text to print)", null);
        }
        // One record, one line: a line break inside would let the record's content pass for other lines.
        out.println(line.indexOf('\n') < 0 && line.indexOf('\r') < 0 ? line : line.replace('\n', ' ').replace('\r', ' '));
    }

    @Override
    public byte[] prepareCommit(long checkpointId) {
        out.flush();
        return NOTHING;
    }

    @Override
    public void commit(long checkpointId, byte[] committable) {
        // printed on write: nothing to publish
    }

    @Override
    public void close() {
        out.flush();
    }
}
