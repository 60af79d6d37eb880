package io.splitheap.samples.support;

/**
 * Steele, Lea and Flood's SplitMix64: small, fast and fully defined by its seed, so every run (and every JDK)
 * draws the same numbers. Not thread-safe: each task makes its own from {@link Hashing#streamSeed(long, long)}.
 */
public final class SplitMix64
{
    private long state;

    /**
     * A generator starting from a seed.
     *
     * @param seed initial state.
     */
    public SplitMix64(final long seed)
    {
        state = seed;
    }

    /**
     * Next 64 random bits.
     *
     * @return a uniformly distributed long.
     */
    public long nextLong()
    {
        long z = state += Hashing.GOLDEN;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Next double in {@code [0, 1)} with 53 random bits.
     *
     * @return a uniformly distributed double.
     */
    public double nextDouble()
    {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /**
     * Next int in {@code [0, bound)} (multiply-shift; the bias is below 2^-32 per value).
     *
     * @param bound positive exclusive upper bound.
     * @return a uniformly distributed int.
     */
    public int nextInt(final int bound)
    {
        return (int)(((nextLong() >>> 32) * bound) >>> 32);
    }
}
