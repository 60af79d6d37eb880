package io.splitheap.launcher;

import io.splitheap.launcher.commands.BenchCommand;
import io.splitheap.launcher.commands.ClusterCommand;
import io.splitheap.launcher.commands.CoordinatorCommand;
import io.splitheap.launcher.commands.DemoCommand;
import io.splitheap.launcher.commands.MemoryNodeCommand;
import io.splitheap.launcher.commands.RunCommand;
import io.splitheap.launcher.commands.SecretCommand;
import io.splitheap.launcher.commands.StatusCommand;
import io.splitheap.launcher.commands.StorageNodeCommand;
import io.splitheap.protocol.exceptions.ConfigurationException;
import picocli.CommandLine;

/**
 * {@code bin/splitheap}: runs the demo, runs any Java program with far memory, starts an embedded cluster or a
 * single component.
 */
@CommandLine.Command(
    name = "splitheap",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Far memory for unmodified JVM applications.",
    subcommands = {
        DemoCommand.class, RunCommand.class, ClusterCommand.class, CoordinatorCommand.class,
        MemoryNodeCommand.class, StorageNodeCommand.class, StatusCommand.class, SecretCommand.class,
        BenchCommand.class,
        CommandLine.HelpCommand.class
    })
public final class Main implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command line.
     *
     * @param args arguments.
     */
    public static void main(final String[] args)
    {
        System.setProperty("chronicle.analytics.disable", "true");
        System.exit(commandLine().execute(args));
    }

    /**
     * The configured command line (tests call it without exiting).
     *
     * @return the command line.
     */
    public static CommandLine commandLine()
    {
        return new CommandLine(new Main())
            .registerConverter(Long.class, new Converters.Size())
            .registerConverter(long.class, new Converters.Size())
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setParameterExceptionHandler(Main::onBadCommandLine)
            .setExecutionExceptionHandler((ex, command, parseResult) ->
            {
                if (ex instanceof ConfigurationException)
                {
                    // a setting the user can fix: one clear line, no stack trace
                    command.getErr().println("splitheap " + command.getCommandName() + ": " + ex.getMessage());
                    return 1;
                }
                throw ex;
            });
    }

    private static int onBadCommandLine(final CommandLine.ParameterException ex, final String[] args)
    {
        final CommandLine command = ex.getCommandLine();
        final java.io.PrintWriter err = command.getErr();
        err.println("splitheap " + command.getCommandName() + ": " + ex.getMessage());
        final String name = command.getCommandName();
        final boolean javaArgsMissing = ex instanceof CommandLine.UnmatchedArgumentException ||
            ex instanceof CommandLine.MissingParameterException;
        if ("run".equals(name) && javaArgsMissing && !java.util.Arrays.asList(args).contains("--"))
        {
            // the java command line was given without the separator: picocli took its options for ours
            err.println("Put the Java command line after '--': splitheap run [OPTIONS] -- -Xmx1g -jar app.jar");
        }
        else
        {
            command.usage(err);
        }
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    /**
     * Without a subcommand: print usage.
     */
    public void run()
    {
        spec.commandLine().usage(System.err);
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /**
     * Version from the jar manifest.
     */
    public static final class Version implements CommandLine.IVersionProvider
    {
        /**
         * {@inheritDoc}
         */
        public String[] getVersion()
        {
            final String version = Main.class.getPackage().getImplementationVersion();
            return new String[]{"splitheap " + (version == null ? "development" : version) + " on Java " +
                Runtime.version()};
        }
    }
}
