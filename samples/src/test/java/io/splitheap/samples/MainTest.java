package io.splitheap.samples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest
{
    @Test
    void shouldPrintUsageToStderrAndExitWithTwoForHelp()
    {
        final SampleRun run = SampleRun.run("pagerank", "--help");
        assertEquals(Main.USAGE_STATUS, run.status());
        assertTrue(run.out().isEmpty());
        assertTrue(run.err().startsWith("Usage: java -jar samples.jar <sample> [options]"), run.err());
        assertTrue(run.err().contains("--iterations N"));
        assertTrue(run.err().contains("--workload a|b"));
        assertTrue(run.err().contains("--queries N"));
    }

    @Test
    void shouldRejectMissingSample()
    {
        assertUsageError("no sample given");
    }

    @Test
    void shouldRejectUnknownSampleNamingIt()
    {
        assertUsageError("unknown sample 'graphs'", "graphs");
    }

    @Test
    void shouldRejectUnknownOptionNamingIt()
    {
        assertUsageError("unknown option '--fast' for sample 'kvstore'", "kvstore", "--fast", "1");
    }

    @Test
    void shouldRejectOptionOfAnotherSample()
    {
        assertUsageError("unknown option '--iterations' for sample 'columnscan'", "columnscan", "--iterations", "2");
    }

    @Test
    void shouldRejectStrayArgument()
    {
        assertUsageError("unexpected argument 'now' for sample 'pagerank'", "pagerank", "now");
    }

    @Test
    void shouldRejectOptionWithoutValue()
    {
        assertUsageError("option --threads needs a value", "pagerank", "--threads");
    }

    @Test
    void shouldRejectRepeatedOption()
    {
        assertUsageError("option --seed given more than once", "pagerank", "--seed", "1", "--seed=2");
    }

    @Test
    void shouldRejectBadSizeNamingIt()
    {
        assertUsageError("bad size for --working-set: '1q'", "kvstore", "--working-set", "1q");
        assertUsageError("bad size for --working-set: '63'", "kvstore", "--working-set", "63");
        assertUsageError("bad size for --working-set: '2t'", "kvstore", "--working-set", "2t");
    }

    @Test
    void shouldRejectBadNumbersNamingTheOption()
    {
        assertUsageError("bad value for --threads: '0'", "pagerank", "--threads", "0");
        assertUsageError("bad value for --threads: 'two'", "pagerank", "--threads", "two");
        assertUsageError("bad value for --seed: '1.5'", "pagerank", "--seed", "1.5");
        assertUsageError("bad value for --iterations: '-1'", "pagerank", "--iterations", "-1");
        assertUsageError("bad value for --ops: 'many'", "kvstore", "--ops", "many");
        assertUsageError("bad value for --workload: 'c'", "kvstore", "--workload", "c");
        assertUsageError("bad value for --queries: '0'", "columnscan", "--queries", "0");
    }

    @Test
    void shouldAcceptEqualsForm()
    {
        final SampleRun run = SampleRun.run("columnscan", "--working-set=64k", "--threads=2", "--queries=1");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().get(0).startsWith("columnscan: working-set=65536 threads=2 seed=42"), run.out().get(0));
    }

    @Test
    void shouldRunEverySampleOnTinyWorkingSets()
    {
        for (final String sample : new String[]{ "pagerank", "kvstore", "columnscan" })
        {
            for (final String size : new String[]{ "64", "123", "1k" })
            {
                assertTrue(SampleRun.checksumOf(sample, "--working-set", size, "--threads", "3").length() == 16);
            }
        }
    }

    private static void assertUsageError(final String message, final String... args)
    {
        final SampleRun run = SampleRun.run(args);
        assertEquals(Main.USAGE_STATUS, run.status());
        assertTrue(run.out().isEmpty(), String.valueOf(run.out()));
        assertTrue(run.err().startsWith("error: " + message), run.err());
        assertTrue(run.err().contains("Usage: "), run.err());
    }
}
