package io.splitheap.launcher.commands;

import io.splitheap.launcher.AgentStatsLine;
import picocli.CommandLine;

import java.io.File;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code splitheap demo}: PageRank over a graph larger than the heap, on an embedded cluster, then a summary.
 */
@CommandLine.Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Runs the PageRank sample with a heap too small for its data: its arrays live on two memory",
        "nodes of an embedded cluster behind a small ExCache. Prints the result and a summary."})
public final class DemoCommand implements Callable<Integer>
{
    static final long DEFAULT_EXCACHE = 64L << 20;

    @CommandLine.Option(names = "--working-set", defaultValue = "384m", paramLabel = "SIZE",
        description = "Bytes of graph and rank arrays (default: ${DEFAULT-VALUE}).")
    String workingSet;

    @CommandLine.Option(names = "--heap", defaultValue = "128m", paramLabel = "SIZE",
        description = "The program's -Xmx (default: ${DEFAULT-VALUE}).")
    String heap;

    @CommandLine.Option(names = "--threads", defaultValue = "2", paramLabel = "N",
        description = "PageRank threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @CommandLine.Option(names = "--samples-jar", paramLabel = "JAR", description = "The samples jar.")
    File samplesJar;

    @CommandLine.Mixin
    RunOptions run;

    /**
     * {@inheritDoc}
     */
    public Integer call() throws Exception
    {
        final File samples = Artifacts.samplesJar(samplesJar);
        final List<String> args = List.of("-Xmx" + heap, "-jar", samples.getAbsolutePath(), "pagerank",
            "--working-set", workingSet, "--threads", Integer.toString(threads));
        System.out.println("splitheap demo: pagerank --working-set " + workingSet + " with -Xmx" + heap +
            ", ExCache " + run.excacheBytes(DEFAULT_EXCACHE) / (1 << 20) + " MiB, " + run.cluster.memoryNodes +
            " memory nodes");
        System.out.flush();
        final RunOptions.Outcome outcome = run.execute(args, DEFAULT_EXCACHE);
        System.out.println(summary(outcome));
        return outcome.exit();
    }

    static String summary(final RunOptions.Outcome outcome)
    {
        final StringBuilder text = new StringBuilder("splitheap demo summary:\n");
        final AgentStatsLine stats = outcome.statsLine();
        if (stats == null)
        {
            return text.append("  the program printed no statistics (exit code ").append(outcome.exit())
                .append(")").toString();
        }
        final double hits = stats.number("hits");
        final double misses = stats.number("misses");
        final double mib = 1 << 20;
        text.append(String.format(Locale.ROOT, "  far arrays: %d holding %.1f MiB; ExCache %.0f MiB%n",
            stats.number("far_arrays"), stats.number("far_bytes") / mib, stats.number("excache_bytes") / mib));
        text.append(String.format(Locale.ROOT, "  ExCache hit rate: %.3f%% (%.0f hits, %.0f misses, %d evictions, " +
            "%d write-backs)%n", hits + misses == 0 ? 100.0 : 100.0 * hits / (hits + misses), hits, misses,
            stats.number("evictions"), stats.number("writebacks")));
        for (final AgentStatsLine.NodePages node : stats.memoryNodes())
        {
            text.append("  memory node ").append(node.id()).append(": ").append(node.pages())
                .append(" pages of this program held at exit\n");
        }
        text.append("  exit code: ").append(outcome.exit());
        return text.toString();
    }
}
