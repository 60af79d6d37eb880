package io.splitheap.samples;

import java.io.PrintStream;
import java.util.List;

/**
 * A workload: generates its data, runs a measured phase and reports a checksum over all of its data.
 */
public interface Sample
{
    /**
     * Name used on the command line and in the RESULT line.
     *
     * @return the name.
     */
    String name();

    /**
     * One line describing the sample for the usage text.
     *
     * @return the summary.
     */
    String summary();

    /**
     * Options beyond the common ones.
     *
     * @return the sample's own options.
     */
    List<OptionSpec> options();

    /**
     * Validate the options, generate the data, run the measured phase and print progress lines. Options are
     * validated before anything is printed or allocated.
     *
     * @param options parsed command line.
     * @param out     for progress lines.
     * @return the result to report.
     * @throws UsageException if an option value is not acceptable.
     */
    SampleResult run(SampleOptions options, PrintStream out);
}
