package io.splitheap.systemtests;

import io.splitheap.launcher.cluster.EmbeddedCluster;
import io.splitheap.testsupport.ForkedProcess;
import io.splitheap.testsupport.StatsLine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each sample, with a heap too small for its data, through the shaded agent on a two-node cluster, gives the
 * checksum of a run without the agent; its arrays were far, lines missed, and both memory nodes held its pages.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class SamplesOnFarMemoryIT
{
    private static final long WORKING_SET = 64L << 20;
    private static EmbeddedCluster cluster;

    @BeforeAll
    static void startCluster()
    {
        cluster = FarRuns.cluster();
    }

    @AfterAll
    static void stopCluster()
    {
        cluster.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "pagerank, --iterations, 3",
        "kvstore, --ops, 200000",
        "columnscan, --queries, 2"})
    void shouldGiveTheSameChecksumFromFarMemoryWithTheHeapTooSmall(
        final String sample, final String option, final String value) throws Exception
    {
        final String[] args = {sample, "--working-set", "64m", "--threads", "2", option, value};
        final String expected = StatsLine.checksum(FarRuns.run(sample + "-heap", "512m", null, args).stdout());
        final ForkedProcess far = FarRuns.run(sample + "-far", "32m",
            cluster.agentOptions() + ",excache=8m,stats=true", args);
        assertEquals(expected, StatsLine.checksum(far.stdout()), "checksum with the agent; logs: " + far.logs());
        final StatsLine stats = StatsLine.in(far.stderr());
        assertTrue(stats.number("far_bytes") >= WORKING_SET * 9 / 10, "far_bytes in " + stats.json());
        assertTrue(stats.number("misses") > 0, "misses in " + stats.json());
        assertTrue(stats.number("evictions") > 0, "evictions in " + stats.json());
        final List<Long> pages = stats.nodePages();
        assertEquals(2, pages.size(), "two memory nodes in " + stats.json());
        assertTrue(pages.get(0) > 0 && pages.get(1) > 0, "both memory nodes hold pages: " + stats.json());
    }

    @Test
    void shouldRunOutOfHeapWithoutTheAgent() throws Exception
    {
        final ForkedProcess heap = FarRuns.start("pagerank-oom", "32m", null, "pagerank", "--working-set", "64m");
        assertNotEquals(0, heap.waitFor(5, TimeUnit.MINUTES));
        assertTrue(heap.stderr().contains("java.lang.OutOfMemoryError"), heap.stderr());
    }
}
