package io.runnel.cli;

import static io.runnel.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runnel run} starting tiny job jars as real child JVMs. */
class RunCommandTest {
    @TempDir
    Path dir;

    @Test
    void shouldPassTheStandardFlagsAsPropertiesAndReturnTheJobsExitCode() throws Exception {
        Path jar = JobJars.build(dir, "printing", "PrintingJob", JobJars.PRINTING_JOB, "jobs.PrintingJob");
        Path marker = dir.resolve("marker");
        CliRunner.Result r = run("run", jar.toString(), "--state-dir", dir.resolve("state").toString(),
                "--checkpoint-interval", "500ms", "--parallelism", "3", "--", marker.toString(), "5");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(5);
        assertThat(r.outLines()).containsExactly(
                "stateDir=" + dir.resolve("state").toAbsolutePath(),
                "checkpointInterval=PT0.5S",
                "parallelism=3",
                "args=" + marker + ",5");
        assertThat(r.err()).contains("a line on stderr");
        assertThat(JobJars.read(marker)).isEqualTo("written");
    }

    @Test
    void shouldLeaveUnsetFlagsToTheJobAndTakeTheMainClassFromTheOptionWhenTheManifestHasNone() throws Exception {
        Path jar = JobJars.build(dir, "plain", "PrintingJob", JobJars.PRINTING_JOB, null);
        Path marker = dir.resolve("marker");
        CliRunner.Result noMain = run("run", jar.toString(), "--", marker.toString(), "0");
        assertThat(noMain.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(noMain.err()).contains("has no Main-Class in its manifest", "--class");
        assertThat(Files.exists(marker)).isFalse();

        CliRunner.Result r = run("run", jar.toString(), "--class", "jobs.PrintingJob", "--", marker.toString(), "0");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.outLines()).containsExactly("stateDir=null", "checkpointInterval=null", "parallelism=null",
                "args=" + marker + ",0");
    }

    @Test
    void shouldRefuseBadFlagsBeforeStartingAnything() throws Exception {
        Path jar = JobJars.build(dir, "printing", "PrintingJob", JobJars.PRINTING_JOB, "jobs.PrintingJob");
        Path marker = dir.resolve("marker");
        CliRunner.Result zero = run("run", jar.toString(), "--parallelism", "0", "--", marker.toString(), "0");
        assertThat(zero.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(zero.err()).contains("--parallelism", "'0' is not a parallelism", "1 to 128");
        CliRunner.Result interval = run("run", jar.toString(), "--checkpoint-interval", "5x");
        assertThat(interval.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(interval.err()).contains("--checkpoint-interval", "'5x' is not a duration", "500ms, 5s");
        CliRunner.Result jobFlag = run("run", jar.toString(), "--input", "x");
        assertThat(jobFlag.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(jobFlag.err()).contains("Unknown option: '--input'", "go after --");
        assertThat(Files.exists(marker)).isFalse();
        CliRunner.Result missing = run("run", dir.resolve("nope.jar").toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(missing.err()).contains("no job jar at " + dir.resolve("nope.jar"));
    }
}
