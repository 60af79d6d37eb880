package io.splitheap.samples;

import io.splitheap.samples.churn.ChurnSample;
import io.splitheap.samples.columnscan.ColumnScanSample;
import io.splitheap.samples.kvstore.KvStoreSample;
import io.splitheap.samples.pagerank.PageRankSample;
import io.splitheap.samples.particles.ParticlesSample;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point: {@code java -jar samples.jar <sample> [options]}. Runs one sample and ends its output with the
 * sample's RESULT line. Usage errors print the usage text to stderr and exit with status 2.
 */
public final class Main
{
    /**
     * Exit status for a bad command line or {@code --help}.
     */
    public static final int USAGE_STATUS = 2;

    private static final List<Sample> SAMPLES = List.of(
        new PageRankSample(), new KvStoreSample(), new ColumnScanSample(), new ChurnSample(), new ParticlesSample());

    private Main()
    {
    }

    /**
     * Run a sample from the command line; exits only for usage errors.
     *
     * @param args sample name and options.
     */
    public static void main(final String[] args)
    {
        final int status = run(args, System.out, System.err);
        if (0 != status)
        {
            System.exit(status);
        }
    }

    /**
     * Run a sample in-process.
     *
     * @param args sample name and options.
     * @param out  for progress lines and the final RESULT line.
     * @param err  for usage errors.
     * @return 0 on success, {@link #USAGE_STATUS} for a bad command line or {@code --help}.
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        final SampleResult result;
        try
        {
            if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h"))
            {
                err.print(usage());
                err.flush();
                return USAGE_STATUS;
            }
            if (args.length == 0)
            {
                throw new UsageException("no sample given");
            }
            final Sample sample = find(args[0]);
            final SampleOptions options = SampleOptions.parse(sample, Arrays.copyOfRange(args, 1, args.length));
            result = sample.run(options, out);
        }
        catch (final UsageException ex)
        {
            err.println("error: " + ex.getMessage());
            err.print(usage());
            err.flush();
            return USAGE_STATUS;
        }
        out.println(result.line());
        out.flush();
        return 0;
    }

    /**
     * The usage text.
     *
     * @return several lines, each ending in a line separator.
     */
    public static String usage()
    {
        final StringBuilder text = new StringBuilder(1024);
        final String newline = System.lineSeparator();
        text.append("Usage: java -jar samples.jar <sample> [options]").append(newline).append(newline);
        text.append("Samples:").append(newline);
        for (final Sample sample : SAMPLES)
        {
            text.append(String.format("  %-12s %s", sample.name(), sample.summary())).append(newline);
        }
        text.append(newline).append("Common options:").append(newline);
        for (final OptionSpec spec : SampleOptions.COMMON)
        {
            text.append(spec.usageLine()).append(newline);
        }
        text.append(new OptionSpec("--help", "", "print this text and exit with status 2").usageLine()).append(newline);
        for (final Sample sample : SAMPLES)
        {
            text.append(newline).append(sample.name()).append(" options:").append(newline);
            for (final OptionSpec spec : sample.options())
            {
                text.append(spec.usageLine()).append(newline);
            }
        }
        text.append(newline).append("The last line of output is:").append(newline);
        text.append("  RESULT sample=<name> checksum=<16 hex digits> seconds=<measured phase> ops=<count>");
        return text.append(newline).toString();
    }

    private static Sample find(final String name)
    {
        for (final Sample sample : SAMPLES)
        {
            if (sample.name().equals(name))
            {
                return sample;
            }
        }
        throw new UsageException("unknown sample '" + name +
            "' (expected pagerank, kvstore, columnscan, churn or particles)");
    }
}
