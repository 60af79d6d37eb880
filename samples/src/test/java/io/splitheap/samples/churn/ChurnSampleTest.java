package io.splitheap.samples.churn;

import io.splitheap.samples.SampleRun;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChurnSampleTest
{
    @Test
    void shouldGiveTheSameChecksumForAnyThreadCountAndAnotherForAnotherSeed()
    {
        final String one = SampleRun.checksumOf("churn", "--working-set", "2m", "--volume", "24m", "--threads", "1");
        assertEquals(one, SampleRun.checksumOf("churn", "--working-set", "2m", "--volume", "24m", "--threads", "3"));
        assertNotEquals(one, SampleRun.checksumOf("churn", "--working-set", "2m", "--volume", "24m", "--seed", "7"));
    }

    @Test
    void shouldAllocateTheVolumeWhileKeepingTheLiveSetNearTheWorkingSet()
    {
        final SampleRun run = SampleRun.run("churn", "--working-set", "4m", "--volume", "64m", "--threads", "2");
        assertEquals(0, run.status());
        final String churned = run.out().get(run.out().size() - 2);
        final java.util.regex.Matcher matcher =
            java.util.regex.Pattern.compile("churned arrays=(\\d+) peak-live-bytes=(\\d+)").matcher(churned);
        assertTrue(matcher.matches(), churned);
        assertEquals(run.ops(), Long.parseLong(matcher.group(1)));
        assertTrue(run.ops() > 64 * 2, "arrays: " + run.ops());
        assertTrue(Long.parseLong(matcher.group(2)) <= 4L << 20, churned);
    }

    @Test
    void shouldRefuseAVolumeBelowTheWorkingSet()
    {
        assertEquals(2, SampleRun.run("churn", "--working-set", "4m", "--volume", "1m").status());
    }
}
