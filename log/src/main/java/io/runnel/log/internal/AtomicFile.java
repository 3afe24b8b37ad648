package io.runnel.log.internal;

import io.runnel.log.format.LogFiles;
import io.runnel.log.storage.Storage;
import io.runnel.log.storage.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Small metadata files (topic config, recovery points, committed offsets) as {@code key=value}
 * lines closed by a {@code crc32c=} line over the bytes before it. Replaced atomically: write a
 * temp file, force it, rename it over the old one, force the directory. A file that is missing,
 * torn or fails its CRC reads as null.
 */
public final class AtomicFile {
    private static final String CRC_PREFIX = "crc32c=";
    private static final int MAX_SIZE = 16 << 20;

    private AtomicFile() {
    }

    /** Replaces {@code file} with {@code entries}; durable when this returns. */
    public static void write(Storage storage, Path file, Map<String, String> entries) throws IOException {
        write(storage, file, entries, false);
    }

    /**
     * As {@link #write(Storage, Path, Map)}; with {@code keepPrevious} the old version is first
     * renamed to {@code <file>.prev}, the fallback when the newest is damaged.
     */
    public static void write(Storage storage, Path file, Map<String, String> entries, boolean keepPrevious)
            throws IOException {
        Path tmp = LogFiles.tmp(file);
        try (StorageFile f = storage.openWrite(tmp)) {
            f.truncate(0);
            f.write(encode(entries), 0);
            f.force();
        }
        if (keepPrevious && storage.exists(file)) {
            storage.rename(file, previous(file));
        }
        storage.rename(tmp, file);
        storage.forceDirectory(file.getParent());
    }

    /**
     * Replaces {@code file} with {@code entries} through a temp file and a rename, without forcing
     * either: for derived data that recovery can rebuild otherwise. A power cut may leave the old
     * version, the new one, or a torn file that fails its CRC and reads as null; never a wrong one.
     */
    public static void writeUnforced(Storage storage, Path file, Map<String, String> entries) throws IOException {
        Path tmp = LogFiles.tmp(file);
        try (StorageFile f = storage.openWrite(tmp)) {
            f.truncate(0);
            f.write(encode(entries), 0);
        }
        storage.rename(tmp, file);
    }

    private static ByteBuffer encode(Map<String, String> entries) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : entries.entrySet()) {
            sb.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
        CRC32C crc = new CRC32C();
        crc.update(body);
        byte[] trailer = (CRC_PREFIX + String.format("%08x", (int) crc.getValue()) + "\n").getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(body.length + trailer.length).put(body).put(trailer).flip();
    }

    public static Path previous(Path file) {
        return file.resolveSibling(file.getFileName() + LogFiles.PREVIOUS_SUFFIX);
    }

    /** The entries of {@code file}, or null if it is missing, torn or damaged. */
    public static Map<String, String> read(Storage storage, Path file) throws IOException {
        if (!storage.exists(file)) {
            return null;
        }
        byte[] all;
        try (StorageFile f = storage.openRead(file)) {
            long size = f.size();
            if (size > MAX_SIZE) {
                return null;
            }
            ByteBuffer bb = ByteBuffer.allocate((int) size);
            f.read(bb, 0);
            all = bb.array();
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
        String text = new String(all, StandardCharsets.UTF_8);
        int crcLine = text.lastIndexOf(CRC_PREFIX);
        if (crcLine < 0 || (crcLine > 0 && text.charAt(crcLine - 1) != '\n') || !text.endsWith("\n")) {
            return null;
        }
        String hex = text.substring(crcLine + CRC_PREFIX.length(), text.length() - 1);
        byte[] body = text.substring(0, crcLine).getBytes(StandardCharsets.UTF_8);
        CRC32C crc = new CRC32C();
        crc.update(body);
        if (!hex.equals(String.format("%08x", (int) crc.getValue()))) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.substring(0, crcLine).split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                return null;
            }
            out.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return out;
    }

    /** Reads {@code file}, falling back to its {@code .prev} version when it is missing or damaged. */
    public static Map<String, String> readWithFallback(Storage storage, Path file) throws IOException {
        Map<String, String> m = read(storage, file);
        return m != null ? m : read(storage, previous(file));
    }
}
