package io.runnel.cli;

import io.runnel.log.RunnelLogException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.Charset;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The entry point of {@code bin/runnel}: parses the command line (every option value is checked
 * while parsing, before a command does anything), runs the command and maps failures to the exit
 * codes of {@link ExitCode}. Commands get the {@link Terminal} through their constructor.
 */
public final class Runnel {
    private Runnel() {
    }

    public static void main(String[] args) {
        int code = execute(Terminal.system(), args);
        System.out.flush();
        System.exit(code);
    }

    /** Runs one command line against {@code terminal}; returns the exit code. Used by tests in-process. */
    public static int execute(Terminal terminal, String... args) {
        CommandLine cl = commandLine(terminal);
        try {
            return cl.execute(args);
        } finally {
            cl.getOut().flush();
            cl.getErr().flush();
            terminal.out().flush();
            terminal.err().flush();
        }
    }

    /** The command tree, wired to {@code terminal}. */
    static CommandLine commandLine(Terminal terminal) {
        CommandLine cl = new CommandLine(RunnelCommand.class, new TerminalFactory(terminal));
        cl.setOut(writer(terminal.out()));
        cl.setErr(writer(terminal.err()));
        cl.setParameterExceptionHandler(USAGE_ERROR);
        cl.setExecutionExceptionHandler(FAILURE);
        cl.setCaseInsensitiveEnumValuesAllowed(false);
        cl.setUsageHelpAutoWidth(true);
        // Everything after the scenario belongs to the benchmarks, flags included.
        cl.getSubcommands().get("bench").setStopAtPositional(true);
        return cl;
    }

    private static PrintWriter writer(PrintStream s) {
        Charset cs = Charset.defaultCharset(); // what PrintStream(OutputStream) uses too
        return new PrintWriter(new OutputStreamWriter(s, cs), true);
    }

    /** A usage error names the argument (picocli's message, with our converters' fix) and where the help is. */
    private static final IParameterExceptionHandler USAGE_ERROR = (ParameterException ex, String[] args) -> {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("error: " + ex.getMessage());
        UnmatchedArgumentException.printSuggestions(ex, err);
        if (ex instanceof UnmatchedArgumentException && !cmd.getSubcommands().isEmpty()) {
            err.println("(commands of '" + cmd.getCommandSpec().qualifiedName() + "': "
                    + String.join(", ", cmd.getSubcommands().keySet()) + ")");
        }
        if (ex instanceof UnmatchedArgumentException && cmd.getCommand() instanceof RunCommand) {
            err.println("(arguments for the job's main go after --: runnel run <job.jar> [flags] -- <job args>)");
        }
        err.println("(see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return ExitCode.USAGE;
    };

    /** Failures the user can act on print their message; anything else also its stack trace. */
    private static final IExecutionExceptionHandler FAILURE = (ex, cmd, parseResult) -> {
        PrintWriter err = cmd.getErr();
        if (ex instanceof CliException c) {
            err.println("error: " + c.getMessage());
            err.flush();
            return c.exitCode();
        }
        if (ex instanceof RunnelLogException || ex instanceof IllegalArgumentException) {
            err.println("error: " + ex.getMessage());
            err.flush();
            return ExitCode.FAILURE;
        }
        err.println("error: " + ex);
        ex.printStackTrace(err);
        err.flush();
        return ExitCode.FAILURE;
    };

    /** Creates commands with a {@code (Terminal)} constructor, everything else as picocli does. */
    private static final class TerminalFactory implements IFactory {
        private final Terminal terminal;

        TerminalFactory(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            Constructor<K> c;
            try {
                c = cls.getDeclaredConstructor(Terminal.class);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
            try {
                return c.newInstance(terminal);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }
}
