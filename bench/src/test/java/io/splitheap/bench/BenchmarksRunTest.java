package io.splitheap.bench;

import io.splitheap.bench.hitpath.MicroBench;
import io.splitheap.bench.throughput.ThroughputBench;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every benchmark method once, briefly and in this JVM, so that benchmarks never rot; and the throughput
 * benchmark on a tiny working set.
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
            .param("objects", "65536")
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(200))
            .shouldFailOnError(true)
            .build();
        final Collection<RunResult> results = new Runner(options).run();
        assertEquals(12 * 3 + 2 + 3 * 2 + 2 * 2 + 3 + 6, results.size(),
            "every benchmark method ran (the hit path also as HitPathStatsBenchmark and HitPathMissedBenchmark; " +
            "miss latency and streaming over udp and ipc; the three of HitDecompositionBenchmark; the six of " +
            "FieldBenchmark)");
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
        final List<String> fieldLines = MicroBench.fieldLines("long", results.stream()
            .filter(result -> result.getParams().getBenchmark().contains("FieldBenchmark")).toList(),
            new PrintStream(OutputStream.nullOutputStream()));
        assertEquals(2, fieldLines.size(), fieldLines.toString());
        for (final String line : fieldLines)
        {
            assertTrue(line.matches("MICRO op=field-(read|write) type=long elements=65536 heap_ns=[0-9.]+ " +
                "rewritten_ratio=[0-9.]+ far_hit_ratio=[0-9.]+"), line);
        }
    }

    @Test
    void shouldRunTheThroughputBenchmarkAndWriteItsResults() throws Exception
    {
        final File out = new File("target/bench-test/throughput");
        final ByteArrayOutputStream lines = new ByteArrayOutputStream();
        final List<ThroughputBench.Cell> cells = ThroughputBench.run(new ThroughputBench.Options(
            List.of("columnscan"), List.of("100", "25"), List.of("ipc", "udp"), List.of("fifo"), "8m", 1, 1,
            List.of(), out), new PrintStream(lines, true, StandardCharsets.UTF_8),
            new PrintStream(OutputStream.nullOutputStream()));
        assertEquals(4, cells.size());
        final String printed = lines.toString(StandardCharsets.UTF_8);
        for (final String transport : new String[]{"ipc", "udp"})
        {
            assertTrue(printed.matches("(?s).*TRANSPORT channel=" + transport + " message_bytes=4096 " +
                "echo_p50_us=[0-9.]+ echo_p99_us=[0-9.]+ stream_mb_s=[0-9.]+\n.*"), printed);
            for (final String fraction : new String[]{"100", "25"})
            {
                assertTrue(printed.matches("(?s).*BENCH sample=columnscan fraction=" + fraction + " transport=" +
                    transport + " policy=fifo ratio_median=[0-9.]+ ratio_min=[0-9.]+ ratio_max=[0-9.]+ " +
                    "bound=[0-9.]+ efficiency=[0-9.]+\n.*"), printed);
            }
        }
        for (final ThroughputBench.Cell cell : cells)
        {
            assertTrue(cell.ratioMedian() > 0 && cell.bound() > 0 && cell.bound() <= 1, cell.line());
        }
        final String json = Files.readString(new File(out, "results.json").toPath());
        assertTrue(json.contains("\"git_commit\"") && json.contains("\"bytes_moved\"") &&
            json.contains("\"kind\" : \"heap\""), json);
        assertTrue(new File(out, "ratio.png").length() > 1000);
        assertTrue(Files.readString(new File(out, "results.md").toPath()).contains("| columnscan | 25 | udp |"));
        for (final String transport : new String[]{"ipc", "udp"})
        {
            assertTrue(java.util.regex.Pattern.compile("\"pages\" : [0-9]+,\\s*\"transport\" : \"" + transport + "\"")
                .matcher(json).find(), "the " + transport + " runs reached the memory nodes over " + transport + ": " +
                json);
        }
    }

    @Test
    void shouldRefuseATransportItDoesNotHave()
    {
        final IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () ->
            new ThroughputBench.Options(List.of("columnscan"), List.of("100"), List.of("rdma"), List.of("fifo"), "8m",
                1, 1, List.of(), new File("target")).validate());
        assertEquals("--transports: unknown transport 'rdma' (ipc, udp)", error.getMessage());
    }
}
