package io.runnel.streams.internal.state;

import static io.runnel.streams.internal.state.StateRecordDescriptor.CRC_OFFSET;
import static io.runnel.streams.internal.state.StateRecordDescriptor.FILE_HEADER_LENGTH;
import static io.runnel.streams.internal.state.StateRecordDescriptor.FILE_MAGIC;
import static io.runnel.streams.internal.state.StateRecordDescriptor.FILE_VERSION;
import static io.runnel.streams.internal.state.StateRecordDescriptor.FRAME_LENGTH;
import static io.runnel.streams.internal.state.StateRecordDescriptor.HASH_OFFSET;
import static io.runnel.streams.internal.state.StateRecordDescriptor.KIND_OFFSET;
import static io.runnel.streams.internal.state.StateRecordDescriptor.MAX_LENGTH;
import static io.runnel.streams.internal.state.StateRecordDescriptor.MIN_LENGTH;
import static io.runnel.streams.internal.state.StateRecordDescriptor.PAYLOAD_OFFSET;
import static io.runnel.streams.internal.state.StateRecordDescriptor.PREV_OFFSET;
import static io.runnel.streams.internal.state.StateRecordDescriptor.TOUCHED_OFFSET;

import io.runnel.streams.StreamsException;
import io.runnel.streams.internal.checkpoint.CorruptCheckpointException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * An append-only file of the records of one key group of one keyed state (layout in
 * {@link StateRecordDescriptor}). Appends collect in a small buffer that reads see too; {@link #flush}
 * hands them to the file, {@link #force} makes them durable. Every read checks the record's CRC.
 * One task thread appends and reads; {@link #force} may run on another thread.
 */
public final class KeyGroupFile implements AutoCloseable {

    /** One record; {@code payload} (the Kryo key and value) is empty for a tombstone. */
    public record Record(long offset, byte kind, int hash, long prev, long touchedMs, byte[] payload) {

        /** Bytes the record takes in the file. */
        public int length() {
            return PAYLOAD_OFFSET + payload.length;
        }
    }

    private static final int BUFFER_BYTES = 16 * 1024;
    private static final int FIRST_READ_BYTES = 512;
    private static final int SCAN_BYTES = 64 * 1024;

    private final Path path;
    private final FileChannel channel;
    private final CRC32C crc = new CRC32C();
    private final byte[] header = new byte[PAYLOAD_OFFSET];
    private final ByteBuffer headerBuffer = ByteBuffer.wrap(header);
    private ByteBuffer pending;
    /** Bytes handed to the channel; appended records after them are in {@link #pending}. */
    private volatile long written;

    private KeyGroupFile(Path path, FileChannel channel, long written) {
        this.path = path;
        this.channel = channel;
        this.written = written;
    }

    /** Creates an empty file at {@code path} (replacing any), with its header. */
    public static KeyGroupFile create(Path path) {
        try {
            FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            ByteBuffer h = ByteBuffer.allocate(FILE_HEADER_LENGTH).putInt(FILE_MAGIC).putInt(FILE_VERSION).flip();
            while (h.hasRemaining()) {
                ch.write(h, h.position());
            }
            return new KeyGroupFile(path, ch, FILE_HEADER_LENGTH);
        } catch (IOException e) {
            throw new StreamsException("cannot create key-group file " + path + ": " + e, e);
        }
    }

    /**
     * Opens the file a checkpoint refers to up to {@code length} bytes, for appending after them:
     * anything beyond (written after that checkpoint) is cut off.
     *
     * @throws CorruptCheckpointException if the file is missing, shorter, or not a key-group file
     */
    public static KeyGroupFile open(Path path, long length) {
        return open(path, length, true);
    }

    /** Opens the first {@code length} bytes of the file read-only (to load them elsewhere). */
    public static KeyGroupFile openReadOnly(Path path, long length) {
        return open(path, length, false);
    }

    private static KeyGroupFile open(Path path, long length, boolean forAppends) {
        FileChannel ch = null;
        try {
            ch = forAppends ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : FileChannel.open(path, StandardOpenOption.READ);
            checkHeader(path, ch, length);
            if (forAppends && ch.size() > length) {
                ch.truncate(length);
            }
            return new KeyGroupFile(path, ch, length);
        } catch (NoSuchFileException e) {
            throw new CorruptCheckpointException("key-group file " + path + " is missing", e);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new StreamsException("cannot open key-group file " + path + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static void checkHeader(Path path, FileChannel ch, long length) throws IOException {
        if (length < FILE_HEADER_LENGTH || ch.size() < length) {
            throw new CorruptCheckpointException("key-group file " + path + " has " + ch.size() + " bytes, the checkpoint needs "
                    + length);
        }
        ByteBuffer h = ByteBuffer.allocate(FILE_HEADER_LENGTH);
        readFully(ch, h, 0, path);
        if (h.getInt(0) != FILE_MAGIC || h.getInt(4) != FILE_VERSION) {
            throw new CorruptCheckpointException(path + " is not a key-group file of version " + FILE_VERSION);
        }
    }

    public Path path() {
        return path;
    }

    /** Bytes in the file, appends not yet flushed included. */
    public long size() {
        return written + (pending == null ? 0 : pending.position());
    }

    /** Appends a record; returns its offset. {@code payload[0, payloadLength)} is the Kryo key and value. */
    public long append(byte kind, int hash, long prev, long touchedMs, byte[] payload, int payloadLength) {
        int n = MIN_LENGTH + payloadLength;
        long offset = size();
        headerBuffer.clear();
        headerBuffer.putInt(n).putInt(0).put(kind).putInt(hash).putLong(prev).putLong(touchedMs);
        crc.reset();
        crc.update(header, KIND_OFFSET, MIN_LENGTH);
        crc.update(payload, 0, payloadLength);
        headerBuffer.putInt(CRC_OFFSET, (int) crc.getValue());
        int total = FRAME_LENGTH + n;
        if (pending == null) {
            pending = ByteBuffer.allocate(BUFFER_BYTES);
        }
        if (pending.remaining() < total) {
            flush();
        }
        if (total > pending.capacity()) {
            // a big record goes straight to the file (the buffer is empty now)
            write(ByteBuffer.wrap(header));
            write(ByteBuffer.wrap(payload, 0, payloadLength));
        } else {
            pending.put(header).put(payload, 0, payloadLength);
        }
        return offset;
    }

    /**
     * Reads the record at {@code offset}.
     *
     * @throws CorruptCheckpointException if no intact record starts there
     */
    public Record read(long offset) {
        long end = size();
        if (offset < FILE_HEADER_LENGTH || offset + PAYLOAD_OFFSET > end) {
            throw new CorruptCheckpointException("key-group file " + path + " has no record at offset " + offset + " (size " + end + ")");
        }
        long inChannel = written;
        if (offset >= inChannel) {
            int at = (int) (offset - inChannel);
            byte[] buf = pending.array();
            int n = ByteBuffer.wrap(buf, at, FRAME_LENGTH).getInt();
            return decode(ByteBuffer.wrap(buf, at, FRAME_LENGTH + n).slice(), offset, n);
        }
        try {
            ByteBuffer first = ByteBuffer.allocate((int) Math.min(FIRST_READ_BYTES, inChannel - offset));
            readFully(channel, first, offset, path);
            int n = first.getInt(0);
            checkLength(n, offset, inChannel);
            int total = FRAME_LENGTH + n;
            if (total <= first.capacity()) {
                return decode(first.limit(total).position(0).slice(), offset, n);
            }
            ByteBuffer all = ByteBuffer.allocate(total);
            all.put(first.position(0));
            readFully(channel, all, offset, path);
            return decode(all.flip(), offset, n);
        } catch (IOException e) {
            throw new StreamsException("cannot read key-group file " + path + ": " + e, e);
        }
    }

    /** Reads every record from the file header to {@link #size()}, in order, checking each. */
    public void scan(Consumer<Record> visitor) {
        flush();
        long end = written;
        long pos = FILE_HEADER_LENGTH;
        ByteBuffer window = ByteBuffer.allocate(SCAN_BYTES);
        long windowStart = pos;
        window.limit(0);
        try {
            while (pos < end) {
                if (pos + FRAME_LENGTH > end) {
                    throw new CorruptCheckpointException("key-group file " + path + " ends inside the record at " + pos);
                }
                if (pos + FRAME_LENGTH > windowStart + window.limit()) {
                    windowStart = pos;
                    window.clear().limit((int) Math.min(window.capacity(), end - pos));
                    readFully(channel, window, pos, path);
                }
                int n = window.getInt((int) (pos - windowStart));
                checkLength(n, pos, end);
                int total = FRAME_LENGTH + n;
                ByteBuffer rec;
                if (pos + total <= windowStart + window.limit()) {
                    rec = window.slice((int) (pos - windowStart), total);
                } else if (total <= window.capacity()) {
                    windowStart = pos;
                    window.clear().limit((int) Math.min(window.capacity(), end - pos));
                    readFully(channel, window, pos, path);
                    rec = window.slice(0, total);
                } else {
                    rec = ByteBuffer.allocate(total);
                    readFully(channel, rec, pos, path);
                    rec.flip();
                }
                visitor.accept(decode(rec, pos, n));
                pos += total;
            }
        } catch (IOException e) {
            throw new StreamsException("cannot read key-group file " + path + ": " + e, e);
        }
    }

    private void checkLength(int n, long offset, long end) {
        if (n < MIN_LENGTH || n > MAX_LENGTH || offset + FRAME_LENGTH + n > end) {
            throw new CorruptCheckpointException("key-group file " + path + ": the record at " + offset + " has a bad length " + n
                    + " (file size " + end + ")");
        }
    }

    /** {@code b}: the whole record from its length field, position 0. */
    private Record decode(ByteBuffer b, long offset, int n) {
        crc.reset();
        crc.update(b.duplicate().position(KIND_OFFSET).limit(FRAME_LENGTH + n));
        if ((int) crc.getValue() != b.getInt(CRC_OFFSET)) {
            throw new CorruptCheckpointException("key-group file " + path + ": the record at " + offset + " fails its CRC");
        }
        byte[] payload = new byte[n - MIN_LENGTH];
        b.get(PAYLOAD_OFFSET, payload);
        return new Record(offset, b.get(KIND_OFFSET), b.getInt(HASH_OFFSET), b.getLong(PREV_OFFSET), b.getLong(TOUCHED_OFFSET), payload);
    }

    /** Hands buffered appends to the file (page cache). */
    public void flush() {
        if (pending != null && pending.position() > 0) {
            pending.flip();
            write(pending);
            pending.clear();
        }
    }

    private void write(ByteBuffer b) {
        try {
            long pos = written;
            while (b.hasRemaining()) {
                pos += channel.write(b, pos);
            }
            written = pos;
        } catch (IOException e) {
            throw new StreamsException("cannot write key-group file " + path + ": " + e + " (is the disk full?)", e);
        }
    }

    /** Makes everything flushed so far durable. Callable from another thread than the appender. */
    public void force() {
        try {
            channel.force(true);
        } catch (IOException e) {
            throw new StreamsException("cannot force key-group file " + path + ": " + e, e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new StreamsException("cannot close key-group file " + path + ": " + e, e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos, Path path) throws IOException {
        long at = pos + b.position();
        while (b.hasRemaining()) {
            int r = ch.read(b, at);
            if (r < 0) {
                throw new CorruptCheckpointException("key-group file " + path + " ended early at " + at);
            }
            at += r;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // already failing with the original error
            }
        }
    }
}
