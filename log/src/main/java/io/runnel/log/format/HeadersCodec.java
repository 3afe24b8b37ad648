package io.runnel.log.format;

import io.runnel.log.Header;
import io.runnel.log.Headers;
import java.nio.charset.StandardCharsets;

/** Encodes {@link Headers} into the record's headers field and back (see {@link RecordDescriptor}). */
public final class HeadersCodec {
    private HeadersCodec() {
    }

    /** The headers field (count then entries), or null for no headers. */
    public static byte[] encode(Headers headers) {
        if (headers.isEmpty()) {
            return null;
        }
        int n = headers.size();
        byte[][] keys = new byte[n][];
        int size = Varint.sizeOfInt(n);
        for (int i = 0; i < n; i++) {
            Header h = headers.get(i);
            keys[i] = h.key().getBytes(StandardCharsets.UTF_8);
            int vl = h.value() == null ? -1 : h.value().length;
            size += Varint.sizeOfInt(keys[i].length) + keys[i].length + Varint.sizeOfInt(vl) + Math.max(vl, 0);
        }
        byte[] out = new byte[size];
        int p = Varint.writeInt(out, 0, n);
        for (int i = 0; i < n; i++) {
            p = Varint.writeInt(out, p, keys[i].length);
            System.arraycopy(keys[i], 0, out, p, keys[i].length);
            p += keys[i].length;
            byte[] v = headers.get(i).value();
            p = Varint.writeInt(out, p, v == null ? -1 : v.length);
            if (v != null) {
                System.arraycopy(v, 0, out, p, v.length);
                p += v.length;
            }
        }
        return out;
    }

    /** Decodes {@code count} header entries from {@code r} (positioned after the count). */
    static Headers decode(Varint.VarintReader r, int count) {
        Header[] hs = new Header[count];
        for (int i = 0; i < count; i++) {
            int kl = r.readInt();
            if (kl < 0) {
                throw new io.runnel.log.CorruptRecordException("negative header key length " + kl);
            }
            int kp = r.skip(kl);
            String key = new String(RecordCursor.copy(r.buffer(), kp, kl), StandardCharsets.UTF_8);
            int vl = r.readInt();
            byte[] v = null;
            if (vl >= 0) {
                int vp = r.skip(vl);
                v = RecordCursor.copy(r.buffer(), vp, vl);
            } else if (vl != -1) {
                throw new io.runnel.log.CorruptRecordException("header value length " + vl);
            }
            hs[i] = new Header(key, v);
        }
        return Headers.of(hs);
    }
}
