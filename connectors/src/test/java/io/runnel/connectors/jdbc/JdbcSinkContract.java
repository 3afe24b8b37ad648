package io.runnel.connectors.jdbc;

import io.runnel.connectors.SinkContractTest;
import io.runnel.streams.connect.Sink;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The sink contract for the JDBC sink against one database; each test gets its own table. */
abstract class JdbcSinkContract extends SinkContractTest<Total> {
    private static final AtomicInteger TABLES = new AtomicInteger();
    private String url;
    private String table;

    /** The database URL for a test whose temporary directory is {@code dir}. */
    abstract String url(Path dir);

    @Override
    protected Sink<Total> createSink(Path dir) {
        url = url(dir);
        table = "totals_" + TABLES.incrementAndGet();
        return Total.sinkInto(url, table).batchSize(10).build();
    }

    @Override
    protected Total record(int i) {
        return Total.of(i);
    }

    @Override
    protected List<Total> published() throws Exception {
        return Total.readAll(url, table);
    }
}
