package io.runnel.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Usage errors found by a command itself (after picocli parsed the line, before it touches anything). */
final class Usage {
    private Usage() {
    }

    /** A command of subcommands ran without one: the usage on stderr, exit {@link ExitCode#USAGE}. */
    static int missingSubcommand(CommandSpec spec) {
        CommandLine cl = spec.commandLine();
        cl.getErr().println("error: missing command: choose one of " + String.join(", ", cl.getSubcommands().keySet()
                .stream().filter(n -> !n.equals("help")).toList()));
        cl.usage(cl.getErr());
        cl.getErr().flush();
        return ExitCode.USAGE;
    }

    /** An error in how options combine: reported like a bad value (exit {@link ExitCode#USAGE}). */
    static CommandLine.ParameterException error(CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
