package io.runnel.log.format;

import com.github.luben.zstd.Zstd;
import io.runnel.log.Compression;
import io.runnel.log.CorruptRecordException;
import java.nio.ByteBuffer;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Compresses and decompresses a batch's records region. Stateless; decompression output is
 * bounded by the caller's limit before anything is allocated.
 */
final class Codec {
    private static final LZ4Compressor LZ4_COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
    // The safe decompressor checks every bound against the given output size (untrusted input).
    private static final LZ4SafeDecompressor LZ4_DECOMPRESSOR = LZ4Factory.fastestInstance().safeDecompressor();
    private static final int ZSTD_LEVEL = 3;

    private Codec() {
    }

    static int maxCompressedLength(Compression c, int length) {
        return switch (c) {
            case NONE -> length;
            case LZ4 -> LZ4_COMPRESSOR.maxCompressedLength(length);
            case ZSTD -> (int) Zstd.compressBound(length);
        };
    }

    /** Compresses {@code src[srcOff, srcOff+len)} into {@code dst} at {@code dstOff}; returns the compressed length. */
    static int compress(Compression c, byte[] src, int srcOff, int len, byte[] dst, int dstOff) {
        return switch (c) {
            case NONE -> throw new IllegalArgumentException("NONE does not compress");
            case LZ4 -> LZ4_COMPRESSOR.compress(src, srcOff, len, dst, dstOff, dst.length - dstOff);
            case ZSTD -> {
                long n = Zstd.compressByteArray(dst, dstOff, dst.length - dstOff, src, srcOff, len, ZSTD_LEVEL);
                if (Zstd.isError(n)) {
                    throw new IllegalStateException("zstd compression failed: " + Zstd.getErrorName(n));
                }
                yield (int) n;
            }
        };
    }

    /**
     * Decompresses {@code src[srcOff, srcOff+len)} (absolute: the buffer's position is not used)
     * into exactly {@code expected} bytes of {@code dst[0, expected)}.
     */
    static void decompress(int compressionId, ByteBuffer src, int srcOff, int len, byte[] dst, int expected) {
        if (src.hasArray()) {
            decompress(compressionId, src.array(), src.arrayOffset() + srcOff, len, dst, expected);
        } else {
            byte[] copy = RecordCursor.copy(src, srcOff, len); // a direct buffer: the codecs' array forms are the checked ones
            decompress(compressionId, copy, 0, len, dst, expected);
        }
    }

    /** Decompresses exactly {@code expected} bytes into {@code dst[0, expected)}. */
    static void decompress(int compressionId, byte[] src, int srcOff, int len, byte[] dst, int expected) {
        try {
            int n;
            if (compressionId == Compression.LZ4.id()) {
                n = LZ4_DECOMPRESSOR.decompress(src, srcOff, len, dst, 0, expected);
            } else if (compressionId == Compression.ZSTD.id()) {
                long r = Zstd.decompressByteArray(dst, 0, expected, src, srcOff, len);
                if (Zstd.isError(r)) {
                    throw new CorruptRecordException("zstd records region does not decompress: " + Zstd.getErrorName(r));
                }
                n = (int) r;
            } else {
                throw new CorruptRecordException("unknown compression id " + compressionId);
            }
            if (n != expected) {
                throw new CorruptRecordException("records region decompressed to " + n + " bytes, header says " + expected);
            }
        } catch (CorruptRecordException e) {
            throw e;
        } catch (RuntimeException e) { // LZ4Exception, ZstdException: bad input
            throw new CorruptRecordException("records region does not decompress: " + e, e);
        }
    }
}
