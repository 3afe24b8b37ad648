package io.runnel.connectors.file;

import io.runnel.connectors.TimeSource;
import io.runnel.connectors.internal.PositionCodec;
import io.runnel.streams.connect.ConnectorException;
import io.runnel.streams.connect.SourceOutput;
import io.runnel.streams.connect.SourceReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;

/**
 * Reads one file line by line from a byte offset. Lines end at {@code \n} (a {@code \r} before it
 * is dropped). The buffer grows up to the maximum line length; a longer line is skipped to its end
 * without being held, then reported malformed. Not thread-safe.
 */
final class FileSplitReader<T> implements SourceReader<T> {
    private static final int INITIAL_BUFFER = 64 * 1024;

    private final FileSource<T> source;
    private final Path file;
    private final String fileName;
    private final long end; // bounded end offset, or -1 when following
    private final LineFormat<?> format;
    private final TimeSource time;

    private FileChannel channel;
    private Object header;
    private byte[] buffer;
    private int start; // first unconsumed byte in buffer
    private int limit; // end of valid bytes in buffer
    private int scanned; // bytes from start already known to hold no '\n'
    private long offset; // file offset of buffer[start]: the position after the last consumed line
    private long readOffset; // file offset of buffer[limit]
    private long lineNumber; // number of the last consumed line (1-based), 0 before the first
    private boolean skippingLongLine;
    private long droppedBytes; // bytes of an over-long line already skipped (offset stays at its start)

    FileSplitReader(FileSource<T> source, Path file, long offset, long lineNumber, long end) {
        if (offset < 0 || lineNumber < 0 || end < -1 || end >= 0 && offset > end) {
            throw new ConnectorException(FileSource.CONNECTOR + ": position offset=" + offset + " line=" + lineNumber + " end=" + end
                    + " of " + file + " is not valid (the checkpoint is damaged or from another source; start without it)");
        }
        this.source = source;
        this.file = file;
        this.fileName = file.getFileName().toString();
        this.offset = offset;
        this.readOffset = offset;
        this.lineNumber = lineNumber;
        this.end = end;
        this.format = source.format();
        this.time = source.time();
        this.buffer = new byte[Math.min(INITIAL_BUFFER, source.maxLineBytes() + 1)];
    }

    @Override
    public Status poll(SourceOutput<T> output, int maxRecords, Duration timeout) {
        long deadline = time.nanoTime() + timeout.toNanos();
        int delivered = 0;
        try {
            while (!ensureOpen()) { // following a file that does not exist yet, or has no complete header yet
                if (!sleepUntilNextCheck(deadline)) {
                    return Status.CAUGHT_UP;
                }
            }
            while (delivered < maxRecords) {
                int newline = findNewline();
                if (newline >= 0) {
                    delivered += consumeLine(newline, newline + 1, output);
                    continue;
                }
                if (isBoundedEndReached()) {
                    if (limit > start) { // a last line without terminator at the bounded end is complete
                        delivered += consumeLine(limit, limit, output);
                        continue;
                    }
                    return delivered > 0 ? Status.MORE : Status.END;
                }
                if (readMore() > 0) {
                    continue;
                }
                if (delivered > 0 || end >= 0) {
                    break;
                }
                if (!sleepUntilNextCheck(deadline)) {
                    return Status.CAUGHT_UP;
                }
            }
            return delivered > 0 ? Status.MORE : Status.CAUGHT_UP;
        } catch (IOException e) {
            throw new ConnectorException(FileSource.CONNECTOR + ": cannot read " + file + " at offset " + readOffset + ": " + e, e);
        }
    }

    private boolean ensureOpen() throws IOException {
        if (channel != null) {
            return true;
        }
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            if (end >= 0) {
                throw new ConnectorException(FileSource.CONNECTOR + ": " + file + " no longer exists (restore it, or start the job without its checkpoint)", e);
            }
            return false; // following a file that does not exist yet
        }
        if (format.hasHeader() && header == null && !readHeader()) {
            channel.close();
            channel = null;
            return false;
        }
        if (channel.size() < offset) {
            throw truncated();
        }
        return true;
    }

    // The header is the first line; a reader resuming past it reads it again from the start.
    // Returns false if the file has no complete header line yet (following).
    private boolean readHeader() throws IOException {
        byte[] line = new byte[0];
        ByteBuffer chunk = ByteBuffer.allocate(Math.min(8192, source.maxLineBytes()));
        long at = 0;
        while (true) {
            chunk.clear();
            if (end >= 0) {
                chunk.limit((int) Math.max(0, Math.min(chunk.capacity(), end - at)));
            }
            int n = channel.read(chunk, at);
            boolean atBoundedEnd = end >= 0 && at + Math.max(n, 0) >= end;
            if (n <= 0 && !atBoundedEnd) {
                return false;
            }
            n = Math.max(n, 0);
            int nl = indexOf(chunk.array(), 0, n);
            if (nl < 0 && atBoundedEnd) {
                nl = n; // the bounded end terminates the header
            }
            int take = nl >= 0 ? nl : n;
            if (atBoundedEnd && line.length + take == 0) {
                return true; // an empty bounded file: no header, no records
            }
            if (line.length + take > source.maxLineBytes()) {
                throw new ConnectorException(FileSource.CONNECTOR + ": header line of " + file + " is longer than maxLineBytes="
                        + source.maxLineBytes() + " (raise withMaxLineBytes)");
            }
            line = Arrays.copyOf(line, line.length + take);
            System.arraycopy(chunk.array(), 0, line, line.length - take, take);
            at += n;
            if (nl >= 0) {
                int length = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
                try {
                    header = format.header(line, 0, length);
                } catch (Exception e) {
                    throw new ConnectorException(FileSource.CONNECTOR + ": " + fileName + ":1 is not a valid header: " + e.getMessage(), e);
                }
                if (offset == 0) { // the header is consumed, not delivered
                    offset = Math.min(at - n + nl + 1L, end >= 0 ? end : Long.MAX_VALUE);
                    readOffset = offset;
                    lineNumber = 1;
                }
                return true;
            }
        }
    }

    private int findNewline() {
        int from = start + scanned;
        int nl = indexOf(buffer, from, limit);
        scanned = nl >= 0 ? 0 : limit - start;
        return nl;
    }

    private static int indexOf(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Consumes the line in buffer[start..lineEnd) whose next line starts at {@code next}; returns deliveries made (0 or 1). */
    private int consumeLine(int lineEnd, int next, SourceOutput<T> output) {
        int length = lineEnd - start;
        if (length > 0 && buffer[lineEnd - 1] == '\r') {
            length--;
        }
        int lineStart = start;
        offset += droppedBytes + next - start;
        droppedBytes = 0;
        start = next;
        lineNumber++;
        if (skippingLongLine) {
            skippingLongLine = false;
            output.malformed(fileName + ":" + lineNumber, null,
                    new IllegalArgumentException("line longer than maxLineBytes=" + source.maxLineBytes() + " (raise withMaxLineBytes)"));
            return 1;
        }
        if (isBlank(lineStart, length)) {
            return 0;
        }
        try {
            checkUtf8(lineStart, length);
            Object decoded = format.decode(buffer, lineStart, length, header);
            T record = source.map(decoded);
            output.collect(record, time.epochMillis());
        } catch (Exception e) {
            output.malformed(fileName + ":" + lineNumber, Arrays.copyOfRange(buffer, lineStart, lineStart + length), e);
        }
        return 1;
    }

    private boolean isBlank(int from, int length) {
        for (int i = from; i < from + length; i++) {
            byte b = buffer[i];
            if (b != ' ' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private void checkUtf8(int from, int length) throws CharacterCodingException {
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(buffer, from, length));
    }

    private boolean isBoundedEndReached() {
        return end >= 0 && readOffset >= end;
    }

    /** Reads more bytes after {@code limit}; returns how many (0 at the current end of file). */
    private int readMore() throws IOException {
        if (start > 0) { // compact: keep the partial line at the front
            System.arraycopy(buffer, start, buffer, 0, limit - start);
            limit -= start;
            start = 0;
        }
        if (limit == buffer.length) {
            if (buffer.length <= source.maxLineBytes()) {
                buffer = Arrays.copyOf(buffer, (int) Math.min((long) buffer.length * 2, source.maxLineBytes() + 1L));
            } else { // the line is longer than allowed: drop what we hold of it and skip to its end
                skippingLongLine = true;
                droppedBytes += limit;
                limit = 0;
                scanned = 0;
            }
        }
        long size = channel.size();
        if (size < readOffset) {
            throw truncated();
        }
        int room = buffer.length - limit;
        long available = (end >= 0 ? end : size) - readOffset;
        int want = (int) Math.min(room, available);
        if (want <= 0) {
            return 0;
        }
        int n = channel.read(ByteBuffer.wrap(buffer, limit, want), readOffset);
        if (n <= 0) {
            return 0;
        }
        limit += n;
        readOffset += n;
        return n;
    }

    private boolean sleepUntilNextCheck(long deadline) {
        long remaining = deadline - time.nanoTime();
        if (remaining <= 0) {
            return false;
        }
        try {
            time.sleepNanos(Math.min(remaining, source.pollInterval().toNanos()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(FileSource.CONNECTOR + ": interrupted while following " + file, e);
        }
        return true;
    }

    private ConnectorException truncated() {
        return new ConnectorException(FileSource.CONNECTOR + ": " + file + " is shorter than the position " + offset
                + " (it was truncated or replaced; files are read append-only, start without the checkpoint to read it anew)");
    }

    @Override
    public byte[] position() {
        return PositionCodec.encode(offset, lineNumber, end);
    }

    /** The record in flight: the last line consumed, as {@code file:line (byte offset)}. */
    @Override
    public String describePosition() {
        return fileName + ":" + lineNumber + " (next line at byte " + offset + ")";
    }

    @Override
    public boolean hasBacklog() {
        if (channel == null) {
            return false;
        }
        try {
            long size = end >= 0 ? end : channel.size();
            return limit > start || readOffset < size;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                throw new ConnectorException(FileSource.CONNECTOR + ": cannot close " + file + ": " + e, e);
            } finally {
                channel = null;
            }
        }
    }
}
