package io.runnel.examples.common;

import io.runnel.streams.connect.DeliveryGuarantee;
import io.runnel.streams.connect.Sink;
import io.runnel.streams.connect.SinkContext;
import io.runnel.streams.connect.SinkWriter;
import java.io.PrintStream;
import java.util.Objects;

/**
 * Prints each record as one line ({@link String#valueOf}) as it arrives: for alerts a person should
 * see at once. At-least-once: after a crash, records replayed from the last checkpoint print again.
 * Writers of several tasks print whole lines (a {@link PrintStream} locks per call).
 *
 * @param <T> record type
 */
public final class ConsoleLines<T> implements Sink<T> {

    private final String name;
    private final PrintStream out;

    private ConsoleLines(String name, PrintStream out) {
        this.name = name;
        this.out = out;
    }

    /** A sink named {@code name} printing to {@code out}. */
    public static <T> ConsoleLines<T> to(String name, PrintStream out) {
        return new ConsoleLines<>(Objects.requireNonNull(name, "name"), Objects.requireNonNull(out, "out"));
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
        return new SinkWriter<>() {
            @Override
            public void write(T record) {
                out.println(record);
            }

            @Override
            public byte[] prepareCommit(long checkpointId) {
                out.flush();
                return new byte[0];
            }

            @Override
            public void commit(long checkpointId, byte[] committable) {
            }

            @Override
            public void close() {
                out.flush();
            }
        };
    }
}
