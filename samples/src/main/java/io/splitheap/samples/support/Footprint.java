package io.splitheap.samples.support;

import java.util.Locale;

/**
 * Describes what a sample allocated, for the progress line that reports the exact byte count.
 */
public final class Footprint
{
    private static final long MIB = 1024 * 1024;

    private Footprint()
    {
    }

    /**
     * Total bytes of element data in some arrays.
     *
     * @param arrays to sum.
     * @return the byte count.
     */
    public static long bytes(final ChunkedArray... arrays)
    {
        long bytes = 0;
        for (final ChunkedArray array : arrays)
        {
            bytes += array.bytes();
        }
        return bytes;
    }

    /**
     * One line: total bytes, number of chunk arrays and the share held in chunks of at least 1 MiB.
     *
     * @param arrays the sample's big arrays.
     * @return the description.
     */
    public static String describe(final ChunkedArray... arrays)
    {
        long bytes = 0;
        long inLargeChunks = 0;
        int chunks = 0;
        for (final ChunkedArray array : arrays)
        {
            bytes += array.bytes();
            chunks += array.chunkCount();
            for (int c = 0; c < array.chunkCount(); c++)
            {
                final long chunkBytes = array.chunkBytes(c);
                inLargeChunks += chunkBytes >= MIB ? chunkBytes : 0;
            }
        }
        final double largeShare = bytes == 0 ? 0.0 : 100.0 * inLargeChunks / bytes;
        return String.format(Locale.ROOT, "allocated bytes=%d (%.1f MiB) arrays=%d in-1MiB+-arrays=%.1f%%",
            bytes, (double)bytes / MIB, chunks, largeShare);
    }
}
