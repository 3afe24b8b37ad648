package io.runnel.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code runnel}: the command tree. Without a subcommand it prints the usage and exits {@link ExitCode#USAGE}. */
@Command(name = "runnel", mixinStandardHelpOptions = true, versionProvider = RunnelCommand.Version.class,
        description = "Work with Runnel logs and jobs: topics, consumer groups, produce, consume, dump segments,"
                + " run job jars and benchmarks.",
        subcommands = {TopicCommand.class, GroupCommand.class, ProduceCommand.class, ConsumeCommand.class,
                DumpCommand.class, RunCommand.class, BenchCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 failure, 2 usage error, 3 damage found (dump); run and bench return the"
                + " exit code of what they ran. See docs/CLI.md."})
final class RunnelCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return Usage.missingSubcommand(spec);
    }

    /** The version of the jar (from its manifest), or "development" when run from classes. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = RunnelCommand.class.getPackage().getImplementationVersion();
            return new String[] {"runnel " + (v == null ? "development" : v)};
        }
    }
}
