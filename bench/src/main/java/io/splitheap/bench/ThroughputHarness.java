package io.splitheap.bench;

import io.splitheap.launcher.cluster.EmbeddedCluster;
import io.splitheap.protocol.Settings;
import io.splitheap.testsupport.ForkedProcess;
import io.splitheap.testsupport.ProjectPaths;
import io.splitheap.testsupport.StatsLine;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whole-workload throughput with far memory relative to the same program without the agent, in one run: each
 * sample once on the heap, then with the agent at ExCache sizes that are fractions of its working set, on one
 * embedded two-node cluster. Throughput is the sample's ops over its measured seconds. Prints a markdown table of
 * far throughput as a fraction of heap throughput; fails if a far run's checksum differs from the heap run's.
 * <pre>
 * java -cp bench/target/benchmarks.jar [JVM flags] io.splitheap.bench.ThroughputHarness \
 *     [--working-set 256m] [--threads 2] [--fractions 100,50,25,12.5] [--samples pagerank,kvstore,columnscan]
 *     [--out docs/throughput.md]
 * </pre>
 */
public final class ThroughputHarness
{
    private static final Pattern RESULT = Pattern.compile("seconds=([0-9.]+) ops=(\\d+)");

    private ThroughputHarness()
    {
    }

    /**
     * Runs the harness.
     *
     * @param args options, see the class comment.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final Map<String, String> options = parse(args);
        final String table = run(options.getOrDefault("--working-set", "256m"),
            Integer.parseInt(options.getOrDefault("--threads", "2")),
            options.getOrDefault("--fractions", "100,50,25,12.5").split(","),
            options.getOrDefault("--samples", "pagerank,kvstore,columnscan").split(","),
            options.getOrDefault("--extra", ""));
        System.out.println(table);
        if (options.containsKey("--out"))
        {
            Files.writeString(new File(options.get("--out")).toPath(), table);
        }
    }

    /**
     * Runs every sample at every fraction.
     *
     * @param workingSet working set of each sample.
     * @param threads    sample threads.
     * @param fractions  ExCache sizes in percent of the working set.
     * @param samples    sample names.
     * @param extra      extra sample options (space separated), may be empty.
     * @return a markdown table.
     * @throws Exception on failure.
     */
    public static String run(
        final String workingSet,
        final int threads,
        final String[] fractions,
        final String[] samples,
        final String extra) throws Exception
    {
        final long bytes = Settings.parseSize("--working-set", workingSet);
        final StringBuilder table = new StringBuilder();
        table.append("| sample | heap ops/s |");
        for (final String fraction : fractions)
        {
            table.append(" ExCache ").append(fraction).append("% |");
        }
        table.append('\n').append("|---|---|").append("---|".repeat(fractions.length)).append('\n');
        try (EmbeddedCluster cluster = EmbeddedCluster.start(new EmbeddedCluster.Context()
            .memoryNodes(2).memoryNodeCapacity(Math.max(1L << 30, bytes * 2))))
        {
            for (final String sample : samples)
            {
                final List<String> args = sampleArgs(sample, workingSet, threads, extra);
                final String heapOutput = run("heap-" + sample, "-Xmx" + Math.max(1024, bytes * 3 / (1 << 20)) +
                    "m", null, args);
                final String reference = StatsLine.checksum(heapOutput);
                final double heap = throughput(heapOutput);
                table.append("| ").append(sample).append(" | ").append(String.format(Locale.ROOT, "%.3g", heap))
                    .append(" |");
                for (final String fraction : fractions)
                {
                    final long excache = Math.max(64L * 4096, (long)(bytes * Double.parseDouble(fraction) / 100) /
                        4096 * 4096);
                    final String output = run("far-" + sample + "-" + fraction, "-Xmx256m",
                        "coordinator=" + cluster.coordinatorEndpoint() + ",excache=" + excache + ",stats=true",
                        args);
                    if (!reference.equals(StatsLine.checksum(output)))
                    {
                        throw new IllegalStateException(sample + " at ExCache " + fraction + "% computed checksum " +
                            StatsLine.checksum(output) + ", the heap run " + reference + ": far memory changed a " +
                            "result; logs under target/throughput-logs");
                    }
                    table.append(String.format(Locale.ROOT, " %.3f |", throughput(output) / heap));
                }
                table.append('\n');
            }
        }
        return table.toString();
    }

    private static List<String> sampleArgs(
        final String sample, final String workingSet, final int threads, final String extra)
    {
        final List<String> args = new ArrayList<>(List.of(sample, "--working-set", workingSet, "--threads",
            Integer.toString(threads)));
        if (!extra.isBlank())
        {
            args.addAll(List.of(extra.trim().split(" ")));
        }
        return args;
    }

    private static String run(final String name, final String heap, final String agent, final List<String> args)
        throws Exception
    {
        final List<String> command = new ArrayList<>(List.of(ProjectPaths.java(), heap));
        if (agent != null)
        {
            command.add("-javaagent:" + ProjectPaths.agentJar().getAbsolutePath() + "=" + agent);
        }
        command.add("-jar");
        command.add(ProjectPaths.samplesJar().getAbsolutePath());
        command.addAll(args);
        try (ForkedProcess process = ForkedProcess.start(new File("target/throughput-logs"), name, command, Map.of()))
        {
            final int exit = process.waitFor(2, TimeUnit.HOURS);
            if (exit != 0)
            {
                throw new IOException(name + " exited with " + exit + "; logs: " + process.logs());
            }
            if (agent != null)
            {
                System.err.println(name + ": " + StatsLine.in(process.stderr()).json());
            }
            return process.stdout();
        }
    }

    private static double throughput(final String stdout)
    {
        final Matcher matcher = RESULT.matcher(stdout.substring(stdout.lastIndexOf("RESULT")));
        if (!matcher.find())
        {
            throw new IllegalStateException("no RESULT line");
        }
        return Long.parseLong(matcher.group(2)) / Math.max(1e-6, Double.parseDouble(matcher.group(1)));
    }

    private static Map<String, String> parse(final String[] args)
    {
        final Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2)
        {
            options.put(args[i], args[i + 1]);
        }
        return options;
    }
}
