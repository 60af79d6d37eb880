package io.splitheap.samples.pagerank;

import io.splitheap.samples.support.Hashing;
import io.splitheap.samples.support.IntChunks;
import io.splitheap.samples.support.LongChunks;
import io.splitheap.samples.support.Partitions;
import io.splitheap.samples.support.SplitMix64;
import io.splitheap.samples.support.Workers;

/**
 * Generates a power-law graph with locality, sized to a byte budget.
 * <p>
 * In-degrees follow a Pareto law with exponent 2 ({@code floor(1.5 / u)}, capped), so a few vertices have thousands
 * of in-edges. Of each vertex's in-edges, 7 in 8 come from vertices at most {@link #LOCAL_WINDOW} ids away
 * (skewed towards the nearest) and 1 in 8 from the hubs: the lowest 1/256 of ids, skewed towards id 0, so hubs
 * have huge out-degrees. A pull over the in-edges therefore streams the edge array and reads ranks only near the
 * current vertex or among the hubs: a small hot set.
 * <p>
 * Everything is a function of the seed and the vertex id, so the graph is the same for any thread count, and each
 * array is written front to back.
 */
public final class GraphGenerator
{
    /**
     * Bytes per vertex over all arrays of the sample: an offset, an out-degree and two ranks.
     */
    public static final long BYTES_PER_VERTEX = Long.BYTES + Integer.BYTES + 2L * Double.BYTES;

    /**
     * Bytes per edge: its source.
     */
    public static final long BYTES_PER_EDGE = Integer.BYTES;

    /**
     * Largest in-degree; budgets under 1 MiB cap in-degrees at {@code budgetBytes / 256}.
     */
    public static final int MAX_IN_DEGREE = 4096;

    /**
     * Farthest distance between the ends of a local edge.
     */
    public static final int LOCAL_WINDOW = 1024;

    private static final double DEGREE_SCALE = 1.5;
    private static final int HUB_EDGE_ONE_IN = 8;
    private static final int HUB_SHIFT = 8;
    private static final long DEGREE_STREAM = -1;

    private GraphGenerator()
    {
    }

    /**
     * Generate the largest graph whose arrays, plus two rank arrays, fit in the budget.
     *
     * @param budgetBytes bytes for offsets, sources, out-degrees and two {@code double} ranks per vertex.
     * @param seed        of the graph.
     * @param threads     to generate edges with.
     * @return the graph.
     */
    public static Graph generate(final long budgetBytes, final long seed, final int threads)
    {
        final long degreeSeed = Hashing.streamSeed(seed, DEGREE_STREAM);
        final int maxDegree = (int)Math.max(1, Math.min(MAX_IN_DEGREE, budgetBytes / 256));
        long used = Long.BYTES;
        long edges = 0;
        int n = 0;
        while (n < Integer.MAX_VALUE - 1)
        {
            final int degree = inDegree(degreeSeed, maxDegree, n);
            final long cost = BYTES_PER_VERTEX + BYTES_PER_EDGE * degree;
            if (used + cost > budgetBytes)
            {
                break;
            }
            used += cost;
            edges += degree;
            n++;
        }
        if (n == 0)
        {
            throw new IllegalArgumentException("budget too small for a graph: budgetBytes=" + budgetBytes);
        }

        final LongChunks offsets = new LongChunks(n + 1L);
        final IntChunks sources = new IntChunks(edges);
        final IntChunks outDegrees = new IntChunks(n);

        long offset = 0;
        for (int v = 0; v < n; v++)
        {
            offset += inDegree(degreeSeed, maxDegree, v);
            offsets.set(v + 1, offset);
        }

        final int vertexCount = n;
        final Partitions parts = Partitions.of(n, 4096, 1024);
        Workers.forEach(threads, parts.count(), (final int p) ->
            fillSources(seed, vertexCount, offsets, sources, (int)parts.start(p), (int)parts.end(p)));

        countOutDegrees(sources, outDegrees);
        return new Graph(offsets, sources, outDegrees);
    }

    private static int inDegree(final long degreeSeed, final int maxDegree, final int vertex)
    {
        final long bits = Hashing.mix64(degreeSeed + vertex * Hashing.GOLDEN);
        final double u = ((bits >>> 11) + 1) * 0x1.0p-53;
        final double degree = DEGREE_SCALE / u;
        return degree >= maxDegree ? maxDegree : (int)degree;
    }

    private static void fillSources(
        final long seed,
        final int n,
        final LongChunks offsets,
        final IntChunks sources,
        final int first,
        final int end)
    {
        final int hubs = Math.max(1, n >>> HUB_SHIFT);
        long e = offsets.get(first);
        for (int v = first; v < end; v++)
        {
            final SplitMix64 random = new SplitMix64(Hashing.streamSeed(seed, v));
            final long last = offsets.get(v + 1);
            for (; e < last; e++)
            {
                sources.set(e, source(v, n, hubs, random.nextLong()));
            }
        }
    }

    /**
     * Source of one in-edge of {@code v}, from 64 random bits: the low three bits pick a hub edge (one in eight),
     * bit 3 the direction of a local edge, the high 53 bits the distance or the hub.
     */
    private static int source(final int v, final int n, final int hubs, final long bits)
    {
        final double u = (bits >>> 11) * 0x1.0p-53;
        if ((bits & (HUB_EDGE_ONE_IN - 1)) == 0)
        {
            return (int)(hubs * u * u * u);
        }
        final long distance = 1 + (long)(LOCAL_WINDOW * u * u);
        final boolean up = (bits & HUB_EDGE_ONE_IN) == 0;
        long source = up ? v + distance : v - distance;
        if (source < 0 || source >= n)
        {
            source = up ? v - distance : v + distance;
        }
        if (source < 0 || source >= n)
        {
            source = Math.floorMod(source, n);
        }
        return (int)source;
    }

    private static void countOutDegrees(final IntChunks sources, final IntChunks outDegrees)
    {
        for (int c = 0; c < sources.chunkCount(); c++)
        {
            for (final int source : sources.chunk(c))
            {
                outDegrees.set(source, outDegrees.get(source) + 1);
            }
        }
    }
}
