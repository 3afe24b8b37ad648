package io.runnel.cli;

import static io.runnel.cli.CliRunner.run;
import static io.runnel.cli.CliRunner.runWithInput;
import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.log.Log;
import io.runnel.log.PartitionInfo;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DumpCommandTest {
    private static final Pattern BATCH = Pattern.compile(
            "(?m)^batch offsets (\\d+)-(\\d+) position (\\d+) size (\\d+) records (\\d+) .* ok$");
    private static final int RUNS = 5;
    private static final int PER_RUN = 100;

    @TempDir
    Path dir;

    private Path partitionDir;

    /** One batch of the dump's output. */
    record Batch(long firstOffset, long lastOffset, long position, int size, int records) {
    }

    @BeforeEach
    void fill() {
        assertThat(run("topic", "create", "t", "--log-dir=" + dir, "--segment-bytes", "4KiB", "--compression", "lz4")
                .exitCode()).isZero();
        for (int r = 0; r < RUNS; r++) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < PER_RUN; i++) {
                b.append("k").append(i % 7).append('\t').append("value number ").append(r * PER_RUN + i).append('\n');
            }
            assertThat(runWithInput(b.toString(), "produce", "t", "--log-dir=" + dir, "--with-keys").exitCode())
                    .isZero();
        }
        partitionDir = dir.resolve("t").resolve("0");
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(partitionDir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
        }
    }

    private static List<Batch> batches(String out) {
        List<Batch> list = new ArrayList<>();
        Matcher m = BATCH.matcher(out);
        while (m.find()) {
            list.add(new Batch(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                    Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5))));
        }
        return list;
    }

    @Test
    void shouldWalkACleanPartitionAndCountWhatTheLogHolds() throws Exception {
        PartitionInfo truth;
        try (Log log = Log.openReadOnly(dir)) {
            truth = log.describe("t").partitions().get(0);
        }
        assertThat(truth.segmentCount()).isGreaterThan(1);
        CliRunner.Result r = run("dump", partitionDir.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.OK);
        List<Batch> batches = batches(r.out());
        long records = batches.stream().mapToLong(Batch::records).sum();
        assertThat(records).isEqualTo(truth.endOffset() - truth.startOffset()).isEqualTo(RUNS * PER_RUN);
        for (int i = 1; i < batches.size(); i++) {
            assertThat(batches.get(i).firstOffset()).isEqualTo(batches.get(i - 1).lastOffset() + 1);
        }
        assertThat(r.out()).contains("compression lz4")
                .contains("summary: " + truth.segmentCount() + " files, " + batches.size() + " valid batches, "
                        + records + " records, offsets 0 to " + (records - 1) + ", " + truth.sizeInBytes()
                        + " bytes; no damage found");
        assertThat(Pattern.compile("(?m)^segment ").matcher(r.out()).results().count())
                .isEqualTo(truth.segmentCount());

        CliRunner.Result withRecords = run("dump", partitionDir.toString(), "--records");
        assertThat(Pattern.compile("(?m)^  record offset \\d+ timestamp \\S+ key-size 2 value-size \\d+ headers 0"
                + " key \"k\\d\" value \"value number \\d+\"$").matcher(withRecords.out()).results().count())
                .isEqualTo(records);
        assertThat(withRecords.out()).contains("key \"k0\" value \"value number 0\"");

        Path first = segments().get(0);
        CliRunner.Result one = run("dump", first.toString());
        assertThat(one.exitCode()).isZero();
        assertThat(one.out()).contains("summary: 1 file, ", "no damage found");
    }

    @Test
    void shouldFindAFlippedByteAndNameTheFileAndOffset() throws Exception {
        Path first = segments().get(0);
        List<Batch> batches = batches(run("dump", first.toString()).out());
        assertThat(batches).hasSizeGreaterThan(1);
        Batch victim = batches.get(1);
        flip(first, victim.position() + victim.size() / 2);

        CliRunner.Result r = run("dump", partitionDir.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.DAMAGE);
        assertThat(r.out()).contains("1 damaged place:",
                "  " + first + " position " + victim.position() + " (offset " + victim.firstOffset() + "): CRC32C"
                        + " mismatch");
        assertThat(r.err()).contains("damage found in 1 place");
        // the walk went on after the damaged batch: every other batch is still read
        long records = batches(r.out()).stream().mapToLong(Batch::records).sum();
        assertThat(records).isEqualTo(RUNS * PER_RUN - victim.records());
    }

    @Test
    void shouldReportADamagedLengthAndATornTail() throws Exception {
        Path first = segments().get(0);
        List<Batch> batches = batches(run("dump", first.toString()).out());
        Batch victim = batches.get(1);
        flip(first, victim.position() + 4); // the length field
        CliRunner.Result r = run("dump", first.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCode.DAMAGE);
        assertThat(r.out()).contains(first + " position " + victim.position() + " (offset " + victim.firstOffset()
                + "): ");
        assertThat(r.out()).containsPattern("batch length -?\\d+ outside \\[66, \\d+\\]|runs past the end");

        List<Path> segments = segments();
        Path last = segments.get(segments.size() - 1);
        long size = Files.size(last);
        try (RandomAccessFile f = new RandomAccessFile(last.toFile(), "rw")) {
            f.setLength(size - 10);
        }
        CliRunner.Result torn = run("dump", last.toString());
        assertThat(torn.exitCode()).isEqualTo(ExitCode.DAMAGE);
        assertThat(torn.out()).contains(last.toString(), "runs past the end of the file", "a torn tail");
    }

    @Test
    void shouldRefuseWhatIsNotASegment() throws Exception {
        Path index = partitionDir.resolve(segments().get(0).getFileName().toString().replace(".log", ".index"));
        if (Files.exists(index)) {
            CliRunner.Result r = run("dump", index.toString());
            assertThat(r.exitCode()).isEqualTo(ExitCode.FAILURE);
            assertThat(r.err()).contains("is not a segment file");
        }
        CliRunner.Result root = run("dump", dir.toString());
        assertThat(root.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(root.err()).contains("no segment files", "<log dir>/<topic>/0");
        CliRunner.Result missing = run("dump", dir.resolve("nope").toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(missing.err()).contains("no such file or directory");
    }

    private static void flip(Path file, long position) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(position);
            int b = f.read();
            f.seek(position);
            f.write(b ^ 0x5A);
        }
    }
}
