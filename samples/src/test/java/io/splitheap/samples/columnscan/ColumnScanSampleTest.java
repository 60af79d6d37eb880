package io.splitheap.samples.columnscan;

import io.splitheap.samples.SampleRun;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ColumnScanSampleTest
{
    @Test
    void shouldEndWithOneResultLineAndTheSameChecksumForEveryRunAndThreadCount()
    {
        SampleRun.assertDeterministic("columnscan", "8m", "--queries", "4");
    }

    @Test
    void shouldCountRowsOfEveryQueryAsOps()
    {
        final SampleRun run = SampleRun.run("columnscan", "--working-set", "480k", "--queries", "5");
        assertEquals(0, run.status());
        assertEquals(10_240L * 6, run.ops());
    }

    @Test
    void shouldChangeChecksumWithQueries()
    {
        assertTrue(!SampleRun.checksumOf("columnscan", "--working-set", "1m", "--queries", "1")
            .equals(SampleRun.checksumOf("columnscan", "--working-set", "1m", "--queries", "2")));
    }
}
