package io.splitheap.bench.throughput;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The files {@code bench throughput} leaves: {@code results.json} (every run with its options, the JDK and the git
 * commit, and every cell), {@code results.md} (a table of the cells) and {@code ratio.png} (ratio to the heap runs
 * against the local fraction, one line per sample, transport and policy).
 */
final class ThroughputReport
{
    private ThroughputReport()
    {
    }

    static void write(
        final ThroughputBench.Options options,
        final Map<String, TransportProbe> transports,
        final List<ThroughputBench.Run> runs,
        final List<ThroughputBench.Cell> cells) throws IOException
    {
        final Map<String, Object> json = new LinkedHashMap<>();
        final Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("samples", options.samples());
        meta.put("fractions", options.fractions());
        meta.put("transports", options.transports());
        meta.put("policies", options.policies());
        meta.put("working_set", options.workingSet());
        meta.put("threads", options.threads());
        meta.put("repeats", options.repeats());
        meta.put("extra", options.extra());
        meta.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        meta.put("git_commit", gitCommit());
        meta.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("options", meta);
        json.put("transports", new ArrayList<>(transports.values()));
        final List<Map<String, Object>> runList = new ArrayList<>();
        for (final ThroughputBench.Run run : runs)
        {
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("sample", run.sample());
            entry.put("kind", run.kind());
            entry.put("fraction", run.fraction());
            entry.put("transport", run.transport());
            entry.put("policy", run.policy());
            entry.put("repeat", run.repeat());
            entry.put("checksum", run.checksum());
            entry.put("seconds", run.seconds());
            entry.put("ops", run.ops());
            entry.put("bytes_moved", run.bytesMoved());
            entry.put("stats", run.stats() == null ? null : new ObjectMapper().readTree(run.stats()));
            runList.add(entry);
        }
        json.put("runs", runList);
        json.put("cells", cells);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .writeValue(new File(options.out(), "results.json"), json);
        Files.writeString(new File(options.out(), "results.md").toPath(), markdown(transports, cells),
            StandardCharsets.UTF_8);
        chart(options, cells);
    }

    private static String markdown(final Map<String, TransportProbe> transports,
        final List<ThroughputBench.Cell> cells)
    {
        final StringBuilder text = new StringBuilder();
        text.append("| transport | message bytes | echo p50 µs | echo p99 µs | stream MB/s |\n|---|---|---|---|---|\n");
        for (final TransportProbe probe : transports.values())
        {
            text.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f |%n", probe.channel(),
                probe.messageBytes(), probe.echoP50Us(), probe.echoP99Us(), probe.streamMbPerS()));
        }
        text.append("\n| sample | local % | transport | policy | ratio (median) | min | max | bound | efficiency |\n")
            .append("|---|---|---|---|---|---|---|---|---|\n");
        for (final ThroughputBench.Cell cell : cells)
        {
            text.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.3f | %.3f | %.3f | %.3f | %.3f |%n",
                cell.sample(), cell.fraction(), cell.transport(), cell.policy(), cell.ratioMedian(), cell.ratioMin(),
                cell.ratioMax(), cell.bound(), cell.efficiency()));
        }
        return text.toString();
    }

    private static void chart(final ThroughputBench.Options options, final List<ThroughputBench.Cell> cells)
        throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        final XYChart chart = new XYChartBuilder().width(900).height(560)
            .title("Throughput with far memory / without the agent (" + options.workingSet() + ", " +
                options.threads() + " threads)")
            .xAxisTitle("ExCache, % of the working set").yAxisTitle("ratio").build();
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(Math.max(1.0, cells.stream().mapToDouble(ThroughputBench.Cell::ratioMedian)
            .max().orElse(1.0)));
        chart.getStyler().setYAxisDecimalPattern("0.00");
        chart.getStyler().setXAxisDecimalPattern("0.#");
        final Map<String, List<ThroughputBench.Cell>> series = new LinkedHashMap<>();
        for (final ThroughputBench.Cell cell : cells)
        {
            series.computeIfAbsent(cell.sample() + " " + cell.transport() + " " + cell.policy(),
                ignored -> new ArrayList<>()).add(cell);
        }
        for (final Map.Entry<String, List<ThroughputBench.Cell>> entry : series.entrySet())
        {
            final double[] x = entry.getValue().stream().mapToDouble(cell -> Double.parseDouble(cell.fraction()))
                .toArray();
            final double[] y = entry.getValue().stream().mapToDouble(ThroughputBench.Cell::ratioMedian).toArray();
            chart.addSeries(entry.getKey(), x, y);
        }
        BitmapEncoder.saveBitmap(chart, new File(options.out(), "ratio").getPath(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static String gitCommit()
    {
        try
        {
            final Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            final String commit = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return git.waitFor(10, TimeUnit.SECONDS) && git.exitValue() == 0 ? commit : "unknown";
        }
        catch (final IOException ex)
        {
            return "unknown";
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
