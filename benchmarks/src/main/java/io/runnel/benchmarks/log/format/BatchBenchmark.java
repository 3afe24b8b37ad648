package io.runnel.benchmarks.log.format;

import io.runnel.benchmarks.data.Payloads;
import io.runnel.log.Compression;
import io.runnel.log.format.BatchBuilder;
import io.runnel.log.format.RecordBatch;
import io.runnel.log.format.RecordCursor;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Encoding and decoding one record batch of 100 records of 100 bytes (the log benchmarks' shape),
 * per record: {@code BatchBuilder} append and build (header, CRC32C), and {@code RecordBatch}
 * validate (CRC32C) plus a cursor walk over every record. With {@code -prof gc} the steady state
 * should allocate nothing (reused buffers, flyweights).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BatchBenchmark {

    private static final int RECORDS = 100;

    @Param({"NONE", "LZ4"})
    public String compression;

    private final BatchBuilder builder = new BatchBuilder();
    private final RecordBatch batch = new RecordBatch();
    private final RecordCursor cursor = new RecordCursor();
    private byte[][] values;
    private ByteBuffer encoded;
    private Compression codec;

    @Setup
    public void setUp() {
        codec = Compression.valueOf(compression);
        Payloads payloads = new Payloads(42, 100);
        values = new byte[RECORDS][];
        for (int i = 0; i < RECORDS; i++) {
            values[i] = payloads.value(i);
        }
        ByteBuffer built = encode();
        encoded = ByteBuffer.allocate(built.remaining());
        encoded.put(built).flip();
    }

    private ByteBuffer encode() {
        builder.reset(1_000_000L, -1L, -1L);
        long ts = 1_767_225_600_000L;
        for (int i = 0; i < RECORDS; i++) {
            builder.append(ts + i, null, values[i], null);
        }
        return builder.build(ts + RECORDS, codec);
    }

    /** Builds one batch of 100 records; score is records per microsecond. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public ByteBuffer encodeBatch() {
        return encode();
    }

    /** Validates one batch and walks its 100 records; score is records per microsecond. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void decodeBatch(Blackhole bh) {
        batch.wrap(encoded, 0).validate(1 << 20);
        batch.records(cursor, 1 << 20);
        while (cursor.next()) {
            bh.consume(cursor.offset());
            bh.consume(cursor.valueLength());
        }
    }
}
