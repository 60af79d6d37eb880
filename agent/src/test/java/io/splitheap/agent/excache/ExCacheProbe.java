package io.splitheap.agent.excache;

/**
 * Test access to package-private state of the ExCache.
 */
public final class ExCacheProbe
{
    private ExCacheProbe()
    {
    }

    /**
     * Where the frames are.
     *
     * @param cache the cache.
     * @return its census line.
     */
    public static String census(final ExCache cache)
    {
        return cache.frameCensus();
    }

    /**
     * How many frames something pins.
     *
     * @param cache the cache.
     * @return frames with a pin count above zero.
     */
    public static int pinnedFrames(final ExCache cache)
    {
        return cache.pinnedFrames();
    }
}
