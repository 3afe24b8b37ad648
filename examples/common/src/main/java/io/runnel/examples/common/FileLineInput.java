package io.runnel.examples.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32C;

/** The lines of a file, read as bytes (decoding is the parser's business). */
final class FileLineInput implements LineInput {

    private static final int BUFFER_BYTES = 1 << 16;

    private final Path file;

    FileLineInput(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    @Override
    public String name() {
        return file.getFileName().toString();
    }

    @Override
    public String identity() throws IOException {
        CRC32C crc = new CRC32C();
        long size = 0;
        byte[] buffer = new byte[BUFFER_BYTES];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, n);
                size += n;
            }
        }
        return "file bytes=" + size + " crc32c=" + Long.toHexString(crc.getValue());
    }

    @Override
    public void read(LineHandler handler) throws IOException {
        byte[] buffer = new byte[BUFFER_BYTES];
        Line line = new Line();
        long lineNumber = 1;
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        line.append(buffer, start, i - start);
                        deliver(handler, lineNumber++, line);
                        line.clear();
                        start = i + 1;
                    }
                }
                line.append(buffer, start, n - start);
            }
        }
        if (line.length > 0 || line.tooLong) {
            deliver(handler, lineNumber, line);
        }
    }

    /** The line being read: its bytes, or only the start of a line that turned out too long. */
    private static final class Line {
        byte[] bytes = new byte[1024];
        int length;
        boolean tooLong;

        void append(byte[] src, int from, int count) {
            if (!tooLong && (long) length + count > InputLine.MAX_LINE_BYTES) {
                tooLong = true; // keep the start only; the rest streams by
                length = Math.min(length, InputLine.KEPT_OF_LONG_LINE);
            }
            int n = tooLong ? Math.min(count, Math.max(0, InputLine.KEPT_OF_LONG_LINE - length)) : count;
            if (length + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(length + n, bytes.length * 2));
            }
            System.arraycopy(src, from, bytes, length, n);
            length += n;
        }

        void clear() {
            length = 0;
            tooLong = false;
        }
    }

    private static void deliver(LineHandler handler, long lineNumber, Line line) throws IOException {
        int n = line.length;
        if (line.tooLong) {
            handler.line(lineNumber, line.bytes, n, true);
            return;
        }
        if (n > 0 && line.bytes[n - 1] == '\r') {
            n--;
        }
        if (!isBlank(line.bytes, n)) {
            handler.line(lineNumber, line.bytes, n, false);
        }
    }

    private static boolean isBlank(byte[] line, int length) {
        for (int i = 0; i < length; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
