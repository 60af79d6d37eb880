package io.splitheap.bench.throughput;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThroughputBenchTest
{
    private static final long LINE = 4096;

    @Test
    void shouldGiveEveryLineOfAFullWorkingSetAFrameWithRoomForThePartialLastLinesOfItsArrays()
    {
        final long workingSet = 256L << 20;
        final long excache = ThroughputBench.excacheBytes(workingSet, 100);
        assertEquals(workingSet + ThroughputBench.SLACK_LINES * LINE, excache);
        // pagerank's 7 arrays take 65,538 lines of a 256 MiB working set
        assertTrue(excache / LINE >= 65_538);
    }

    @Test
    void shouldRoundAFractionUpToWholeLines()
    {
        assertEquals((2_049 + ThroughputBench.SLACK_LINES) * LINE, ThroughputBench.excacheBytes(64L << 20, 12.5001));
        assertEquals((8_192 + ThroughputBench.SLACK_LINES) * LINE, ThroughputBench.excacheBytes(256L << 20, 12.5));
    }

    @Test
    void shouldNeverGoBelowSixtyFourLines()
    {
        assertEquals(64 * LINE, ThroughputBench.excacheBytes(0, 25));
        assertEquals((1 + ThroughputBench.SLACK_LINES) * LINE, ThroughputBench.excacheBytes(1, 25));
    }
}
