package io.splitheap.launcher.commands;

import picocli.CommandLine;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/splitheap bench ...}: runs the benchmark tool of {@code bench/target/benchmarks.jar} in a JVM of its
 * own, with this JVM's flags (benchmarks must not share a JVM with the launcher).
 */
@CommandLine.Command(
    name = "bench",
    description = {"Benchmarks: 'bench micro' (the hit path, MICRO lines).",
        "'bin/splitheap bench --help' and 'bin/splitheap bench micro --help' list the options."},
    mixinStandardHelpOptions = false)
public final class BenchCommand implements Callable<Integer>
{
    @CommandLine.Unmatched
    List<String> args = new ArrayList<>();

    /**
     * {@inheritDoc}
     */
    public Integer call() throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (!argument.startsWith("-agentlib") && !argument.startsWith("-javaagent"))
            {
                command.add(argument);
            }
        }
        command.add("-cp");
        command.add(Artifacts.benchmarksJar().getAbsolutePath());
        command.add("io.splitheap.bench.BenchMain");
        command.addAll(args);
        final Process process = new ProcessBuilder(command).inheritIO().start();
        final Thread stop = new Thread(() ->
        {
            process.destroy();
            try
            {
                process.waitFor(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            process.destroyForcibly();
        }, "splitheap-stop-bench");
        Runtime.getRuntime().addShutdownHook(stop);
        final int exit = process.waitFor();
        try
        {
            Runtime.getRuntime().removeShutdownHook(stop);
        }
        catch (final IllegalStateException ignore)
        {
            // already shutting down: the hook stops the benchmark
        }
        return exit;
    }
}
