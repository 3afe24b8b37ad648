package io.runnel.benchmarks.data;

import java.nio.charset.StandardCharsets;

/**
 * The bytes of a page view in the log topics of every system (Runnel, Kafka), so all of them
 * decode the same thing:
 *
 * <pre>
 *  0       8        9          10            10+u        11+u
 *  +-------+--------+----------+-------------+-----------+--------------+
 *  | ts 8B | flags  | userLen  | user (u B)  | urlLen    | url (n B)    |
 *  +-------+--------+----------+-------------+-----------+--------------+
 * </pre>
 *
 * Timestamp big-endian epoch ms; flags bit 0 = bot; lengths unsigned bytes; strings UTF-8.
 * Stateless and thread-safe.
 */
public final class PageViewCodec {

    private static final int HEADER = 10;

    private PageViewCodec() {}

    public static byte[] encode(PageView view) {
        byte[] user = view.user().getBytes(StandardCharsets.UTF_8);
        byte[] url = view.url().getBytes(StandardCharsets.UTF_8);
        if (user.length > 255 || url.length > 255) {
            throw new IllegalArgumentException("user and url must encode to at most 255 bytes: " + view);
        }
        byte[] out = new byte[HEADER + user.length + 1 + url.length];
        long ts = view.timestampMs();
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (ts >>> (56 - 8 * i));
        }
        out[8] = (byte) (view.bot() ? 1 : 0);
        out[9] = (byte) user.length;
        System.arraycopy(user, 0, out, HEADER, user.length);
        out[HEADER + user.length] = (byte) url.length;
        System.arraycopy(url, 0, out, HEADER + user.length + 1, url.length);
        return out;
    }

    /**
     * Decodes {@link #encode} output.
     *
     * @throws IllegalArgumentException when the bytes are not a page view (lengths out of bounds)
     */
    public static PageView decode(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER + 1) {
            throw new IllegalArgumentException("not a page view: " + (bytes == null ? "null" : bytes.length + " bytes"));
        }
        long ts = 0;
        for (int i = 0; i < 8; i++) {
            ts = (ts << 8) | (bytes[i] & 0xFF);
        }
        int userLen = bytes[9] & 0xFF;
        int urlLenAt = HEADER + userLen;
        if (urlLenAt >= bytes.length || urlLenAt + 1 + (bytes[urlLenAt] & 0xFF) != bytes.length) {
            throw new IllegalArgumentException("not a page view: lengths do not add up to " + bytes.length + " bytes");
        }
        String user = new String(bytes, HEADER, userLen, StandardCharsets.UTF_8);
        String url = new String(bytes, urlLenAt + 1, bytes[urlLenAt] & 0xFF, StandardCharsets.UTF_8);
        return new PageView(ts, user, url, (bytes[8] & 1) != 0);
    }
}
