package io.splitheap.bench.throughput;

import io.splitheap.launcher.AgentStatsLine;
import io.splitheap.launcher.cluster.EmbeddedCluster;
import io.splitheap.protocol.Settings;
import io.splitheap.testsupport.ForkedProcess;
import io.splitheap.testsupport.ProjectPaths;
import io.splitheap.testsupport.StatsLine;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/splitheap bench throughput}: whole samples with far memory against the same samples without the agent,
 * in one invocation. Each sample runs {@code repeats} times without the agent and {@code repeats} times under it for
 * every combination of ExCache fraction, transport and eviction policy, on one embedded two-node cluster; a far run
 * that computes another checksum than the heap runs fails the benchmark. One line per combination (cell):
 * <pre>
 * BENCH sample=&lt;s&gt; fraction=&lt;pct&gt; transport=&lt;t&gt; policy=&lt;p&gt;
 *   ratio_median=&lt;x&gt; ratio_min=&lt;x&gt; ratio_max=&lt;x&gt; bound=&lt;x&gt; efficiency=&lt;x&gt;
 * </pre>
 * where a ratio is the far run's throughput over the heap runs' median, {@code bound} the best ratio the run could
 * reach given the bytes it moved (lines fetched, prefetched and written back) at the raw streaming rate of its
 * transport measured in the same invocation ({@link TransportProbe}), overlapped perfectly:
 * {@code t_heap / max(t_heap, bytes_moved / stream_bytes_per_s)}, and {@code efficiency} is
 * {@code ratio_median / bound}. Writes {@code results.json}, {@code results.md} and {@code ratio.png} to the output
 * folder ({@link ThroughputReport}).
 */
public final class ThroughputBench
{
    /**
     * What the far runs of the particles sample name in {@code far.classes=}: its objects' fields are its far data.
     */
    static final String PARTICLES = "io.splitheap.samples.particles.*";

    /**
     * The far bytes of the particles sample are a little more than its working set: field blocks never straddle a
     * 4 KiB stretch of their arena, so a line of 512 slots holds 56 particles of 9 slots, 504 slots used. Its
     * ExCache sizes follow the far bytes, so that 100% is every line resident.
     */
    private static final long PARTICLE_LINE_SLOTS = 512;
    private static final long PARTICLE_SLOTS_USED = 504;

    /**
     * Lines added to every far run's ExCache (see {@link #excacheBytes}).
     */
    static final int SLACK_LINES = 64;
    private static final int LINE_BYTES = 4096;
    private static final Pattern RESULT =
        Pattern.compile("RESULT sample=\\S+ checksum=(\\S+) seconds=([0-9.]+) ops=(\\d+)");

    private ThroughputBench()
    {
    }

    /**
     * What to run.
     *
     * @param samples    sample names.
     * @param fractions  ExCache sizes in percent of the working set.
     * @param transports transports (ipc, udp).
     * @param policies   eviction policies.
     * @param workingSet working set of each sample.
     * @param threads    sample threads.
     * @param repeats    runs of each cell.
     * @param extra      more sample options.
     * @param out        output folder.
     */
    public record Options(List<String> samples, List<String> fractions, List<String> transports,
        List<String> policies, String workingSet, int threads, int repeats, List<String> extra, File out)
    {
        /**
         * Checks the options before anything starts.
         *
         * @return the options.
         */
        public Options validate()
        {
            for (final String transport : transports)
            {
                if (!"udp".equals(transport) && !"ipc".equals(transport))
                {
                    throw new IllegalArgumentException("--transports: unknown transport '" + transport +
                        "' (ipc, udp)");
                }
            }
            for (final String policy : policies)
            {
                if (!List.of("fifo", "lru", "clock", "sweep").contains(policy))
                {
                    throw new IllegalArgumentException("--policies: unknown policy '" + policy +
                        "' (fifo, lru, clock, sweep)");
                }
            }
            for (final String fraction : fractions)
            {
                final double value = Double.parseDouble(fraction);
                if (!(value > 0 && value <= 100))
                {
                    throw new IllegalArgumentException("--fractions: " + fraction + " is not in (0, 100]");
                }
            }
            if (repeats < 1)
            {
                throw new IllegalArgumentException("--repeats must be at least 1");
            }
            Settings.parseSize("--working-set", workingSet);
            return this;
        }
    }

    /**
     * One run of a sample.
     *
     * @param sample    sample.
     * @param kind      heap or far.
     * @param fraction  ExCache percent, or null for a heap run.
     * @param transport transport, or null.
     * @param policy    policy, or null.
     * @param repeat    repeat number.
     * @param checksum  the sample's checksum.
     * @param seconds   the sample's measured seconds.
     * @param ops       the sample's ops.
     * @param stats     the agent's statistics line (JSON), or null.
     */
    public record Run(String sample, String kind, String fraction, String transport, String policy, int repeat,
        String checksum, double seconds, long ops, String stats)
    {
        double throughput()
        {
            return ops / Math.max(1e-9, seconds);
        }

        long bytesMoved()
        {
            if (stats == null)
            {
                return 0;
            }
            final AgentStatsLine line = AgentStatsLine.parseJson(stats);
            return (line.number("misses") + line.number("prefetches") + line.number("writebacks")) *
                line.number("line_bytes");
        }
    }

    /**
     * One combination and its figures.
     *
     * @param sample      sample.
     * @param fraction    ExCache percent.
     * @param transport   transport.
     * @param policy      policy.
     * @param ratioMedian median ratio to the heap runs.
     * @param ratioMin    lowest.
     * @param ratioMax    highest.
     * @param bound       best ratio the bytes moved allowed.
     * @param efficiency  ratioMedian / bound.
     */
    public record Cell(String sample, String fraction, String transport, String policy, double ratioMedian,
        double ratioMin, double ratioMax, double bound, double efficiency)
    {
        /**
         * The BENCH line.
         *
         * @return the line.
         */
        public String line()
        {
            return String.format(Locale.ROOT, "BENCH sample=%s fraction=%s transport=%s policy=%s ratio_median=%.3f " +
                "ratio_min=%.3f ratio_max=%.3f bound=%.3f efficiency=%.3f", sample, fraction, transport, policy,
                ratioMedian, ratioMin, ratioMax, bound, efficiency);
        }
    }

    /**
     * Runs everything.
     *
     * @param options  what to run.
     * @param out      receives the BENCH lines.
     * @param progress receives the progress line.
     * @return the cells.
     * @throws Exception if a run fails or a checksum differs.
     */
    public static List<Cell> run(final Options options, final PrintStream out, final PrintStream progress)
        throws Exception
    {
        options.validate();
        if (!options.out().isDirectory() && !options.out().mkdirs())
        {
            throw new IOException("cannot create " + options.out());
        }
        final Map<String, TransportProbe> transports = new LinkedHashMap<>();
        for (final String transport : options.transports())
        {
            progress.println("bench throughput: measuring the raw " + transport + " transport");
            transports.put(transport, TransportProbe.measure(transport, 4096));
            out.println(transports.get(transport).line());
        }
        final long bytes = Settings.parseSize("--working-set", options.workingSet());
        final Progress bar = new Progress(progress, options.samples().size() * options.repeats() *
            (1 + options.fractions().size() * options.transports().size() * options.policies().size()));
        final List<Run> runs = new ArrayList<>();
        final List<Cell> cells = new ArrayList<>();
        try (EmbeddedCluster cluster = EmbeddedCluster.start(new EmbeddedCluster.Context()
            .memoryNodes(2).memoryNodeCapacity(Math.max(1L << 30, bytes * 2))))
        {
            for (final String sample : options.samples())
            {
                final List<Run> heap = new ArrayList<>();
                for (int repeat = 0; repeat < options.repeats(); repeat++)
                {
                    bar.next(sample + " heap run " + (repeat + 1));
                    heap.add(run(options, sample, null, null, null, repeat, cluster, bytes));
                }
                runs.addAll(heap);
                final double heapThroughput = median(heap.stream().mapToDouble(Run::throughput).toArray());
                final double heapSeconds = median(heap.stream().mapToDouble(Run::seconds).toArray());
                for (final String fraction : options.fractions())
                {
                    for (final String transport : options.transports())
                    {
                        for (final String policy : options.policies())
                        {
                            final List<Run> far = new ArrayList<>();
                            for (int repeat = 0; repeat < options.repeats(); repeat++)
                            {
                                bar.next(sample + " " + fraction + "% " + transport + " " + policy + " run " +
                                    (repeat + 1));
                                final Run run = run(options, sample, fraction, transport, policy, repeat,
                                    cluster, bytes);
                                if (!run.checksum().equals(heap.get(0).checksum()))
                                {
                                    throw new IllegalStateException(sample + " at ExCache " + fraction + "% (" +
                                        transport + ", " + policy + ") computed checksum " + run.checksum() +
                                        ", the heap runs " + heap.get(0).checksum() + ": far memory changed a " +
                                        "result; logs under " + logs(options));
                                }
                                far.add(run);
                            }
                            runs.addAll(far);
                            final Cell cell = cell(sample, fraction, transport, policy, far, heapThroughput,
                                heapSeconds, transports.get(transport));
                            cells.add(cell);
                            bar.clear();
                            out.println(cell.line());
                            out.flush();
                        }
                    }
                }
            }
        }
        bar.clear();
        ThroughputReport.write(options, transports, runs, cells);
        progress.println("bench throughput: results in " + options.out().getPath() +
            " (results.json, results.md, ratio.png)");
        return cells;
    }

    private static Cell cell(
        final String sample,
        final String fraction,
        final String transport,
        final String policy,
        final List<Run> far,
        final double heapThroughput,
        final double heapSeconds,
        final TransportProbe probe)
    {
        final double[] ratios = far.stream().mapToDouble(run -> run.throughput() / heapThroughput).toArray();
        final double median = median(ratios);
        final double moved = median(far.stream().mapToDouble(Run::bytesMoved).toArray());
        final double bound = heapSeconds / Math.max(heapSeconds, moved / probe.streamBytesPerSecond());
        return new Cell(sample, fraction, transport, policy, median, java.util.Arrays.stream(ratios).min().orElse(0),
            java.util.Arrays.stream(ratios).max().orElse(0), bound, median / bound);
    }

    static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        final int n = sorted.length;
        return n == 0 ? 0 : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * The ExCache of a far run: a fraction of the working set in whole lines, plus {@link #SLACK_LINES}. Every far
     * array ends in a partial line, so a working set of 256 MiB in 7 arrays takes 65,538 lines: an ExCache of exactly
     * 256 MiB (65,536 frames) is two lines short, and at "100%" the program evicted thousands of lines, prefetched
     * them back and ran about half as fast as with every line resident (pagerank 10.2-10.9 s against 4.3-5.1 s,
     * 2026-12-01). The slack makes 100% mean what it says (every line resident after first touch) for programs of up
     * to 64 arrays, and adds 256 KiB at every other fraction.
     *
     * @param workingSetBytes the sample's working set.
     * @param percent         the fraction, in percent.
     * @return ExCache bytes.
     */
    static long excacheBytes(final long workingSetBytes, final double percent)
    {
        final long lines = (long)Math.ceil(workingSetBytes * percent / 100 / LINE_BYTES);
        return Math.max(64L, lines + SLACK_LINES) * LINE_BYTES;
    }

    private static Run run(
        final Options options,
        final String sample,
        final String fraction,
        final String transport,
        final String policy,
        final int repeat,
        final EmbeddedCluster cluster,
        final long bytes) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of(ProjectPaths.java()));
        final String name;
        if (fraction == null)
        {
            command.add("-Xmx" + Math.max(1024, bytes * 3 / (1 << 20)) + "m");
            name = sample + "-heap-" + repeat;
        }
        else
        {
            final long excache = excacheBytes("particles".equals(sample) ? bytes * PARTICLE_LINE_SLOTS /
                PARTICLE_SLOTS_USED : bytes, Double.parseDouble(fraction));
            command.add("-Xmx256m");
            command.add("-javaagent:" + ProjectPaths.agentJar().getAbsolutePath() + "=" +
                cluster.agentOptions() + ",excache=" + excache + ",stats=true,excache.policy=" + policy +
                ("ipc".equals(transport) ? ",aeron.dir=" + cluster.aeronDirectory() : "") +
                ("particles".equals(sample) ? ",far.classes=" + PARTICLES : ""));
            name = sample + "-" + fraction + "-" + transport + "-" + policy + "-" + repeat;
        }
        command.add("-jar");
        command.add(ProjectPaths.samplesJar().getAbsolutePath());
        command.addAll(List.of(sample, "--working-set", options.workingSet(), "--threads",
            Integer.toString(options.threads())));
        command.addAll(options.extra());
        try (ForkedProcess process = ForkedProcess.start(logs(options), name, command, Map.of()))
        {
            final int exit = process.waitFor(2, TimeUnit.HOURS);
            if (exit != 0)
            {
                throw new IOException(name + " exited with " + exit + "; logs: " + process.logs());
            }
            final String stdout = process.stdout();
            final Matcher result = RESULT.matcher(stdout.substring(Math.max(0, stdout.lastIndexOf("RESULT"))));
            if (!result.find())
            {
                throw new IOException(name + " printed no RESULT line; logs: " + process.logs());
            }
            final String stats = fraction == null ? null : StatsLine.in(process.stderr()).json();
            return new Run(sample, fraction == null ? "heap" : "far", fraction, transport, policy, repeat,
                result.group(1), Double.parseDouble(result.group(2)), Long.parseLong(result.group(3)), stats);
        }
    }

    private static File logs(final Options options)
    {
        return new File(options.out(), "logs");
    }

    /**
     * The progress line on stderr: cell n of N, elapsed time and an estimate of the rest.
     */
    private static final class Progress
    {
        private final PrintStream out;
        private final int total;
        private final long start = System.nanoTime();
        private int done = -1;

        Progress(final PrintStream out, final int total)
        {
            this.out = out;
            this.total = total;
        }

        void next(final String what)
        {
            done++;
            final long elapsed = System.nanoTime() - start;
            final String left = done == 0 ? "?" : seconds((long)(elapsed / (double)done * (total - done)));
            out.print(String.format(Locale.ROOT, "\r[bench] run %d of %d  %-40s elapsed %s, about %s left   ",
                done + 1, total, what, seconds(elapsed), left));
            out.flush();
        }

        void clear()
        {
            out.print("\r" + " ".repeat(110) + "\r");
            out.flush();
        }

        private static String seconds(final long nanos)
        {
            final long s = TimeUnit.NANOSECONDS.toSeconds(nanos);
            return s >= 60 ? (s / 60) + "m" + (s % 60) + "s" : s + "s";
        }
    }
}
