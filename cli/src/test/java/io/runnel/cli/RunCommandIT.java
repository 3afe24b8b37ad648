package io.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/runnel run} as a real process passes SIGTERM on to the job and exits with the job's code. */
class RunCommandIT {
    @TempDir
    Path dir;

    @Test
    void shouldForwardSigtermToTheJobAndReturnItsExitCode() throws Exception {
        Path jar = JobJars.build(dir, "waiting", "WaitingJob", JobJars.WAITING_JOB, "jobs.WaitingJob");
        Path work = Files.createDirectories(dir.resolve("work"));
        try (RunnelProcess runnel = RunnelProcess.start(dir, "run", jar.toString(), "--state-dir",
                dir.resolve("state").toString(), "--", work.toString())) {
            Conditions.await("the job started", () -> Files.exists(work.resolve("started")));
            long jobPid = Long.parseLong(JobJars.read(work.resolve("started")).trim());
            assertThat(jobPid).isNotEqualTo(runnel.pid());
            Conditions.await("the job said it waits", () -> runnel.out().contains("waiting for SIGTERM"));

            runnel.terminate(); // SIGTERM to bin/runnel (exec'd: the CLI's JVM)
            CliRunner.Result r = runnel.await();
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(7);
            assertThat(JobJars.read(work.resolve("stopped"))).isEqualTo("SIGTERM");
            Optional<ProcessHandle> job = ProcessHandle.of(jobPid);
            assertThat(job.isEmpty() || !job.get().isAlive()).as("the job is gone").isTrue();
        }
    }
}
