package io.splitheap.agent.metrics;

import io.splitheap.agent.core.FarMemory;
import io.splitheap.agent.excache.CacheStats;
import io.splitheap.agent.excache.ExCache;

/**
 * The agent's counters, read on demand from where they live (per-thread hit counters are summed): what the
 * {@code splitheap-stats} line prints at exit, the JMX bean and the progress lines show while the program runs.
 * Reading costs the hit path nothing.
 */
public final class AgentMetrics implements SplitheapAgentMXBean
{
    private final FarMemory farMemory;

    /**
     * Metrics of a far memory.
     *
     * @param farMemory the agent's far memory.
     */
    public AgentMetrics(final FarMemory farMemory)
    {
        this.farMemory = farMemory;
    }

    private ExCache cache()
    {
        return farMemory.cache();
    }

    private CacheStats stats()
    {
        return cache().stats();
    }

    /**
     * {@inheritDoc}
     */
    public long getHits()
    {
        return cache().hits();
    }

    /**
     * {@inheritDoc}
     */
    public long getMisses()
    {
        return stats().misses();
    }

    /**
     * {@inheritDoc}
     */
    public double getHitRate()
    {
        final long hits = getHits();
        final long misses = getMisses();
        return hits + misses == 0 ? 1.0 : (double)hits / (hits + misses);
    }

    /**
     * {@inheritDoc}
     */
    public long getEvictions()
    {
        return stats().evictions();
    }

    /**
     * {@inheritDoc}
     */
    public long getWriteBacks()
    {
        return stats().writeBacks();
    }

    /**
     * {@inheritDoc}
     */
    public long getPrefetches()
    {
        return stats().prefetches();
    }

    /**
     * {@inheritDoc}
     */
    public long getFarArrays()
    {
        return farMemory.farArrays();
    }

    /**
     * {@inheritDoc}
     */
    public long getFarBytes()
    {
        return farMemory.farBytes();
    }

    /**
     * {@inheritDoc}
     */
    public long getLiveFarBytes()
    {
        return farMemory.liveFarBytes();
    }

    /**
     * {@inheritDoc}
     */
    public long getExCacheBytes()
    {
        return cache().capacityBytes();
    }

    /**
     * {@inheritDoc}
     */
    public long getBytesIn()
    {
        return (getMisses() + getPrefetches()) * (long)cache().lineSize();
    }

    /**
     * {@inheritDoc}
     */
    public long getBytesOut()
    {
        return getWriteBacks() * (long)cache().lineSize();
    }

    /**
     * {@inheritDoc}
     */
    public long getForcedGcs()
    {
        return farMemory.forcedGcs();
    }

    /**
     * {@inheritDoc}
     */
    public long getPressureWaits()
    {
        return farMemory.pressureWaits();
    }
}
