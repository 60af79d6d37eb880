package io.splitheap.samples.kvstore;

import io.splitheap.samples.SampleRun;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KvStoreSampleTest
{
    @Test
    void shouldEndWithOneResultLineAndTheSameChecksumForEveryRunAndThreadCount()
    {
        SampleRun.assertDeterministic("kvstore", "4m", "--ops", "100000");
    }

    @Test
    void shouldBeDeterministicForWorkloadB()
    {
        SampleRun.assertDeterministic("kvstore", "2m", "--ops", "50000", "--workload", "b");
    }

    @Test
    void shouldReportReadsPlusUpdatesAsOpsAndAllReadsHit()
    {
        final SampleRun run = SampleRun.run("kvstore", "--working-set", "1m", "--ops", "12345", "--threads", "2");
        assertEquals(0, run.status());
        assertEquals(12345, run.ops());
        final String ran = run.out().get(run.out().size() - 2);
        assertTrue(ran.matches("ran reads=([0-9]+) read-hits=\\1 updates=[0-9]+"), ran);
    }

    @Test
    void shouldChangeChecksumWithWorkload()
    {
        assertTrue(!SampleRun.checksumOf("kvstore", "--working-set", "1m", "--ops", "5000", "--workload", "a")
            .equals(SampleRun.checksumOf("kvstore", "--working-set", "1m", "--ops", "5000", "--workload", "b")));
    }
}
