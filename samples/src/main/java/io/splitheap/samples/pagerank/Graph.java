package io.splitheap.samples.pagerank;

import io.splitheap.samples.support.ChunkedArray;
import io.splitheap.samples.support.IntChunks;
import io.splitheap.samples.support.LongChunks;

/**
 * A directed graph in compressed sparse row form by target, for pull-based PageRank: the in-edges of vertex
 * {@code v} are {@code sources[offsets[v] .. offsets[v + 1])}, and {@code outDegrees[u]} counts the edges leaving
 * {@code u}. Parallel edges and self-loops are allowed. Offsets are longs because big graphs have more than 2^31
 * edges.
 */
public final class Graph
{
    private final int vertexCount;
    private final long edgeCount;
    private final LongChunks offsets;
    private final IntChunks sources;
    private final IntChunks outDegrees;

    /**
     * Wrap arrays that already hold a graph.
     *
     * @param offsets    {@code vertexCount + 1} non-decreasing edge offsets, starting at 0.
     * @param sources    source vertex of each edge, grouped by target.
     * @param outDegrees out-degree of each vertex.
     */
    public Graph(final LongChunks offsets, final IntChunks sources, final IntChunks outDegrees)
    {
        if (offsets.length() != outDegrees.length() + 1 || outDegrees.length() > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("inconsistent graph arrays: offsets=" + offsets.length() +
                " outDegrees=" + outDegrees.length());
        }
        this.vertexCount = (int)outDegrees.length();
        this.edgeCount = sources.length();
        this.offsets = offsets;
        this.sources = sources;
        this.outDegrees = outDegrees;
    }

    /**
     * Build a graph from in-edge lists, computing offsets and out-degrees. For tests and tiny inputs.
     *
     * @param inEdges {@code inEdges[v]} lists the sources of the edges into {@code v}.
     * @return the graph.
     */
    public static Graph ofInEdges(final int[][] inEdges)
    {
        long edges = 0;
        for (final int[] list : inEdges)
        {
            edges += list.length;
        }
        final LongChunks offsets = new LongChunks(inEdges.length + 1L);
        final IntChunks sources = new IntChunks(edges);
        final IntChunks outDegrees = new IntChunks(inEdges.length);
        long e = 0;
        for (int v = 0; v < inEdges.length; v++)
        {
            for (final int u : inEdges[v])
            {
                sources.set(e++, u);
                outDegrees.set(u, outDegrees.get(u) + 1);
            }
            offsets.set(v + 1, e);
        }
        return new Graph(offsets, sources, outDegrees);
    }

    /**
     * Number of vertices.
     *
     * @return the count.
     */
    public int vertexCount()
    {
        return vertexCount;
    }

    /**
     * Number of edges.
     *
     * @return the count.
     */
    public long edgeCount()
    {
        return edgeCount;
    }

    /**
     * Edge offsets by target, {@code vertexCount + 1} of them.
     *
     * @return the offsets.
     */
    public LongChunks offsets()
    {
        return offsets;
    }

    /**
     * Source of each edge, grouped by target.
     *
     * @return the sources.
     */
    public IntChunks sources()
    {
        return sources;
    }

    /**
     * Out-degree of each vertex.
     *
     * @return the out-degrees.
     */
    public IntChunks outDegrees()
    {
        return outDegrees;
    }

    /**
     * The graph's arrays in checksum order.
     *
     * @return offsets, sources and out-degrees.
     */
    public ChunkedArray[] arrays()
    {
        return new ChunkedArray[]{ offsets, sources, outDegrees };
    }
}
