package io.splitheap.samples;

import io.splitheap.samples.support.Checksum;

import java.util.Locale;

/**
 * What a sample reports on its last line of output.
 */
public final class SampleResult
{
    private final String sample;
    private final long checksum;
    private final long measuredNanos;
    private final long ops;

    /**
     * A result.
     *
     * @param sample        name of the sample.
     * @param checksum      hash over all of the sample's final data.
     * @param measuredNanos wall time of the measured phase.
     * @param ops           operations performed in the measured phase.
     */
    public SampleResult(final String sample, final long checksum, final long measuredNanos, final long ops)
    {
        this.sample = sample;
        this.checksum = checksum;
        this.measuredNanos = measuredNanos;
        this.ops = ops;
    }

    /**
     * The checksum.
     *
     * @return the hash over all of the sample's final data.
     */
    public long checksum()
    {
        return checksum;
    }

    /**
     * Operations in the measured phase.
     *
     * @return the count.
     */
    public long ops()
    {
        return ops;
    }

    /**
     * The RESULT line: {@code RESULT sample=<name> checksum=<16 hex> seconds=<decimal> ops=<integer>}.
     *
     * @return the line without a line terminator.
     */
    public String line()
    {
        return "RESULT sample=" + sample + " checksum=" + Checksum.hex(checksum) + " seconds=" +
            seconds(measuredNanos) + " ops=" + ops;
    }

    /**
     * Format a duration as seconds with millisecond precision.
     *
     * @param nanos the duration.
     * @return e.g. {@code 1.234}.
     */
    public static String seconds(final long nanos)
    {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e9);
    }
}
