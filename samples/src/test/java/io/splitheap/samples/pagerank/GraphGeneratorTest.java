package io.splitheap.samples.pagerank;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GraphGeneratorTest
{
    private static final long BUDGET = 4L << 20;

    @Test
    void shouldFillTheBudgetWithAllArraysIncludingRanks()
    {
        final Graph graph = GraphGenerator.generate(BUDGET, 42, 2);
        final long bytes = Long.BYTES + graph.vertexCount() * GraphGenerator.BYTES_PER_VERTEX +
            graph.edgeCount() * GraphGenerator.BYTES_PER_EDGE;
        assertTrue(bytes <= BUDGET && bytes > BUDGET - GraphGenerator.BYTES_PER_VERTEX -
            GraphGenerator.MAX_IN_DEGREE * GraphGenerator.BYTES_PER_EDGE, "bytes=" + bytes);
    }

    @Test
    void shouldBuildConsistentCompressedSparseRows()
    {
        final Graph graph = GraphGenerator.generate(BUDGET, 42, 3);
        final int n = graph.vertexCount();
        final int[] outDegrees = new int[n];
        assertEquals(0, graph.offsets().get(0));
        assertEquals(graph.edgeCount(), graph.offsets().get(n));
        for (int v = 0; v < n; v++)
        {
            final long degree = graph.offsets().get(v + 1) - graph.offsets().get(v);
            assertTrue(degree >= 1 && degree <= GraphGenerator.MAX_IN_DEGREE, "degree " + degree);
        }
        for (long e = 0; e < graph.edgeCount(); e++)
        {
            outDegrees[graph.sources().get(e)]++;
        }
        for (int v = 0; v < n; v++)
        {
            assertEquals(outDegrees[v], graph.outDegrees().get(v));
        }
    }

    @Test
    void shouldDrawMostSourcesNearbyAndTheRestFromHubs()
    {
        final Graph graph = GraphGenerator.generate(BUDGET, 42, 2);
        final int n = graph.vertexCount();
        long near = 0;
        long hub = 0;
        for (int v = 0; v < n; v++)
        {
            for (long e = graph.offsets().get(v); e < graph.offsets().get(v + 1); e++)
            {
                final int source = graph.sources().get(e);
                if (Math.abs(source - v) <= GraphGenerator.LOCAL_WINDOW)
                {
                    near++;
                }
                else if (source < n / 256)
                {
                    hub++;
                }
            }
        }
        assertEquals(graph.edgeCount(), near + hub);
        assertTrue(hub > graph.edgeCount() / 10 && hub < graph.edgeCount() / 7, "hub edges " + hub);
    }

    @Test
    void shouldHavePowerLawInDegrees()
    {
        final Graph graph = GraphGenerator.generate(BUDGET, 42, 1);
        long atLeast10 = 0;
        long atLeast100 = 0;
        for (int v = 0; v < graph.vertexCount(); v++)
        {
            final long degree = graph.offsets().get(v + 1) - graph.offsets().get(v);
            atLeast10 += degree >= 10 ? 1 : 0;
            atLeast100 += degree >= 100 ? 1 : 0;
        }
        final double ratio = (double)atLeast10 / atLeast100;
        assertTrue(ratio > 7 && ratio < 13, "P(d >= 10) / P(d >= 100) = " + ratio);
    }

    @Test
    void shouldGenerateTheSameGraphForAnyThreadCount()
    {
        final Graph one = GraphGenerator.generate(BUDGET, 11, 1);
        final Graph three = GraphGenerator.generate(BUDGET, 11, 3);
        assertEquals(one.edgeCount(), three.edgeCount());
        for (long e = 0; e < one.edgeCount(); e++)
        {
            assertEquals(one.sources().get(e), three.sources().get(e));
        }
    }
}
