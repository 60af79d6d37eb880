package io.splitheap.samples.support;

/**
 * 64-bit mixing functions. {@link #mix64(long)} is MurmurHash3's finaliser: a bijection on longs with
 * {@code mix64(0) == 0}, so {@link #unmix64(long)} can turn any wanted hash back into the key that has it.
 */
public final class Hashing
{
    /**
     * The golden ratio as a 64-bit odd constant, for spreading sequential values.
     */
    public static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private static final long M1 = 0xFF51AFD7ED558CCDL;
    private static final long M2 = 0xC4CEB9FE1A85EC53L;
    private static final long M1_INVERSE = inverse(M1);
    private static final long M2_INVERSE = inverse(M2);

    private Hashing()
    {
    }

    /**
     * Mix all bits of a value into all bits of the result.
     *
     * @param value to mix.
     * @return the mixed value.
     */
    public static long mix64(final long value)
    {
        long x = value;
        x ^= x >>> 33;
        x *= M1;
        x ^= x >>> 33;
        x *= M2;
        x ^= x >>> 33;
        return x;
    }

    /**
     * The inverse of {@link #mix64(long)}: {@code mix64(unmix64(h)) == h} for every {@code h}.
     *
     * @param hash a mixed value.
     * @return the value that mixes to it.
     */
    public static long unmix64(final long hash)
    {
        long x = hash;
        x ^= x >>> 33;
        x *= M2_INVERSE;
        x ^= x >>> 33;
        x *= M1_INVERSE;
        x ^= x >>> 33;
        return x;
    }

    /**
     * A seed for an independent random stream, e.g. one per vertex, block or op segment.
     *
     * @param seed   the run's seed.
     * @param stream number of the stream.
     * @return the stream's seed.
     */
    public static long streamSeed(final long seed, final long stream)
    {
        return mix64(mix64(seed ^ GOLDEN) + stream * GOLDEN);
    }

    /**
     * High 64 bits of the unsigned 128-bit product {@code hash * bound}: maps a uniform 64-bit hash onto
     * {@code [0, bound)} without division, preserving order (Lemire's fast range reduction).
     *
     * @param hash  any long, taken as unsigned.
     * @param bound positive exclusive upper bound.
     * @return a value in {@code [0, bound)}, non-decreasing in the unsigned value of {@code hash}.
     */
    public static long scale(final long hash, final long bound)
    {
        return Math.multiplyHigh(hash, bound) + ((hash >> 63) & bound);
    }

    private static long inverse(final long odd)
    {
        long inverse = odd;
        for (int i = 0; i < 5; i++)
        {
            inverse *= 2 - odd * inverse;
        }
        return inverse;
    }
}
