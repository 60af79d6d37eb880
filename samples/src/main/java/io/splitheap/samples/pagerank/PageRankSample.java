package io.splitheap.samples.pagerank;

import io.splitheap.samples.OptionSpec;
import io.splitheap.samples.Sample;
import io.splitheap.samples.SampleOptions;
import io.splitheap.samples.SampleResult;
import io.splitheap.samples.support.ChunkedArray;
import io.splitheap.samples.support.Checksum;
import io.splitheap.samples.support.Footprint;

import java.io.PrintStream;
import java.util.List;

/**
 * PageRank over a generated power-law graph with locality; see {@link GraphGenerator} and {@link PageRank}.
 * The measured phase is the iterations; ops counts relaxed edges.
 */
public final class PageRankSample implements Sample
{
    /**
     * Number of PageRank iterations.
     */
    public static final String ITERATIONS = "--iterations";

    /**
     * Default of {@link #ITERATIONS}.
     */
    public static final int ITERATIONS_DEFAULT = 5;

    /**
     * {@inheritDoc}
     */
    @Override
    public String name()
    {
        return "pagerank";
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String summary()
    {
        return "PageRank iterations over a power-law graph in CSR form (pull, damping 0.85)";
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public List<OptionSpec> options()
    {
        return List.of(new OptionSpec(ITERATIONS, "N", "PageRank iterations, 1 to 1000 (default 5)"));
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public SampleResult run(final SampleOptions options, final PrintStream out)
    {
        final int iterations = options.intOption(ITERATIONS, ITERATIONS_DEFAULT, 1, 1000);
        final int threads = options.threads();
        out.println(options.describe() + " iterations=" + iterations);

        final long generateStart = System.nanoTime();
        final Graph graph = GraphGenerator.generate(options.workingSet(), options.seed(), threads);
        final PageRank pageRank = new PageRank(graph, threads);
        pageRank.initialise();
        final ChunkedArray[] arrays = {
            graph.offsets(), graph.sources(), graph.outDegrees(), pageRank.ranks(), pageRank.previousRanks() };
        out.println(Footprint.describe(arrays) + " vertices=" + graph.vertexCount() + " edges=" + graph.edgeCount());
        out.println("generated in " + SampleResult.seconds(System.nanoTime() - generateStart) + " s");

        final long start = System.nanoTime();
        long edges = 0;
        for (int i = 0; i < iterations; i++)
        {
            edges += pageRank.iterate();
        }
        final long nanos = System.nanoTime() - start;

        out.println("ranked: " + RankSummary.of(pageRank.ranks(), pageRank.partitions(), 3, threads).describe());
        final long hash = Checksum.of(threads,
            graph.offsets(), graph.sources(), graph.outDegrees(), pageRank.ranks(), pageRank.previousRanks());
        return new SampleResult(name(), Checksum.finish(hash), nanos, edges);
    }
}
