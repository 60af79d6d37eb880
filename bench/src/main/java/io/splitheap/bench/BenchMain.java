package io.splitheap.bench;

import io.splitheap.bench.hitpath.MicroBench;
import picocli.CommandLine;

import java.io.File;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code bin/splitheap bench}: the benchmarks a user runs, each printing one line per measurement in a fixed format.
 */
@CommandLine.Command(
    name = "splitheap bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks of Splitheap: figures as ratios measured in the same run.",
    subcommands = {BenchMain.Micro.class, CommandLine.HelpCommand.class})
public final class BenchMain implements Runnable
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
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    /**
     * Without a subcommand: print usage.
     */
    public void run()
    {
        spec.commandLine().usage(System.err);
        throw new CommandLine.ParameterException(spec.commandLine(), "a benchmark is required: micro");
    }

    /**
     * The hit path: {@code MICRO} lines.
     */
    @CommandLine.Command(name = "micro", mixinStandardHelpOptions = true,
        description = "The hit path (JMH): the same loops over a heap array as compiled, over a heap array as " +
            "rewritten, and over a far array with every line resident; one JMH run per element type. Prints " +
            "MICRO op=<op> type=<t> elements=<n> heap_ns=<x> rewritten_ratio=<x> far_hit_ratio=<x>.")
    static final class Micro implements Callable<Integer>
    {
        @CommandLine.Option(names = "--types", split = ",", defaultValue = "long,int,double,byte",
            description = "Element types (default: ${DEFAULT-VALUE}).")
        List<String> types;

        @CommandLine.Option(names = "--elements", split = ",", defaultValue = "1048576,67108864",
            description = "Array lengths (default: ${DEFAULT-VALUE}).")
        List<Integer> elements;

        @CommandLine.Option(names = "--quick", description = "Short warm-up and measurement: a smoke run.")
        boolean quick;

        @CommandLine.Option(names = "--out", defaultValue = "target/bench",
            description = "Folder for JMH's own output (default: ${DEFAULT-VALUE}).")
        File out;

        public Integer call() throws Exception
        {
            for (final String type : types)
            {
                if (!List.of("long", "int", "double", "byte").contains(type))
                {
                    throw new CommandLine.ParameterException(new CommandLine(this),
                        "--types: unknown type '" + type + "' (long, int, double, byte)");
                }
            }
            if (!out.isDirectory() && !out.mkdirs())
            {
                throw new IllegalStateException("cannot create " + out);
            }
            System.err.println("bench micro: JMH output in " + new File(out, "micro-<type>.txt").getPath());
            MicroBench.run(types, elements, quick, new File(out, "micro"), System.out);
            return 0;
        }
    }
}
