package io.splitheap.samples.pagerank;

import io.splitheap.samples.support.DoubleChunks;
import io.splitheap.samples.support.Partitions;
import io.splitheap.samples.support.Workers;

import java.util.Locale;

/**
 * Sum of all ranks and the highest-ranked vertices, found per partition and merged in partition order (ties go to
 * the lower id), so the summary is the same for any thread count.
 */
public final class RankSummary
{
    private final double sum;
    private final int[] topVertices;
    private final double[] topRanks;

    private RankSummary(final double sum, final int[] topVertices, final double[] topRanks)
    {
        this.sum = sum;
        this.topVertices = topVertices;
        this.topRanks = topRanks;
    }

    /**
     * Summarise ranks.
     *
     * @param ranks   to summarise.
     * @param parts   vertex partitions to scan in parallel.
     * @param top     how many of the highest ranks to keep.
     * @param threads to scan with.
     * @return the summary.
     */
    public static RankSummary of(final DoubleChunks ranks, final Partitions parts, final int top, final int threads)
    {
        final int keep = (int)Math.min(top, ranks.length());
        final double[] sums = new double[parts.count()];
        final int[][] vertices = new int[parts.count()][keep];
        final double[][] values = new double[parts.count()][keep];
        Workers.forEach(threads, parts.count(), (final int p) ->
        {
            int found = 0;
            double partial = 0;
            for (long v = parts.start(p), end = parts.end(p); v < end; v++)
            {
                final double rank = ranks.get(v);
                partial += rank;
                found = offer(vertices[p], values[p], found, (int)v, rank);
            }
            sums[p] = partial;
        });

        double sum = 0;
        final int[] topVertices = new int[keep];
        final double[] topRanks = new double[keep];
        int found = 0;
        for (int p = 0; p < parts.count(); p++)
        {
            sum += sums[p];
            final int inPart = (int)Math.min(keep, parts.end(p) - parts.start(p));
            for (int i = 0; i < inPart; i++)
            {
                found = offer(topVertices, topRanks, found, vertices[p][i], values[p][i]);
            }
        }
        return new RankSummary(sum, topVertices, topRanks);
    }

    /**
     * Sum of all ranks.
     *
     * @return the sum, about one.
     */
    public double sum()
    {
        return sum;
    }

    /**
     * The highest-ranked vertices, best first.
     *
     * @return vertex ids.
     */
    public int[] topVertices()
    {
        return topVertices.clone();
    }

    /**
     * One line for the progress output.
     *
     * @return e.g. {@code rank-sum=1.000000000 top3=0:1.2e-02,1:8.1e-03,5:2.0e-03}.
     */
    public String describe()
    {
        final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "rank-sum=%.9f top%d=",
            sum, topVertices.length));
        for (int i = 0; i < topVertices.length; i++)
        {
            line.append(i == 0 ? "" : ",").append(topVertices[i]).append(':')
                .append(String.format(Locale.ROOT, "%.6e", topRanks[i]));
        }
        return line.toString();
    }

    private static int offer(
        final int[] vertices, final double[] ranks, final int found, final int vertex, final double rank)
    {
        int i = found < vertices.length ? found : vertices.length;
        if (i == vertices.length && !better(vertex, rank, vertices[i - 1], ranks[i - 1]))
        {
            return found;
        }
        if (i == vertices.length)
        {
            i--;
        }
        while (i > 0 && better(vertex, rank, vertices[i - 1], ranks[i - 1]))
        {
            vertices[i] = vertices[i - 1];
            ranks[i] = ranks[i - 1];
            i--;
        }
        vertices[i] = vertex;
        ranks[i] = rank;
        return Math.min(found + 1, vertices.length);
    }

    private static boolean better(final int vertex, final double rank, final int otherVertex, final double otherRank)
    {
        return rank > otherRank || (rank == otherRank && vertex < otherVertex);
    }
}
