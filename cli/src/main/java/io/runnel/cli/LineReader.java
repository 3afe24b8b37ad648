package io.runnel.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads lines of bytes (values need not be text): a line ends at {@code \n}, and a {@code \r}
 * before it is dropped. A last line without a newline still counts. A line longer than the
 * limit is cut there (the rest is skipped) and {@link #truncated()} says so, so one huge line
 * cannot exhaust memory. Not thread-safe.
 */
final class LineReader {
    private final InputStream in;
    private final int maxLineBytes;
    private boolean truncated;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int limit;
    private byte[] line = new byte[256];

    LineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** Whether the line {@link #next()} returned last was longer than the limit (and cut). */
    boolean truncated() {
        return truncated;
    }

    /** The next line without its end, or null at the end of input. */
    byte[] next() throws IOException {
        int len = 0;
        boolean any = false;
        truncated = false;
        while (true) {
            if (pos == limit) {
                // One read per refill: with a pipe this returns what is there, so lines flow as typed.
                int n = in.read(buf, 0, buf.length);
                if (n < 0) {
                    return any ? finish(len) : null;
                }
                pos = 0;
                limit = n;
            }
            any = true;
            int start = pos;
            while (pos < limit && buf[pos] != '\n') {
                pos++;
            }
            int n = pos - start;
            if (len + n > maxLineBytes) {
                truncated = true;
                n = Math.max(0, maxLineBytes - len);
            }
            if (len + n > line.length) {
                line = Arrays.copyOf(line, Math.max(len + n, line.length * 2));
            }
            System.arraycopy(buf, start, line, len, n);
            len += n;
            if (pos < limit) {
                pos++; // the newline
                return finish(len);
            }
        }
    }

    private byte[] finish(int len) {
        if (len > 0 && line[len - 1] == '\r') {
            len--;
        }
        return Arrays.copyOf(line, len);
    }
}
