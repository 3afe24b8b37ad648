package io.runnel.log.format;

import io.runnel.log.CorruptRecordException;
import io.runnel.log.Headers;
import java.util.Arrays;

/**
 * Walks the records of one batch without copying: after {@link #next()} returns true the current
 * record's fields are available as positions in {@link #array()}. Every length and delta is
 * checked; malformed input throws {@link CorruptRecordException} and nothing else. Reusable, not
 * thread-safe.
 */
public final class RecordCursor {
    private final Varint.VarintReader r = new Varint.VarintReader();
    private byte[] scratch = new byte[0];
    private int end;
    private long baseOffset;
    private int lastOffsetDelta;
    private int remaining;
    private long firstTimestamp;
    private int prevDelta;

    private long offset;
    private long timestamp;
    private int keyPos;
    private int keyLen;
    private int valuePos;
    private int valueLen;
    private int headerCount;
    private int headersPos;
    private int recordEnd;

    byte[] scratch(int size) {
        if (scratch.length < size) {
            scratch = new byte[size];
        }
        return scratch;
    }

    void reset(byte[] arr, int start, int end, long baseOffset, int lastOffsetDelta, int count, long firstTimestamp) {
        r.reset(arr, start, end);
        this.end = end;
        this.baseOffset = baseOffset;
        this.lastOffsetDelta = lastOffsetDelta;
        this.remaining = count;
        this.firstTimestamp = firstTimestamp;
        this.prevDelta = -1;
    }

    /**
     * Advances to the next record; false after the last (having checked nothing is left over).
     * Kept small, with the error paths out of line, so the JIT inlines it into the read loops.
     */
    public boolean next() {
        Varint.VarintReader r = this.r;
        if (remaining == 0) {
            if (r.position() != end) {
                throw new CorruptRecordException((end - r.position()) + " bytes after the last record of the batch");
            }
            return false;
        }
        r.limit(end);
        int bodyLen = r.readInt();
        int bodyStart = r.skip(bodyLen);
        int recEnd = bodyStart + bodyLen;
        recordEnd = recEnd;
        r.window(bodyStart, recEnd);
        long tsDelta = r.readLong();
        int offsetDelta = r.readInt();
        if (offsetDelta <= prevDelta || offsetDelta > lastOffsetDelta) {
            throw badOffsetDelta(offsetDelta);
        }
        prevDelta = offsetDelta;
        offset = baseOffset + offsetDelta;
        timestamp = firstTimestamp + tsDelta;
        int kl = r.readInt();
        keyLen = kl;
        keyPos = kl > 0 ? r.skip(kl) : r.position();
        int vl = r.readInt();
        valueLen = vl;
        valuePos = vl > 0 ? r.skip(vl) : r.position();
        int hc = r.readInt();
        headerCount = hc;
        headersPos = r.position();
        // A header takes at least 2 bytes: bound the count before anything is allocated for it.
        if (kl < -1 || vl < -1 || hc < 0 || hc > (recEnd - headersPos) / 2 || (hc == 0 && headersPos != recEnd)) {
            throw badFields(kl, vl, hc, recEnd - headersPos);
        }
        r.window(recEnd, end);
        remaining--;
        return true;
    }

    private CorruptRecordException badOffsetDelta(int offsetDelta) {
        return new CorruptRecordException("offset delta " + offsetDelta + " not in (" + prevDelta + ", "
                + lastOffsetDelta + "]");
    }

    private static CorruptRecordException badFields(int keyLen, int valueLen, int headerCount, int bytesLeft) {
        if (keyLen < -1) {
            return new CorruptRecordException("key length " + keyLen);
        }
        if (valueLen < -1) {
            return new CorruptRecordException("value length " + valueLen);
        }
        if (headerCount == 0) {
            return new CorruptRecordException(bytesLeft + " stray bytes at the end of a record");
        }
        return new CorruptRecordException("header count " + headerCount + " with " + bytesLeft
                + " bytes left in the record");
    }

    /**
     * Moves past the records before {@code offset}, reading only their framing and offset delta
     * (the batch passed its CRC; the records handed out are still checked in full by
     * {@link #next()}), so a read that starts inside a batch does not parse every record before
     * it. The following {@link #next()} returns the first record at or after {@code offset}.
     */
    public void skipBefore(long offset) {
        byte[] b = r.buffer();
        while (remaining > 0) {
            int start = r.position();
            r.limit(end);
            int bodyLen = r.readInt();
            int bodyStart = r.skip(bodyLen);
            int next = bodyStart + bodyLen;
            r.reset(b, bodyStart, next);
            r.readLong(); // timestamp delta
            int offsetDelta = r.readInt();
            if (offsetDelta <= prevDelta || offsetDelta > lastOffsetDelta) {
                throw badOffsetDelta(offsetDelta);
            }
            if (baseOffset + offsetDelta >= offset) {
                r.reset(b, start, end); // next() reads this record in full
                return;
            }
            prevDelta = offsetDelta;
            r.reset(b, next, end);
            remaining--;
        }
    }

    public byte[] array() {
        return r.buffer();
    }

    public long offset() {
        return offset;
    }

    public long timestamp() {
        return timestamp;
    }

    public int keyPosition() {
        return keyPos;
    }

    /** Key length, -1 for null. */
    public int keyLength() {
        return keyLen;
    }

    public int valuePosition() {
        return valuePos;
    }

    /** Value length, -1 for null (a tombstone). */
    public int valueLength() {
        return valueLen;
    }

    public int headerCount() {
        return headerCount;
    }

    /** A copy of the key, or null. */
    public byte[] keyCopy() {
        return keyLen < 0 ? null : Arrays.copyOfRange(r.buffer(), keyPos, keyPos + keyLen);
    }

    /** A copy of the value, or null. */
    public byte[] valueCopy() {
        return valueLen < 0 ? null : Arrays.copyOfRange(r.buffer(), valuePos, valuePos + valueLen);
    }

    /** The headers (decoded and validated now). */
    public Headers headers() {
        if (headerCount == 0) {
            return Headers.empty();
        }
        Varint.VarintReader hr = new Varint.VarintReader();
        hr.reset(r.buffer(), headersPos, recordEnd);
        Headers h = HeadersCodec.decode(hr, headerCount);
        if (hr.position() != recordEnd) {
            throw new CorruptRecordException((recordEnd - hr.position()) + " stray bytes after the headers");
        }
        return h;
    }

    /** The encoded headers field (count included), or null if none; for rewriting records unchanged. */
    public byte[] encodedHeaders() {
        if (headerCount == 0) {
            return null;
        }
        headers(); // validates
        int countStart = headersPos - Varint.sizeOfInt(headerCount);
        return Arrays.copyOfRange(r.buffer(), countStart, recordEnd);
    }
}
