package io.splitheap.systemtests;

import io.splitheap.launcher.cluster.EmbeddedCluster;
import io.splitheap.testsupport.ForkedProcess;
import io.splitheap.testsupport.StatsLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Far object fields, as a user runs them: the particles sample (932,067 objects with nine primitive fields each) in a
 * heap too small for their fields, through the shaded agent with {@code far.classes=} naming its package and an
 * ExCache of a quarter of the fields. It must give the checksum of a large-heap run without the agent, and the stats
 * must show every particle's fields far and read back after evictions.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ParticlesIT
{
    private static final long WORKING_SET = 64L << 20;
    private static final long PARTICLES = WORKING_SET / 72;
    private static final String[] ARGS = {"particles", "--working-set", Long.toString(WORKING_SET), "--threads", "2",
        "--steps", "4"};

    @Test
    void shouldRunObjectsWhoseFieldsDoNotFitTheHeapWithTheirFieldsFar() throws Exception
    {
        final String expected = StatsLine.checksum(FarRuns.run("particles-heap", "512m", null, ARGS).stdout());

        final ForkedProcess small = FarRuns.start("particles-small-heap", "64m", null, ARGS);
        assertNotEquals(0, small.waitFor(5, TimeUnit.MINUTES), "the fields do not fit a 64 MiB heap");
        assertTrue(small.stderr().contains("OutOfMemoryError"), small.stderr());

        try (EmbeddedCluster cluster = FarRuns.cluster())
        {
            final ForkedProcess far = FarRuns.run("particles-far", "64m", cluster.agentOptions() +
                ",excache=16m,stats=true,far.classes=io.splitheap.samples.particles.*", ARGS);
            assertEquals(expected, StatsLine.checksum(far.stdout()), "checksum with the agent; logs: " + far.logs());
            final StatsLine stats = StatsLine.in(far.stderr());
            assertEquals(PARTICLES, stats.number("far_objects"), stats.json());
            assertEquals(PARTICLES * 72, stats.number("far_object_bytes"), stats.json());
            assertTrue(stats.number("evictions") > 0 && stats.number("misses") + stats.number("prefetches") > 0,
                "the fields went far and came back: " + stats.json());
        }
    }
}
