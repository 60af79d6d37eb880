package io.splitheap.jcstress;

/**
 * Access to the shared far memory for the deliberately broken variants in {@code io.splitheap.jcstress.broken}.
 */
public final class BrokenVariants
{
    private BrokenVariants()
    {
    }

    /**
     * A new far {@code long[]} of one line.
     *
     * @return its placeholder.
     */
    public static long[] newLongs()
    {
        return SharedFarMemory.newLongs(SharedFarMemory.LINE_LONGS);
    }

    /**
     * Evicts every line (see {@link SharedFarMemory#evictEverything}).
     *
     * @param seed varies the elements touched.
     */
    public static void evictEverything(final int seed)
    {
        SharedFarMemory.evictEverything(seed);
    }
}
