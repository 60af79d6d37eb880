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
}
