package io.runnel.connectors.log;

import com.google.common.hash.Hashing;
import io.runnel.connectors.internal.StagedLeftovers;
import io.runnel.log.Headers;
import io.runnel.log.Producer;
import io.runnel.log.ProducerConfig;
import io.runnel.log.ProducerRecord;
import io.runnel.log.RecordTooLargeException;
import io.runnel.log.RunnelLogException;
import io.runnel.log.Serdes;
import io.runnel.log.format.BatchBuilder;
import io.runnel.log.format.HeadersCodec;
import io.runnel.streams.connect.ConnectorException;
import io.runnel.streams.connect.RejectedRecordException;
import io.runnel.streams.connect.SinkWriter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One task's log sink writer: stages records in a file per checkpoint, appends them with an
 * idempotent producer at commit. Its producer id is new for every writer (see {@link LogSink}); a
 * staged file is always appended under the id of the writer that staged it. Not thread-safe.
 *
 * <p>Staging file: a sequence of entries {@code [partition int][timestampMs long][key length int, -1
 * for none][key][value length int, -1 for null][value]}.
 */
final class StagedLogWriter<T> implements SinkWriter<T> {
    private static final String SUFFIX = ".staged";
    private static final int MAX_ENTRY_BYTES = 64 << 20; // the log's highest record limit: a damaged length is caught
    /** The sink appends every record without headers; the log counts their encoding in a record's size. */
    private static final byte[] NO_HEADERS = HeadersCodec.encode(Headers.empty());

    private final LogSink<T> sink;
    private final int partitions;
    private final Path stateDir;
    private final Producer<byte[], byte[]> producer;
    private final StagedLeftovers leftovers;

    private Path current;
    private FileChannel channel;
    private DataOutputStream out;
    private int roundRobin;
    private final Map<Long, Staged> uncommitted = new TreeMap<>(); // checkpoint id -> staged file
    private final Set<Long> preparedHere = new HashSet<>(); // checkpoints this writer prepared (not restored ones)
    private final String producerId;
    private final Map<String, Producer<byte[], byte[]>> otherProducers = new HashMap<>();

    /**
     * Records staged for one checkpoint: the file (absolute: after a change of parallelism another
     * task's writer may commit it) and the producer id whose sequences deduplicate its appends.
     */
    record Staged(String producerId, Path file) {
    }

    StagedLogWriter(LogSink<T> sink, int partitions, String producerId, Path stateDir) {
        this.sink = sink;
        this.partitions = partitions;
        this.stateDir = stateDir;
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new ConnectorException(LogSink.CONNECTOR + ": cannot create the state directory " + stateDir + ": " + e, e);
        }
        this.leftovers = new StagedLeftovers(LogSink.CONNECTOR, stateDir, n -> n.endsWith(SUFFIX));
        this.producerId = producerId;
        this.producer = sink.log().producer(Serdes.bytes(), Serdes.bytes(), ProducerConfig.idempotent(producerId));
    }

    @Override
    public void write(T record) {
        byte[] key;
        byte[] value;
        try {
            key = sink.key(record);
            value = sink.value(record);
        } catch (RuntimeException e) {
            throw new RejectedRecordException(LogSink.CONNECTOR + ": cannot serialize " + record + " for topic '" + sink.topic() + "': " + e.getMessage(), e);
        }
        checkSize(record, key, value);
        int partition = key == null ? Math.floorMod(roundRobin++, partitions)
                // the log producer's own choice for keyed records (see Producer): readers of the topic find keys where they expect
                : (Hashing.murmur3_32_fixed().hashBytes(key).asInt() & Integer.MAX_VALUE) % partitions;
        try {
            if (out == null) {
                current = stateDir.resolve(UUID.randomUUID() + SUFFIX);
                channel = FileChannel.open(current, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024));
            }
            out.writeInt(partition);
            out.writeLong(sink.nowMs());
            writeBytes(key);
            writeBytes(value);
        } catch (IOException e) {
            throw new ConnectorException(LogSink.CONNECTOR + ": cannot stage a record in " + current + ": " + e + " (check free space)", e);
        }
    }

    /**
     * Refuses, before it is staged, a record the log would refuse at commit: there it would fail
     * every commit attempt of a checkpoint that has already completed. Measured as the log's
     * producer measures it.
     */
    private void checkSize(T record, byte[] key, byte[] value) {
        int size = BatchBuilder.recordSizeUpperBound(key, value, NO_HEADERS);
        if (size > sink.maxRecordBytes()) {
            throw new RejectedRecordException(LogSink.CONNECTOR + ": record too large for topic '" + sink.topic() + "': sizeInBytes=" + size
                    + " (key " + (key == null ? 0 : key.length) + " + value " + (value == null ? 0 : value.length)
                    + " bytes + framing), maxRecordBytes=" + sink.maxRecordBytes() + " (write smaller records, or raise"
                    + " LogConfig.maxRecordBytes of the log and LogSink.withMaxRecordBytes together): " + abbreviate(record), null);
        }
    }

    /** A record's text for a message, cut short: a record too large for the log is large. */
    private static String abbreviate(Object record) {
        String text = String.valueOf(record);
        return text.length() <= 200 ? text : text.substring(0, 200) + "... (" + text.length() + " characters)";
    }

    private void writeBytes(byte[] bytes) throws IOException {
        if (bytes == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    @Override
    public byte[] prepareCommit(long checkpointId) {
        if (checkpointId < 0 || checkpointId > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("checkpoint id " + checkpointId + " is outside 0.." + Integer.MAX_VALUE + " (sequences are id * 2^32 + index)");
        }
        preparedHere.add(checkpointId);
        if (out != null) {
            try {
                out.flush();
                channel.force(true);
                out.close();
                try (FileChannel dir = FileChannel.open(stateDir, StandardOpenOption.READ)) {
                    dir.force(true); // the checkpoint names the file: its directory entry must survive a crash
                }
            } catch (IOException e) {
                throw new ConnectorException(LogSink.CONNECTOR + ": cannot stage records in " + current + " for checkpoint " + checkpointId + ": " + e, e);
            }
            uncommitted.put(checkpointId, new Staged(producerId, current.toAbsolutePath()));
            out = null;
            channel = null;
            current = null;
        }
        return encode(uncommitted);
    }

    @Override
    public void commit(long checkpointId, byte[] committable) {
        Map<Long, Staged> staged = decode(committable);
        for (Map.Entry<Long, Staged> file : staged.entrySet()) {
            append(file.getKey(), file.getValue());
            uncommitted.remove(file.getKey());
        }
        if (preparedHere.contains(checkpointId)) {
            leftovers.deleteRemaining();
        }
    }

    /** The producer of {@code id}: this writer's own, or one for a committable another task prepared. */
    private Producer<byte[], byte[]> producerFor(String id) {
        if (id.equals(producerId)) {
            return producer;
        }
        return otherProducers.computeIfAbsent(id, other -> sink.log().producer(Serdes.bytes(), Serdes.bytes(), ProducerConfig.idempotent(other)));
    }

    /** Appends every record of one staging file with deterministic sequences, waits for all, deletes the file. */
    private void append(long stagedCheckpoint, Staged staged) {
        Path file = staged.file();
        Producer<byte[], byte[]> appender = producerFor(staged.producerId());
        long[] index = new long[partitions];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 64 * 1024))) {
            while (true) {
                int partition;
                try {
                    partition = in.readInt();
                } catch (EOFException end) {
                    break;
                }
                long timestampMs = in.readLong();
                byte[] key = readBytes(in, file);
                byte[] value = readBytes(in, file);
                if (partition < 0 || partition >= partitions) {
                    throw new IOException("partition " + partition + " outside 0.." + (partitions - 1));
                }
                long sequence = (stagedCheckpoint << 32) + index[partition]++;
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(sink.topic(), partition, timestampMs, key, value, Headers.empty(), sequence);
                appender.send(record).whenComplete((metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                });
            }
        } catch (NoSuchFileException e) {
            return; // appended and deleted by an earlier commit of this checkpoint
        } catch (IOException e) {
            throw new ConnectorException(LogSink.CONNECTOR + ": staged records " + file + " are damaged: " + e.getMessage()
                    + " (the checkpoint's output cannot be published; restore an older checkpoint)", e);
        } catch (RecordTooLargeException e) {
            throw new ConnectorException(LogSink.CONNECTOR + ": the log refuses a record staged for checkpoint " + stagedCheckpoint + ": "
                    + e.getMessage() + ". The sink's maxRecordBytes (" + sink.maxRecordBytes() + ") is larger than the log's:"
                    + " set LogSink.withMaxRecordBytes to the log's LogConfig.maxRecordBytes, or reopen the log with a limit of at"
                    + " least " + sink.maxRecordBytes() + " to publish this checkpoint", e);
        } catch (RunnelLogException e) {
            throw new ConnectorException(LogSink.CONNECTOR + ": cannot append to '" + sink.topic() + "': " + e.getMessage()
                    + " (commit is retried safely: records already appended are not appended again)", e);
        }
        appender.flush();
        if (failure.get() != null) {
            throw new ConnectorException(LogSink.CONNECTOR + ": appending checkpoint " + stagedCheckpoint + "'s records to '" + sink.topic()
                    + "' failed: " + failure.get().getMessage() + " (commit is retried safely: records already appended are not appended again)",
                    failure.get());
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new ConnectorException(LogSink.CONNECTOR + ": cannot delete " + file + ": " + e, e);
        }
    }

    private static byte[] readBytes(DataInputStream in, Path file) throws IOException {
        int length = in.readInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > MAX_ENTRY_BYTES) {
            throw new IOException("entry length " + length + " in " + file);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    @Override
    public void close() {
        try {
            if (out != null) {
                out.close(); // never part of a checkpoint: nothing will commit it
                Files.deleteIfExists(current);
            }
        } catch (IOException e) {
            throw new ConnectorException(LogSink.CONNECTOR + ": cannot close " + current + ": " + e, e);
        } finally {
            out = null;
            producer.close();
            otherProducers.values().forEach(Producer::close);
        }
    }

    private static byte[] encode(Map<Long, Staged> staged) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(bytes)) {
            data.writeInt(staged.size());
            for (Map.Entry<Long, Staged> e : staged.entrySet()) {
                data.writeLong(e.getKey());
                data.writeUTF(e.getValue().producerId());
                data.writeUTF(e.getValue().file().toString());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private static Map<Long, Staged> decode(byte[] committable) {
        Map<Long, Staged> staged = new TreeMap<>();
        if (committable.length == 0) {
            return staged;
        }
        try (DataInputStream data = new DataInputStream(new ByteArrayInputStream(committable))) {
            int count = data.readInt();
            if (count < 0 || count > 100_000) {
                throw new IOException("file count " + count);
            }
            for (int i = 0; i < count; i++) {
                long checkpoint = data.readLong();
                String producer = data.readUTF();
                Path file = Path.of(data.readUTF());
                if (!file.isAbsolute() || !file.getFileName().toString().endsWith(SUFFIX) || producer.isEmpty()) {
                    throw new IOException("not a staged file of this sink: '" + file + "' of producer '" + producer + "'");
                }
                staged.put(checkpoint, new Staged(producer, file));
            }
            if (data.available() > 0) {
                throw new IOException(data.available() + " trailing bytes");
            }
        } catch (IOException e) {
            throw new ConnectorException(LogSink.CONNECTOR + ": committable of " + committable.length + " bytes is damaged (" + e.getMessage()
                    + "); restore an older checkpoint", e);
        }
        return staged;
    }
}
