package io.runnel.connectors.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.runnel.streams.connect.RejectedRecordException;
import io.runnel.streams.connect.SinkWriter;
import java.io.PrintStream;

/** Prints each record as one JSON line as it is written. */
final class JsonLinesConsoleWriter<T> implements SinkWriter<T> {
    private static final byte[] NOTHING = new byte[0];
    private final PrintStream out;

    JsonLinesConsoleWriter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void write(T record) {
        try {
            out.println(ConsoleSink.JSON.writeValueAsString(record));
        } catch (JsonProcessingException e) {
            throw new RejectedRecordException("console sink: cannot print " + record + " as JSON: " + e.getOriginalMessage(), e);
        }
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
