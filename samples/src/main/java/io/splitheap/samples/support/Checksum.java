package io.splitheap.samples.support;

/**
 * The run checksum: a 64-bit hash over every element of a sample's arrays in a fixed order. Each step of
 * {@link #combine(long, long)} is a bijection in both the running hash and the value, so changing any single
 * element always changes the result. Chunks are hashed in parallel and their hashes combined in chunk order,
 * so the result does not depend on the thread count.
 */
public final class Checksum
{
    /**
     * Initial value of a hash.
     */
    public static final long SEED = 0x5851F42D4C957F2DL;

    private Checksum()
    {
    }

    /**
     * Fold one value into a running hash.
     *
     * @param hash  the running hash.
     * @param value the next value.
     * @return the new running hash.
     */
    public static long combine(final long hash, final long value)
    {
        return Long.rotateLeft(hash ^ (value * Hashing.GOLDEN), 31) * 0xBF58476D1CE4E5B9L;
    }

    /**
     * Fold a double into a running hash by its raw bits.
     *
     * @param hash  the running hash.
     * @param value the next value.
     * @return the new running hash.
     */
    public static long combine(final long hash, final double value)
    {
        return combine(hash, Double.doubleToRawLongBits(value));
    }

    /**
     * Final avalanche of a running hash.
     *
     * @param hash the running hash.
     * @return the checksum to report.
     */
    public static long finish(final long hash)
    {
        return Hashing.mix64(hash);
    }

    /**
     * Running hash of arrays: their lengths, then every chunk in order. Continue it with
     * {@link #combine(long, long)} and end with {@link #finish(long)}.
     *
     * @param threads to hash chunks with.
     * @param arrays  in the order to hash them.
     * @return the running hash.
     */
    public static long of(final int threads, final ChunkedArray... arrays)
    {
        int total = 0;
        for (final ChunkedArray array : arrays)
        {
            total += array.chunkCount();
        }
        final ChunkedArray[] arrayOfTask = new ChunkedArray[total];
        final int[] chunkOfTask = new int[total];
        int task = 0;
        for (final ChunkedArray array : arrays)
        {
            for (int c = 0; c < array.chunkCount(); c++)
            {
                arrayOfTask[task] = array;
                chunkOfTask[task++] = c;
            }
        }

        final long[] chunkHashes = new long[total];
        Workers.forEach(threads, total, (final int t) -> chunkHashes[t] = arrayOfTask[t].hashChunk(chunkOfTask[t]));

        long hash = SEED;
        for (final ChunkedArray array : arrays)
        {
            hash = combine(hash, array.length());
        }
        for (final long chunkHash : chunkHashes)
        {
            hash = combine(hash, chunkHash);
        }
        return hash;
    }

    /**
     * Format a checksum as 16 lowercase hex digits.
     *
     * @param checksum to format.
     * @return the digits.
     */
    public static String hex(final long checksum)
    {
        final String digits = Long.toHexString(checksum);
        return "0000000000000000".substring(digits.length()) + digits;
    }
}
