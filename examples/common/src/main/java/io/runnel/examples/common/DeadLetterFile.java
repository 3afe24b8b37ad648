package io.runnel.examples.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.connectors.file.FileSink;
import io.runnel.streams.connect.Sink;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where an example's dead letters go. The job writes them exactly once through a {@link FileSink}
 * into {@code <state-dir>/dead-letters/} (parts published atomically at checkpoints, so a kill
 * neither loses nor repeats one); when a bounded run completes, {@link #publish} gathers them,
 * sorted by line, into the single file {@code <state-dir>/dead-letters.jsonl}, one JSON object per
 * line: {@code {"position":"events.jsonl:17","line":17,"reason":"...","text":"..."}}.
 */
public final class DeadLetterFile {

    /** The file a completed run leaves. */
    public static final String FILE_NAME = "dead-letters.jsonl";
    private static final String PARTS_DIR = "dead-letters";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Comparator<DeadLetterEntry> ORDER = Comparator
            .comparing(DeadLetterEntry::line, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(DeadLetterEntry::position).thenComparing(DeadLetterEntry::reason).thenComparing(DeadLetterEntry::text);

    private final Path stateDir;

    public DeadLetterFile(Path stateDir) {
        this.stateDir = stateDir;
    }

    /**
     * A sink for dead letters named {@code name} (stable, unique in the job; also the parts' prefix).
     * A job may have several (the runtime lets only stateless operators follow its dead letters, so
     * late events, which come from windows, need their own sink).
     */
    public Sink<DeadLetterEntry> sink(String name) {
        return FileSink.<DeadLetterEntry>jsonLines(name, stateDir.resolve(PARTS_DIR)).withPrefix(name);
    }

    /** The single file {@link #publish} writes. */
    public Path file() {
        return stateDir.resolve(FILE_NAME);
    }

    /**
     * Gathers the published parts into {@link #file()}, sorted by line (atomically replacing it), and
     * returns how many dead letters there are. Parts still hidden (uncommitted) are left out.
     */
    public long publish() throws IOException {
        List<DeadLetterEntry> entries = entries();
        entries.sort(ORDER);
        StringBuilder b = new StringBuilder();
        for (DeadLetterEntry e : entries) {
            b.append(JSON.writeValueAsString(e)).append('\n');
        }
        AtomicFile.write(file(), b.toString());
        return entries.size();
    }

    /** Every dead letter the job published so far, in no particular order. */
    public List<DeadLetterEntry> entries() throws IOException {
        List<DeadLetterEntry> entries = new ArrayList<>();
        Path dir = stateDir.resolve(PARTS_DIR);
        if (!Files.isDirectory(dir)) {
            return entries;
        }
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, "[!.]*.jsonl")) {
            for (Path part : parts) {
                try (BufferedReader r = Files.newBufferedReader(part, StandardCharsets.UTF_8)) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (!line.isBlank()) {
                            entries.add(JSON.readValue(line, DeadLetterEntry.class));
                        }
                    }
                }
            }
        }
        return entries;
    }
}
