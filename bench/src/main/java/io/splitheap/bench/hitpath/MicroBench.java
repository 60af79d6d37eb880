package io.splitheap.bench.hitpath;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code bin/splitheap bench micro}: runs {@link HitPathBenchmark} once per element type, then {@link FieldBenchmark}
 * once per field type among them (one JMH run each, one fork per benchmark), and prints, per operation, type and
 * size, the heap figure and the two ratios measured in that run:
 * <pre>
 * MICRO op=&lt;seq-read|seq-write|rand-read|rand-write|field-read|field-write&gt; type=&lt;t&gt; elements=&lt;n&gt;
 *   heap_ns=&lt;x&gt; rewritten_ratio=&lt;x&gt; far_hit_ratio=&lt;x&gt;
 * </pre>
 * (one line each). {@code heap_ns} is per element (per object for the field operations); the ratios are the
 * rewritten loop over a heap array and over a far array with every line resident (over plain objects, and over
 * objects of a class named by {@code far.classes=} with every line of their fields resident), each divided by the
 * compiled loop.
 */
public final class MicroBench
{
    private static final String[][] OPS = {
        {"seq-read", "sequentialRead"}, {"seq-write", "sequentialWrite"},
        {"rand-read", "randomRead"}, {"rand-write", "randomWrite"}};
    private static final String[][] FIELD_OPS = {{"field-read", "read"}, {"field-write", "write"}};
    private static final List<String> FIELD_TYPES = List.of("long", "int", "double");

    private MicroBench()
    {
    }

    /**
     * Runs the benchmark.
     *
     * @param types    element types.
     * @param elements array lengths.
     * @param quick    short warm-up and measurement (a smoke run).
     * @param log      where JMH's own output goes.
     * @param out      receives the MICRO lines.
     * @return the lines.
     * @throws RunnerException if JMH fails.
     */
    public static List<String> run(
        final List<String> types,
        final List<Integer> elements,
        final boolean quick,
        final File log,
        final PrintStream out) throws RunnerException
    {
        final List<String> lines = new ArrayList<>();
        for (final String type : types)
        {
            final ChainedOptionsBuilder options = options(HitPathBenchmark.class, type, quick, log, "")
                .param("elements", elements.stream().map(String::valueOf).toArray(String[]::new));
            lines.addAll(lines(type, new Runner(options.build()).run(), out));
        }
        for (final String type : types)
        {
            if (FIELD_TYPES.contains(type))
            {
                lines.addAll(fieldLines(type, new Runner(options(FieldBenchmark.class, type, quick, log, "-fields")
                    .build()).run(), out));
            }
        }
        return lines;
    }

    private static ChainedOptionsBuilder options(
        final Class<?> benchmark, final String type, final boolean quick, final File log, final String suffix)
    {
        final ChainedOptionsBuilder options = new OptionsBuilder()
            .include(benchmark.getName() + "\\.")
            .param("type", type)
            .forks(1)
            .shouldFailOnError(true)
            .output(new File(log.getParentFile(), log.getName() + "-" + type + suffix + ".txt").getPath());
        if (quick)
        {
            options.warmupIterations(1).warmupTime(TimeValue.seconds(1))
                .measurementIterations(2).measurementTime(TimeValue.seconds(1));
        }
        return options;
    }

    /**
     * The MICRO lines of one type's field results ({@link FieldBenchmark}): {@code op=field-read|field-write},
     * elements the objects of one loop.
     *
     * @param type    field type.
     * @param results the JMH results for that type.
     * @param out     receives each line as it is made.
     * @return the lines.
     */
    public static List<String> fieldLines(final String type, final Collection<RunResult> results,
        final PrintStream out)
    {
        final Map<String, Double> scores = new TreeMap<>();
        int objects = FieldBenchmark.OBJECTS;
        for (final RunResult result : results)
        {
            final String benchmark = result.getParams().getBenchmark();
            scores.put(benchmark.substring(benchmark.lastIndexOf('.') + 1), result.getPrimaryResult().getScore());
            objects = Integer.parseInt(result.getParams().getParam("objects"));
        }
        final List<String> lines = new ArrayList<>();
        for (final String[] op : FIELD_OPS)
        {
            final Double heap = scores.get(op[1] + "Heap");
            final Double rewritten = scores.get(op[1] + "Rewritten");
            final Double far = scores.get(op[1] + "Far");
            if (heap != null && rewritten != null && far != null)
            {
                lines.add(line(op[0], type, objects, heap / objects, rewritten / heap, far / heap, out));
            }
        }
        return lines;
    }

    /**
     * The MICRO lines of one type's results.
     *
     * @param type    element type.
     * @param results the JMH results of {@link HitPathBenchmark} for that type.
     * @param out     receives each line as it is made.
     * @return the lines.
     */
    public static List<String> lines(final String type, final Collection<RunResult> results, final PrintStream out)
    {
        final Map<String, Double> scores = new TreeMap<>();
        for (final RunResult result : results)
        {
            final String benchmark = result.getParams().getBenchmark();
            final String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            scores.put(method + "/" + result.getParams().getParam("elements"), result.getPrimaryResult().getScore());
        }
        final List<String> lines = new ArrayList<>();
        for (final String size : new java.util.TreeSet<>(scores.keySet().stream()
            .map(key -> key.substring(key.indexOf('/') + 1)).toList()))
        {
            final int elements = Integer.parseInt(size);
            for (final String[] op : OPS)
            {
                final Double heap = scores.get(op[1] + "Heap/" + size);
                final Double rewritten = scores.get(op[1] + "Rewritten/" + size);
                final Double far = scores.get(op[1] + "Far/" + size);
                if (heap == null || rewritten == null || far == null)
                {
                    continue;
                }
                final int perInvocation = op[0].startsWith("seq") ? elements : HitPathBenchmark.ACCESSES;
                lines.add(line(op[0], type, elements, heap / perInvocation, rewritten / heap, far / heap, out));
            }
        }
        return lines;
    }

    private static String line(
        final String op, final String type, final int elements, final double heapNs, final double rewrittenRatio,
        final double farRatio, final PrintStream out)
    {
        final String line = String.format(Locale.ROOT,
            "MICRO op=%s type=%s elements=%d heap_ns=%.3f rewritten_ratio=%.2f far_hit_ratio=%.2f",
            op, type, elements, heapNs, rewrittenRatio, farRatio);
        out.println(line);
        out.flush();
        return line;
    }
}
