package io.splitheap.launcher.commands;

import io.splitheap.launcher.AgentStatsLine;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Java program run with the agent attached: same JDK as the launcher, stdout and stdin inherited, stderr passed
 * through line by line while the agent's {@code splitheap-stats} line is captured and parsed. If the launcher is stopped, the
 * child is stopped too (by its process id).
 */
final class ChildJvm
{
    private final List<String> command;
    private volatile AgentStatsLine statsLine;

    ChildJvm(final File agentJar, final String agentOptions, final List<String> javaArgs)
    {
        final String java = ProcessHandle.current().info().command().orElse("java");
        command = new ArrayList<>();
        command.add(java);
        // the agent appends itself to the boot class path, after which the JVM warns that class data sharing is
        // limited to boot classes (seen on Java 17 and 25): off from the start, nothing is printed
        command.add("-Xshare:off");
        command.add("-javaagent:" + agentJar.getAbsolutePath() + "=" + agentOptions);
        command.addAll(javaArgs);
    }

    List<String> command()
    {
        return command;
    }

    int run(final PrintStream err) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.INHERIT)
            .redirectOutput(ProcessBuilder.Redirect.INHERIT)
            .start();
        final Thread stopChild = new Thread(() -> stop(process), "splitheap-stop-child");
        Runtime.getRuntime().addShutdownHook(stopChild);
        final Thread pump = new Thread(() -> pump(process, err), "splitheap-stderr");
        pump.setDaemon(true);
        pump.start();
        final int exit = process.waitFor();
        pump.join(TimeUnit.SECONDS.toMillis(10));
        try
        {
            Runtime.getRuntime().removeShutdownHook(stopChild);
        }
        catch (final IllegalStateException ignore)
        {
            // already shutting down: the hook stops the child
        }
        return exit;
    }

    AgentStatsLine statsLine()
    {
        return statsLine;
    }

    private void pump(final Process process, final PrintStream err)
    {
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                err.println(line);
                if (AgentStatsLine.isStatsLine(line))
                {
                    try
                    {
                        statsLine = AgentStatsLine.parse(line);
                    }
                    catch (final IllegalArgumentException ex)
                    {
                        err.println("splitheap: " + ex.getMessage());
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            err.println("splitheap: lost the program's stderr: " + ex);
        }
    }

    private static void stop(final Process process)
    {
        if (process.isAlive())
        {
            process.destroy();
            try
            {
                if (!process.waitFor(10, TimeUnit.SECONDS))
                {
                    process.destroyForcibly();
                }
            }
            catch (final InterruptedException ex)
            {
                process.destroyForcibly();
            }
        }
    }
}
