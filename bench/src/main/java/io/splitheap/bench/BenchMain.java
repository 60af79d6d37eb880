package io.splitheap.bench;

import io.splitheap.bench.hitpath.MicroBench;
import io.splitheap.bench.throughput.ThroughputBench;
import io.splitheap.bench.throughput.TransportProbe;
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
    subcommands = {BenchMain.Micro.class, BenchMain.Throughput.class, BenchMain.Transport.class,
        CommandLine.HelpCommand.class})
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
        throw new CommandLine.ParameterException(spec.commandLine(),
            "a benchmark is required: micro, throughput or transport");
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

    /**
     * Whole samples: {@code BENCH} lines.
     */
    @CommandLine.Command(name = "throughput", mixinStandardHelpOptions = true,
        description = "Whole samples with far memory against the same samples without the agent, in one run, on an " +
            "embedded two-node cluster. Prints BENCH sample=<s> fraction=<pct> transport=<t> policy=<p> " +
            "ratio_median=<x> ratio_min=<x> ratio_max=<x> bound=<x> efficiency=<x> per combination and writes " +
            "results.json, results.md and ratio.png to --out.")
    static final class Throughput implements Callable<Integer>
    {
        @CommandLine.Option(names = "--samples", split = ",", defaultValue = "pagerank,kvstore,columnscan",
            description = "Samples (default: ${DEFAULT-VALUE}); particles runs with its objects' fields far " +
                "(far.classes=io.splitheap.samples.particles.*).")
        List<String> samples;

        @CommandLine.Option(names = "--fractions", split = ",", defaultValue = "100,50,25,12.5",
            description = "ExCache sizes, percent of the working set, plus 64 lines for the arrays' partial last " +
                "lines (default: ${DEFAULT-VALUE}).")
        List<String> fractions;

        @CommandLine.Option(names = "--transports", split = ",", defaultValue = "ipc",
            description = "Transports between the program and the memory nodes (default: ${DEFAULT-VALUE}).")
        List<String> transports;

        @CommandLine.Option(names = "--policies", split = ",", defaultValue = "sweep",
            description = "ExCache eviction policies: fifo, lru, clock, sweep (default: ${DEFAULT-VALUE}).")
        List<String> policies;

        @CommandLine.Option(names = "--working-set", defaultValue = "256m",
            description = "Working set of each sample (default: ${DEFAULT-VALUE}).")
        String workingSet;

        @CommandLine.Option(names = "--threads", defaultValue = "2",
            description = "Sample threads (default: ${DEFAULT-VALUE}).")
        int threads;

        @CommandLine.Option(names = "--repeats", defaultValue = "3",
            description = "Runs of each combination, and of each sample without the agent (default: " +
                "${DEFAULT-VALUE}).")
        int repeats;

        @CommandLine.Option(names = "--extra", split = " ", defaultValue = "",
            description = "More sample options, space separated (for example \"--iterations 5\").")
        List<String> extra;

        @CommandLine.Option(names = "--out", defaultValue = "target/bench/throughput",
            description = "Folder for results.json, results.md, ratio.png and the runs' logs (default: " +
                "${DEFAULT-VALUE}).")
        File out;

        public Integer call() throws Exception
        {
            final ThroughputBench.Options options;
            try
            {
                options = new ThroughputBench.Options(samples, fractions, transports, policies, workingSet, threads,
                    repeats, extra.stream().filter(e -> !e.isBlank()).toList(), out).validate();
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CommandLine.ParameterException(new CommandLine(this), ex.getMessage());
            }
            ThroughputBench.run(options, System.out, System.err);
            return 0;
        }
    }

    /**
     * The raw transport: {@code TRANSPORT} lines.
     */
    @CommandLine.Command(name = "transport", mixinStandardHelpOptions = true,
        description = "The raw Aeron transport on the channels Splitheap uses (embedded driver, shared threading " +
            "mode): round trip of one message through an echo thread and streaming throughput. Prints TRANSPORT " +
            "channel=<ipc|udp> message_bytes=<n> echo_p50_us=<x> echo_p99_us=<x> stream_mb_s=<x>.")
    static final class Transport implements Callable<Integer>
    {
        @CommandLine.Option(names = "--transports", split = ",", defaultValue = "ipc,udp",
            description = "Channels: ipc, udp (default: ${DEFAULT-VALUE}).")
        List<String> transports;

        @CommandLine.Option(names = "--message-bytes", split = ",", defaultValue = "4096,65536",
            description = "Message sizes (default: ${DEFAULT-VALUE}).")
        List<Integer> sizes;

        public Integer call()
        {
            for (final String transport : transports)
            {
                if (!List.of("ipc", "udp").contains(transport))
                {
                    throw new CommandLine.ParameterException(new CommandLine(this),
                        "--transports: unknown transport '" + transport + "' (ipc, udp)");
                }
                for (final int size : sizes)
                {
                    System.out.println(TransportProbe.measure(transport, size).line());
                    System.out.flush();
                }
            }
            return 0;
        }
    }
}
