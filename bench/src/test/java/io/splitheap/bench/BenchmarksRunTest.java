package io.splitheap.bench;

import io.splitheap.bench.hitpath.MicroBench;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every benchmark method once, briefly and in this JVM, so that benchmarks never rot; and the throughput
 * harness on a tiny working set.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class BenchmarksRunTest
{
    @Test
    void shouldRunEveryBenchmarkMethod() throws Exception
    {
        final Options options = new OptionsBuilder()
            .include("io\\.splitheap\\.bench\\..*Benchmark")
            .param("type", "long")
            .param("elements", "65536")
            .param("bytes", "65536")
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(200))
            .shouldFailOnError(true)
            .build();
        final Collection<RunResult> results = new Runner(options).run();
        assertEquals(12 + 2 + 3, results.size(), "every benchmark method ran");
        for (final RunResult result : results)
        {
            assertTrue(result.getPrimaryResult().getScore() > 0, result.getParams().getBenchmark());
        }
        final List<String> lines = MicroBench.lines("long", results.stream()
            .filter(result -> result.getParams().getBenchmark().contains("HitPathBenchmark")).toList(),
            new PrintStream(OutputStream.nullOutputStream()));
        assertEquals(4, lines.size(), lines.toString());
        for (final String line : lines)
        {
            assertTrue(line.matches("MICRO op=(seq|rand)-(read|write) type=long elements=65536 heap_ns=[0-9.]+ " +
                "rewritten_ratio=[0-9.]+ far_hit_ratio=[0-9.]+"), line);
        }
    }

    @Test
    void shouldProduceAThroughputTable() throws Exception
    {
        final String table = ThroughputHarness.run("8m", 1, new String[]{"100", "25"}, new String[]{"columnscan"},
            "");
        assertTrue(table.startsWith("| sample | heap ops/s | ExCache 100% | ExCache 25% |"), table);
        assertTrue(table.matches("(?s).*\\| columnscan \\| [0-9.e+]+ \\| [0-9.]+ \\| [0-9.]+ \\|\\n"), table);
    }
}
