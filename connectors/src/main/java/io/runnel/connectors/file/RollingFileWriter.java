package io.runnel.connectors.file;

import io.runnel.connectors.internal.StagedLeftovers;
import io.runnel.streams.connect.ConnectorException;
import io.runnel.streams.connect.RejectedRecordException;
import io.runnel.streams.connect.SinkWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.BufferedOutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One task's rolling writer: writes hidden in-progress parts, forces them at {@code prepareCommit},
 * renames them to their visible names at {@code commit}. Not thread-safe.
 */
final class RollingFileWriter<T> implements SinkWriter<T> {
    private static final byte NEWLINE = '\n';
    private static final int MAX_COMMITTABLE_FILES = 1_000_000;
    private static final String IN_PROGRESS = ".inprogress";

    private final Path directory;
    private final String taskPrefix; // e.g. "part-t3"
    private final long maxPartBytes;
    private final FileSink.LineEncoder encoder;

    private final StagedLeftovers leftovers; // hidden files of this task found at open
    private final Set<Long> preparedHere = new HashSet<>(); // checkpoints this writer prepared (not restored ones)

    private FileChannel channel;
    private OutputStream out;
    private String currentPart;
    private long currentBytes;
    private final Map<String, String> uncommitted = new LinkedHashMap<>(); // staged name -> final name, not yet committed
    private final List<String> closedUnnamed = new ArrayList<>(); // forced parts waiting for a final name at prepareCommit

    RollingFileWriter(Path directory, String taskPrefix, long maxPartBytes, FileSink.LineEncoder encoder) {
        this.directory = directory;
        this.taskPrefix = taskPrefix;
        this.maxPartBytes = maxPartBytes;
        this.encoder = encoder;
        this.leftovers = new StagedLeftovers(FileSink.CONNECTOR, directory, n -> n.startsWith("." + taskPrefix + "-") && n.endsWith(IN_PROGRESS));
    }

    @Override
    public void write(T record) {
        byte[] line;
        try {
            line = encoder.encode(record);
        } catch (IOException | IllegalArgumentException e) {
            throw new RejectedRecordException(FileSink.CONNECTOR + ": cannot encode " + record + " as " + encoder.extension() + ": " + e.getMessage(), e);
        }
        try {
            if (out == null) {
                startPart();
            }
            out.write(line);
            out.write(NEWLINE);
            currentBytes += line.length + 1L;
            if (currentBytes >= maxPartBytes) {
                closePart();
            }
        } catch (IOException e) {
            throw new ConnectorException(FileSink.CONNECTOR + ": cannot write " + directory.resolve(currentPart) + ": " + e
                    + " (check free space and permissions)", e);
        }
    }

    private void startPart() throws IOException {
        currentPart = "." + taskPrefix + "-" + UUID.randomUUID() + "." + encoder.extension() + IN_PROGRESS;
        channel = FileChannel.open(directory.resolve(currentPart), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
        byte[] header = encoder.header();
        if (header.length > 0) {
            out.write(header);
            out.write(NEWLINE);
        }
        currentBytes = header.length;
    }

    private void closePart() throws IOException {
        out.flush();
        channel.force(true);
        out.close();
        out = null;
        channel = null;
        closedUnnamed.add(currentPart);
        currentPart = null;
    }

    @Override
    public byte[] prepareCommit(long checkpointId) {
        try {
            if (out != null) {
                closePart();
            }
            if (!closedUnnamed.isEmpty()) {
                forceDirectory(); // the new parts' directory entries must survive a crash: the checkpoint names them
                int n = 0;
                for (String staged : closedUnnamed) {
                    uncommitted.put(staged, taskPrefix + "-cp" + checkpointId + "-" + n++ + "." + encoder.extension());
                }
                closedUnnamed.clear();
            }
        } catch (IOException e) {
            throw new ConnectorException(FileSink.CONNECTOR + ": cannot stage part files in " + directory + " for checkpoint " + checkpointId
                    + ": " + e + " (check free space and permissions)", e);
        }
        preparedHere.add(checkpointId);
        return encode(uncommitted);
    }

    @Override
    public void commit(long checkpointId, byte[] committable) {
        Map<String, String> parts = decode(committable);
        boolean renamed = false;
        for (Map.Entry<String, String> part : parts.entrySet()) {
            Path staged = directory.resolve(part.getKey());
            Path visible = directory.resolve(part.getValue());
            try {
                Files.move(staged, visible, StandardCopyOption.ATOMIC_MOVE);
                renamed = true;
            } catch (NoSuchFileException e) {
                if (!Files.exists(visible)) {
                    throw new ConnectorException(FileSink.CONNECTOR + ": staged part " + staged + " of checkpoint " + checkpointId
                            + " is missing and " + visible.getFileName() + " was never published (were files deleted from " + directory + "?)", e);
                }
                // already published by an earlier commit of the same checkpoint
            } catch (IOException e) {
                throw new ConnectorException(FileSink.CONNECTOR + ": cannot publish " + staged + " as " + visible + ": " + e, e);
            }
            uncommitted.remove(part.getKey());
        }
        if (renamed) {
            try {
                forceDirectory();
            } catch (IOException e) {
                throw new ConnectorException(FileSink.CONNECTOR + ": cannot force directory " + directory + ": " + e, e);
            }
        }
        if (preparedHere.contains(checkpointId)) {
            leftovers.deleteRemaining();
        }
    }

    private void forceDirectory() throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    @Override
    public void close() {
        if (out == null) {
            return;
        }
        Path part = directory.resolve(currentPart);
        try {
            out.close(); // never in a checkpoint: nothing will commit it
            Files.deleteIfExists(part);
        } catch (IOException e) {
            throw new ConnectorException(FileSink.CONNECTOR + ": cannot close " + part + ": " + e, e);
        } finally {
            out = null;
            channel = null;
        }
    }

    private static byte[] encode(Map<String, String> parts) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(bytes)) {
            data.writeInt(parts.size());
            for (Map.Entry<String, String> part : parts.entrySet()) {
                data.writeUTF(part.getKey());
                data.writeUTF(part.getValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private Map<String, String> decode(byte[] committable) {
        Map<String, String> parts = new LinkedHashMap<>();
        if (committable.length == 0) {
            return parts;
        }
        try (DataInputStream data = new DataInputStream(new ByteArrayInputStream(committable))) {
            int count = data.readInt();
            if (count < 0 || count > MAX_COMMITTABLE_FILES) {
                throw new IOException("file count " + count);
            }
            for (int i = 0; i < count; i++) {
                String staged = checkedName(data.readUTF());
                String visible = checkedName(data.readUTF());
                parts.put(staged, visible);
            }
            if (data.available() > 0) {
                throw new IOException(data.available() + " trailing bytes");
            }
        } catch (IOException e) {
            throw new ConnectorException(FileSink.CONNECTOR + ": committable of " + committable.length + " bytes is damaged (" + e.getMessage()
                    + "); restore an older checkpoint", e);
        }
        return parts;
    }

    // Names come from checkpoint files: plain names inside the directory only, never paths.
    private static String checkedName(String name) throws IOException {
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
            throw new IOException("not a plain file name: '" + name + "'");
        }
        return name;
    }
}
