package io.splitheap.samples.pagerank;

import io.splitheap.samples.SampleRun;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PageRankSampleTest
{
    @Test
    void shouldEndWithOneResultLineAndTheSameChecksumForEveryRunAndThreadCount()
    {
        SampleRun.assertDeterministic("pagerank", "4m", "--iterations", "3");
    }

    @Test
    void shouldCountEdgesRelaxedAsOps()
    {
        final SampleRun run = SampleRun.run("pagerank", "--working-set", "1m", "--iterations", "2");
        assertEquals(0, run.status());
        final String allocated = run.out().get(1);
        final long edges = Long.parseLong(allocated.substring(allocated.indexOf("edges=") + 6));
        assertEquals(2 * edges, run.ops());
    }

    @Test
    void shouldChangeChecksumWithIterations()
    {
        assertEquals(false, SampleRun.checksumOf("pagerank", "--working-set", "1m", "--iterations", "2")
            .equals(SampleRun.checksumOf("pagerank", "--working-set", "1m", "--iterations", "3")));
    }
}
