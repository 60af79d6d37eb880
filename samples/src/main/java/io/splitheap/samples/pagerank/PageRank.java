package io.splitheap.samples.pagerank;

import io.splitheap.samples.support.DoubleChunks;
import io.splitheap.samples.support.IntChunks;
import io.splitheap.samples.support.LongChunks;
import io.splitheap.samples.support.Partitions;
import io.splitheap.samples.support.Workers;

/**
 * Pull-based PageRank with damping 0.85. Each iteration computes, for every vertex {@code v},
 * <pre>
 *   next[v] = (1 - d) / N + d * dangling / N + d * sum over in-edges (u, v) of rank[u] / outDegree[u]
 * </pre>
 * where {@code dangling} is the rank held by vertices without out-edges, spread evenly so that ranks keep summing
 * to one. Threads take fixed vertex partitions; each rank is a sum in edge order and the dangling rank is summed
 * per partition, then over partitions in order, so results are bit-identical for any thread count.
 */
public final class PageRank
{
    /**
     * The damping factor.
     */
    public static final double DAMPING = 0.85;

    private final Graph graph;
    private final int threads;
    private final Partitions parts;
    private final double[] partDangling;
    private DoubleChunks ranks;
    private DoubleChunks next;
    private double dangling;

    /**
     * Allocate the two rank arrays of a graph.
     *
     * @param graph   to rank.
     * @param threads to iterate with.
     */
    public PageRank(final Graph graph, final int threads)
    {
        this.graph = graph;
        this.threads = threads;
        parts = Partitions.of(graph.vertexCount(), 4096, 1024);
        partDangling = new double[parts.count()];
        ranks = new DoubleChunks(graph.vertexCount());
        next = new DoubleChunks(graph.vertexCount());
    }

    /**
     * Set every rank to {@code 1 / N}.
     */
    public void initialise()
    {
        final double initial = 1.0 / graph.vertexCount();
        final IntChunks outDegrees = graph.outDegrees();
        Workers.forEach(threads, parts.count(), (final int p) ->
        {
            double partial = 0;
            for (long v = parts.start(p), end = parts.end(p); v < end; v++)
            {
                ranks.set(v, initial);
                if (outDegrees.get(v) == 0)
                {
                    partial += initial;
                }
            }
            partDangling[p] = partial;
        });
        dangling = sumInOrder(partDangling);
    }

    /**
     * One iteration: pull ranks along every edge into the other array, then swap the arrays.
     *
     * @return the number of edges relaxed.
     */
    public long iterate()
    {
        final double base = (1.0 - DAMPING) / graph.vertexCount() + DAMPING * dangling / graph.vertexCount();
        Workers.forEach(threads, parts.count(), (final int p) ->
            partDangling[p] = pull(base, (int)parts.start(p), (int)parts.end(p)));
        dangling = sumInOrder(partDangling);

        final DoubleChunks swap = ranks;
        ranks = next;
        next = swap;
        return graph.edgeCount();
    }

    /**
     * Current ranks.
     *
     * @return the ranks after the last iteration.
     */
    public DoubleChunks ranks()
    {
        return ranks;
    }

    /**
     * Ranks of the iteration before the last one (the other array).
     *
     * @return the previous ranks.
     */
    public DoubleChunks previousRanks()
    {
        return next;
    }

    /**
     * Vertex partitions the work is split into.
     *
     * @return the partitions.
     */
    public Partitions partitions()
    {
        return parts;
    }

    private double pull(final double base, final int first, final int end)
    {
        final LongChunks offsets = graph.offsets();
        final IntChunks sources = graph.sources();
        final IntChunks outDegrees = graph.outDegrees();
        final DoubleChunks from = ranks;
        final DoubleChunks to = next;
        double partial = 0;
        long e = offsets.get(first);
        for (int v = first; v < end; v++)
        {
            final long last = offsets.get(v + 1L);
            double sum = 0;
            while (e < last)
            {
                final int[] chunk = sources.chunk((int)(e >>> IntChunks.SHIFT));
                final int begin = (int)e & IntChunks.MASK;
                final int stop = (int)Math.min(chunk.length, begin + (last - e));
                for (int i = begin; i < stop; i++)
                {
                    final int u = chunk[i];
                    sum += from.get(u) / outDegrees.get(u);
                }
                e += stop - begin;
            }
            final double rank = base + DAMPING * sum;
            to.set(v, rank);
            if (outDegrees.get(v) == 0)
            {
                partial += rank;
            }
        }
        return partial;
    }

    private static double sumInOrder(final double[] values)
    {
        double sum = 0;
        for (final double value : values)
        {
            sum += value;
        }
        return sum;
    }
}
