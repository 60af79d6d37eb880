package io.splitheap.samples.churn;

import io.splitheap.samples.OptionSpec;
import io.splitheap.samples.Sample;
import io.splitheap.samples.SampleOptions;
import io.splitheap.samples.SampleResult;
import io.splitheap.samples.support.Checksum;
import io.splitheap.samples.support.Workers;

import java.io.PrintStream;
import java.util.List;

/**
 * Allocation churn: short-lived primitive arrays of mixed types and sizes (64 KiB to 16 MiB) allocated, written,
 * read back and dropped until {@code --volume} bytes have passed through, with a small live set (about
 * {@code --working-set}) that changes all the time. Programs like this (buffers per request, temporary matrices)
 * keep little alive but allocate a lot; memory must follow what is live, not what was allocated. The work is
 * split into {@link ChurnStream#STREAMS} independent streams so that the checksum is the same for any thread
 * count; ops counts arrays allocated.
 */
public final class ChurnSample implements Sample
{
    /**
     * Bytes of arrays to allocate in all.
     */
    public static final String VOLUME = "--volume";

    /**
     * Default of {@link #VOLUME}.
     */
    public static final long VOLUME_DEFAULT = 1L << 30;

    /**
     * {@inheritDoc}
     */
    @Override
    public String name()
    {
        return "churn";
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String summary()
    {
        return "short-lived arrays of mixed types and sizes over a small, changing live set";
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public List<OptionSpec> options()
    {
        return List.of(new OptionSpec(VOLUME, "SIZE",
            "bytes of arrays to allocate in all, --working-set is the live set (default 1g)"));
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public SampleResult run(final SampleOptions options, final PrintStream out)
    {
        final long volume = options.sizeOption(VOLUME, VOLUME_DEFAULT, options.workingSet(),
            SampleOptions.WORKING_SET_MAX * 1024);
        out.println(options.describe() + " volume=" + volume);
        final ChurnStream[] streams = new ChurnStream[ChurnStream.STREAMS];
        for (int s = 0; s < streams.length; s++)
        {
            streams[s] = new ChurnStream(options.seed() * 31 + s, options.workingSet() / streams.length,
                volume / streams.length);
        }
        final long start = System.nanoTime();
        Workers.forEach(options.threads(), streams.length, (final int s) -> streams[s].run());
        final long nanos = System.nanoTime() - start;
        long hash = Checksum.SEED;
        long arrays = 0;
        long peakLive = 0;
        for (final ChurnStream stream : streams)
        {
            hash = Checksum.combine(hash, stream.hash());
            arrays += stream.arrays();
            peakLive += stream.peakLiveBytes();
        }
        out.println("churned arrays=" + arrays + " peak-live-bytes=" + peakLive);
        return new SampleResult(name(), Checksum.finish(hash), nanos, arrays);
    }
}
