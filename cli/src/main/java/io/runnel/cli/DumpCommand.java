package io.runnel.cli;

import io.runnel.log.LogConfig;
import io.runnel.log.format.LogFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runnel dump <segment file or partition dir>}: prints batches (and records) with their
 * offsets, timestamps, sizes and CRC check, and a summary of any damage; exits
 * {@link ExitCode#DAMAGE} if there is damage.
 */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = {"Print and check the batches of a segment file or partition directory.",
                "Reads a segment file (<dir>/<topic>/<partition>/<20 digits>.log) or all segments of a partition"
                + " directory, checking each batch's length, CRC32C, header and records"
                + " and the continuity of offsets, then a summary of any damage (file, position, offset, what)."
                + " Exit 3 if damage was found. Reads the files only; safe on a live log (a batch being written"
                + " at the very end may show as a torn tail)."})
final class DumpCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Parameters(paramLabel = "<path>", description = "A segment file (.log) or a partition directory.")
    Path path;

    @Option(names = "--records", description = "Also print every record (offset, timestamp, sizes, key and value"
            + " previews); default: batches only.")
    boolean records;

    @Option(names = "--max-batch-bytes", paramLabel = "<size>", converter = OptionConverters.Bytes.class,
            description = "Largest batch length accepted as plausible (default: what a log with default settings"
                    + " accepts, about 1MiB); raise it for logs opened with larger maxRecordBytes/maxBatchBytes.")
    Long maxBatchBytes;

    DumpCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws IOException {
        Path target = path.toAbsolutePath().normalize();
        List<Path> segments = segments(target);
        SegmentDump dump = new SegmentDump(maxBatchLength(), records, terminal.out());
        long previousEnd = -1;
        for (Path segment : segments) {
            previousEnd = dump.dump(segment, baseOffset(segment), previousEnd);
        }
        dump.printSummary();
        if (!dump.damage().isEmpty()) {
            terminal.err().println("error: damage found in " + dump.damage().size() + " place(s) of " + target
                    + " (see the summary); a log open recovers a torn tail at the end of the last segment by itself;"
                    + " damage before it stops the open");
            return ExitCode.DAMAGE;
        }
        return ExitCode.OK;
    }

    private int maxBatchLength() {
        if (maxBatchBytes != null) {
            return (int) Math.min(Integer.MAX_VALUE, maxBatchBytes);
        }
        return LogConfig.defaults().maxBatchLength(); // what a log with default settings accepts
    }

    private static List<Path> segments(Path target) throws IOException {
        if (Files.isRegularFile(target)) {
            if (!target.getFileName().toString().endsWith(LogFiles.LOG_SUFFIX)) {
                throw CliException.failure(target + " is not a segment file: dump reads <20 digits>.log files"
                        + " (indexes are derived data the log rebuilds)");
            }
            return List.of(target);
        }
        if (!Files.isDirectory(target)) {
            throw CliException.failure("no such file or directory: " + target);
        }
        List<Path> segments;
        try (Stream<Path> s = Files.list(target)) {
            segments = s.filter(p -> baseOffset(p) >= 0).sorted().toList();
        }
        if (segments.isEmpty()) {
            throw CliException.failure("no segment files (<20 digits>.log) in " + target + ": give a partition"
                    + " directory like <log dir>/<topic>/0, or a segment file");
        }
        return segments;
    }

    /** The base offset in a segment's name, or -1 (the log's {@link LogFiles} owns the naming rule). */
    static long baseOffset(Path file) {
        return LogFiles.parseBaseOffset(file, LogFiles.LOG_SUFFIX);
    }
}
