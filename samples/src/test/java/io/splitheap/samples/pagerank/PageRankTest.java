package io.splitheap.samples.pagerank;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PageRankTest
{
    @Test
    void shouldGiveEqualRanksOnACycle()
    {
        final Graph cycle = Graph.ofInEdges(new int[][]{ { 2 }, { 0 }, { 1 } });
        final double[] ranks = ranks(cycle, 10, 1);
        for (final double rank : ranks)
        {
            assertEquals(1.0 / 3, rank, 1e-15);
        }
    }

    @Test
    void shouldMatchReferenceOnGraphWithDanglingVertexAndParallelEdges()
    {
        // 0 -> 1, 0 -> 1, 1 -> 2, 2 -> 0, 2 -> 3, 3 -> 3 (self-loop), 4 -> 0, 4 -> 2; 1 is the only in-edge of
        // vertex 5 and vertex 5 has no out-edges (dangling).
        final Graph graph = Graph.ofInEdges(new int[][]{ { 2, 4 }, { 0, 0 }, { 1, 4 }, { 2, 3 }, {}, { 1 } });
        final double[] expected = reference(graph, 20);
        assertArrayEquals(expected, ranks(graph, 20, 1), 1e-15);
        assertArrayEquals(expected, ranks(graph, 20, 3), 1e-15);
        assertEquals(1.0, sum(expected), 1e-12);
    }

    @Test
    void shouldMatchReferenceOnGeneratedGraph()
    {
        final Graph graph = GraphGenerator.generate(256 * 1024, 9, 2);
        final double[] expected = reference(graph, 5);
        assertArrayEquals(expected, ranks(graph, 5, 2), 1e-15);
        assertEquals(1.0, sum(expected), 1e-6);
    }

    @Test
    void shouldKeepRanksSummingToOneAndIdenticalForAnyThreadCount()
    {
        final Graph graph = GraphGenerator.generate(2 * 1024 * 1024, 5, 2);
        final double[] single = ranks(graph, 6, 1);
        assertEquals(1.0, sum(single), 1e-6);
        for (final int threads : new int[]{ 2, 3 })
        {
            final double[] ranks = ranks(graph, 6, threads);
            for (int v = 0; v < single.length; v++)
            {
                assertEquals(Double.doubleToRawLongBits(single[v]), Double.doubleToRawLongBits(ranks[v]));
            }
        }
    }

    @Test
    void shouldReportSumAndTopVertices()
    {
        final Graph graph = GraphGenerator.generate(1024 * 1024, 3, 1);
        final PageRank pageRank = new PageRank(graph, 2);
        pageRank.initialise();
        pageRank.iterate();
        final double[] ranks = ranks(graph, 1, 1);
        final RankSummary summary = RankSummary.of(pageRank.ranks(), pageRank.partitions(), 3, 2);
        assertEquals(sum(ranks), summary.sum(), 1e-12);

        final int[] top = summary.topVertices();
        for (int v = 0; v < ranks.length; v++)
        {
            if (v != top[0] && v != top[1] && v != top[2])
            {
                assertEquals(true, ranks[v] <= ranks[top[2]], "vertex " + v);
            }
        }
        assertEquals(true, ranks[top[0]] >= ranks[top[1]] && ranks[top[1]] >= ranks[top[2]]);
    }

    private static double[] ranks(final Graph graph, final int iterations, final int threads)
    {
        final PageRank pageRank = new PageRank(graph, threads);
        pageRank.initialise();
        for (int i = 0; i < iterations; i++)
        {
            assertEquals(graph.edgeCount(), pageRank.iterate());
        }
        final double[] ranks = new double[graph.vertexCount()];
        for (int v = 0; v < ranks.length; v++)
        {
            ranks[v] = pageRank.ranks().get(v);
        }
        return ranks;
    }

    /**
     * Textbook power iteration over an edge list, dangling rank spread evenly.
     */
    private static double[] reference(final Graph graph, final int iterations)
    {
        final int n = graph.vertexCount();
        final int[] outDegree = new int[n];
        final int[] edgeSource = new int[(int)graph.edgeCount()];
        final int[] edgeTarget = new int[edgeSource.length];
        for (int v = 0, e = 0; v < n; v++)
        {
            for (long i = graph.offsets().get(v); i < graph.offsets().get(v + 1); i++, e++)
            {
                edgeSource[e] = graph.sources().get(i);
                edgeTarget[e] = v;
                outDegree[edgeSource[e]]++;
            }
        }
        double[] rank = new double[n];
        Arrays.fill(rank, 1.0 / n);
        for (int iteration = 0; iteration < iterations; iteration++)
        {
            double dangling = 0;
            for (int v = 0; v < n; v++)
            {
                dangling += outDegree[v] == 0 ? rank[v] : 0;
            }
            final double[] sums = new double[n];
            for (int e = 0; e < edgeSource.length; e++)
            {
                sums[edgeTarget[e]] += rank[edgeSource[e]] / outDegree[edgeSource[e]];
            }
            final double[] next = new double[n];
            for (int v = 0; v < n; v++)
            {
                next[v] = (1 - PageRank.DAMPING) / n + PageRank.DAMPING * (dangling / n + sums[v]);
            }
            rank = next;
        }
        return rank;
    }

    private static double sum(final double[] values)
    {
        double sum = 0;
        for (final double value : values)
        {
            sum += value;
        }
        return sum;
    }
}
