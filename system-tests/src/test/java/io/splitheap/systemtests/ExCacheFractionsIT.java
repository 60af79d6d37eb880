package io.splitheap.systemtests;

import io.splitheap.launcher.cluster.EmbeddedCluster;
import io.splitheap.testsupport.ForkedProcess;
import io.splitheap.testsupport.StatsLine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same program with an ExCache of 100%, 25% and 5% of its working set, under each eviction policy, computes
 * the same result; the smaller the cache, the more it misses.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ExCacheFractionsIT
{
    private static final String[] ARGS = {"columnscan", "--working-set", "32m", "--threads", "2"};
    private static EmbeddedCluster cluster;
    private static String expected;

    @BeforeAll
    static void start() throws Exception
    {
        cluster = FarRuns.cluster();
        expected = StatsLine.checksum(FarRuns.run("columnscan-heap", "512m", null, ARGS).stdout());
    }

    @AfterAll
    static void stop()
    {
        cluster.close();
    }

    @ParameterizedTest(name = "excache={0} policy={1}")
    @CsvSource({"36m, fifo", "8m, fifo", "1600k, fifo", "8m, lru", "1600k, lru", "8m, clock", "1600k, clock"})
    void shouldComputeTheSameResultAtEveryCacheSize(final String excache, final String policy) throws Exception
    {
        final ForkedProcess far = FarRuns.run("columnscan-" + excache + "-" + policy, "256m",
            cluster.agentOptions() + ",excache=" + excache + ",excache.policy=" + policy +
            ",stats=true", ARGS);
        assertEquals(expected, StatsLine.checksum(far.stdout()), "logs: " + far.logs());
        final StatsLine stats = StatsLine.in(far.stderr());
        if (excache.equals("36m"))
        {
            assertEquals(0, stats.number("evictions"), "the whole working set fits: " + stats.json());
        }
        else
        {
            assertTrue(stats.number("misses") > 0 && stats.number("writebacks") > 0, stats.json());
        }
    }
}
