package io.splitheap.systemtests;

import io.splitheap.launcher.cluster.EmbeddedCluster;
import io.splitheap.testsupport.ForkedProcess;
import io.splitheap.testsupport.StatsLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Far memory follows live data: the churn sample, through the shaded agent, allocates and drops arrays of mixed
 * types and sizes until ten times the cluster's capacity has passed through, with a live set of 16 MiB. It must give
 * the checksum of a run without the agent, keep far bytes within the live set plus one ExCache, and never write a
 * dead array's line back (its live set fits in the ExCache, so every write-back would be of a dead line).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ChurnIT
{
    private static final long NODE_CAPACITY = 96L << 20;
    private static final long EXCACHE = 64L << 20;
    private static final long LIVE = 16L << 20;

    @Test
    void shouldPassTenTimesTheClusterCapacityThroughWithTheLiveSetOnly() throws Exception
    {
        final long volume = 10 * 2 * NODE_CAPACITY;
        final String[] args = {"churn", "--working-set", Long.toString(LIVE), "--volume", Long.toString(volume),
            "--threads", "2"};
        final String expected = StatsLine.checksum(FarRuns.run("churn-heap", "256m", null, args).stdout());
        try (EmbeddedCluster cluster = EmbeddedCluster.start(new EmbeddedCluster.Context()
            .memoryNodes(2).memoryNodeCapacity(NODE_CAPACITY)))
        {
            final ForkedProcess far = FarRuns.run("churn-far", "64m",
                cluster.agentOptions() + ",excache=" + EXCACHE + ",stats=true", args);
            assertEquals(expected, StatsLine.checksum(far.stdout()), "checksum with the agent; logs: " + far.logs());
            final StatsLine stats = StatsLine.in(far.stderr());
            assertTrue(stats.number("far_bytes") >= volume * 9 / 10, "far_bytes in " + stats.json());
            assertTrue(stats.number("peak_far_bytes") <= LIVE + EXCACHE, "peak far bytes in " + stats.json());
            // Forced GCs are capped at half the elapsed time, so on a loaded machine the ExCache can fill before a
            // GC finds the latest dead arrays, and batches of their lines are written back. Run alone the test writes
            // back 0-256 lines; during a full build on 2 cores up to 6,016 of 491,520 (1.2%, 2026-12-01), which
            // failed the earlier bound of 1% in CI. Bounded at 3%: without the reclaimer's GCs nearly every line
            // written would be written back, so this still fails when dead lines are not dropped.
            assertTrue(stats.number("writebacks") <= stats.number("zero_fills") * 3 / 100,
                "write-backs of dead lines in " + stats.json());
            assertTrue(stats.number("dead_lines_dropped") >= stats.number("zero_fills") * 9 / 10,
                "dirty lines of dead arrays were dropped: " + stats.json());
            assertTrue(stats.number("forced_gcs") > 0, stats.json());
        }
    }
}
