package io.runnel.streams.internal.checkpoint;

import io.runnel.streams.internal.checkpoint.CheckpointManifest.Committable;
import io.runnel.streams.internal.checkpoint.CheckpointManifest.SplitPosition;
import io.runnel.streams.internal.checkpoint.CheckpointManifest.StateRef;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The byte layout of a checkpoint manifest file (big-endian):
 *
 * <pre>
 *  0  int    magic 0x524E434B ("RNCK")
 *  4  int    version (2; version 1 ends after the operators)
 *  8  long   checkpoint id
 * 16  long   created, epoch ms
 * 24  int    parallelism
 * 28  string job name                      (string = int length, UTF-8 bytes)
 *     int    source count, each: string name, int split count,
 *              each split: string id, bytes position (int length + bytes), byte ended
 *     int    sink count, each: string name, int count, each: int task, bytes committable
 *     int    operator count, each: string name, int group count,
 *              each: int key group, string file, long offset, int length, int crc32c
 *     int    key-group file count, each: string file (relative to the state directory), long length
 * end-4 int  CRC32C of every byte before it
 * </pre>
 *
 * Decoding checks the CRC first and every length against the bytes left, so a torn or garbled
 * file is rejected with {@link CorruptCheckpointException} and never allocates beyond its size.
 */
public final class ManifestCodec {

    static final int MAGIC = 0x524E434B;
    static final int VERSION = 2;

    private ManifestCodec() {
    }

    public static byte[] encode(CheckpointManifest m) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            // version 1 when nothing needs version 2, so an older reader still reads it
            boolean v2 = !m.storeFiles().isEmpty();
            out.writeInt(v2 ? VERSION : 1);
            out.writeLong(m.id());
            out.writeLong(m.createdMs());
            out.writeInt(m.parallelism());
            writeString(out, m.jobName());
            out.writeInt(m.sources().size());
            for (Map.Entry<String, List<SplitPosition>> e : m.sources().entrySet()) {
                writeString(out, e.getKey());
                out.writeInt(e.getValue().size());
                for (SplitPosition p : e.getValue()) {
                    writeString(out, p.splitId());
                    writeBytes(out, p.position());
                    out.writeByte(p.ended() ? 1 : 0);
                }
            }
            out.writeInt(m.sinks().size());
            for (Map.Entry<String, List<Committable>> e : m.sinks().entrySet()) {
                writeString(out, e.getKey());
                out.writeInt(e.getValue().size());
                for (Committable c : e.getValue()) {
                    out.writeInt(c.task());
                    writeBytes(out, c.bytes());
                }
            }
            out.writeInt(m.state().size());
            for (Map.Entry<String, Map<Integer, StateRef>> e : m.state().entrySet()) {
                writeString(out, e.getKey());
                out.writeInt(e.getValue().size());
                for (Map.Entry<Integer, StateRef> g : e.getValue().entrySet()) {
                    out.writeInt(g.getKey());
                    writeString(out, g.getValue().file());
                    out.writeLong(g.getValue().offset());
                    out.writeInt(g.getValue().length());
                    out.writeInt(g.getValue().crc());
                }
            }
            if (v2) {
                out.writeInt(m.storeFiles().size());
                for (Map.Entry<String, Long> f : m.storeFiles().entrySet()) {
                    writeString(out, f.getKey());
                    out.writeLong(f.getValue());
                }
            }
            out.flush();
            CRC32C crc = new CRC32C();
            crc.update(bytes.toByteArray());
            out.writeInt((int) crc.getValue());
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static CheckpointManifest decode(byte[] data) {
        if (data.length < 32) {
            throw new CorruptCheckpointException("manifest too short: " + data.length + " bytes");
        }
        CRC32C crc = new CRC32C();
        crc.update(data, 0, data.length - 4);
        int stored = ByteBuffer.wrap(data, data.length - 4, 4).getInt();
        if ((int) crc.getValue() != stored) {
            throw new CorruptCheckpointException("manifest CRC mismatch (torn or damaged file)");
        }
        ByteBuffer in = ByteBuffer.wrap(data, 0, data.length - 4);
        try {
            if (in.getInt() != MAGIC) {
                throw new CorruptCheckpointException("not a checkpoint manifest (bad magic)");
            }
            int version = in.getInt();
            if (version != 1 && version != VERSION) {
                throw new CorruptCheckpointException("unsupported manifest version " + version);
            }
            long id = in.getLong();
            long created = in.getLong();
            int parallelism = in.getInt();
            String job = readString(in);
            Map<String, List<SplitPosition>> sources = new LinkedHashMap<>();
            int n = count(in);
            for (int i = 0; i < n; i++) {
                String name = readString(in);
                int splits = count(in);
                List<SplitPosition> list = new ArrayList<>();
                for (int s = 0; s < splits; s++) {
                    list.add(new SplitPosition(readString(in), readBytes(in), in.get() == 1));
                }
                sources.put(name, List.copyOf(list));
            }
            Map<String, List<Committable>> sinks = new LinkedHashMap<>();
            n = count(in);
            for (int i = 0; i < n; i++) {
                String name = readString(in);
                int c = count(in);
                List<Committable> list = new ArrayList<>();
                for (int k = 0; k < c; k++) {
                    list.add(new Committable(in.getInt(), readBytes(in)));
                }
                sinks.put(name, List.copyOf(list));
            }
            Map<String, Map<Integer, StateRef>> state = new LinkedHashMap<>();
            n = count(in);
            for (int i = 0; i < n; i++) {
                String name = readString(in);
                int groups = count(in);
                Map<Integer, StateRef> refs = new TreeMap<>();
                for (int g = 0; g < groups; g++) {
                    int group = in.getInt();
                    refs.put(group, new StateRef(readString(in), in.getLong(), in.getInt(), in.getInt()));
                }
                state.put(name, refs);
            }
            Map<String, Long> files = new TreeMap<>();
            if (version >= 2) {
                n = count(in);
                for (int i = 0; i < n; i++) {
                    String file = readString(in);
                    long length = in.getLong();
                    if (length < 0) {
                        throw new CorruptCheckpointException("key-group file " + file + " has a negative length " + length);
                    }
                    files.put(file, length);
                }
            }
            if (in.hasRemaining()) {
                throw new CorruptCheckpointException("manifest has " + in.remaining() + " trailing bytes");
            }
            return new CheckpointManifest(id, job, created, parallelism, sources, sinks, state, files);
        } catch (BufferUnderflowException e) {
            throw new CorruptCheckpointException("manifest truncated", e);
        }
    }

    private static int count(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new CorruptCheckpointException("bad count " + n + " with " + in.remaining() + " bytes left");
        }
        return n;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(ByteBuffer in) {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new CorruptCheckpointException("bad length " + n + " with " + in.remaining() + " bytes left");
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }
}
