package io.splitheap.agent.excache;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of an ExCache. Hits are counted per thread in the writer slots when
 * {@link RuntimeFlags#STATS} is on; everything here happens on slow paths.
 */
public final class CacheStats
{
    final AtomicLong misses = new AtomicLong();
    final AtomicLong zeroFills = new AtomicLong();
    final AtomicLong evictions = new AtomicLong();
    final AtomicLong writeBacks = new AtomicLong();
    final AtomicLong prefetches = new AtomicLong();
    final AtomicLong readaheadRequests = new AtomicLong();
    final AtomicLong localizations = new AtomicLong();
    final AtomicLong slowHits = new AtomicLong();
    final AtomicLong deadLinesDropped = new AtomicLong();

    /**
     * Lines fetched because they were not resident.
     *
     * @return count.
     */
    public long misses()
    {
        return misses.get();
    }

    /**
     * Lines created locally, zero-filled, on their first write (no round trip).
     *
     * @return count.
     */
    public long zeroFills()
    {
        return zeroFills.get();
    }

    /**
     * Lines evicted.
     *
     * @return count.
     */
    public long evictions()
    {
        return evictions.get();
    }

    /**
     * Dirty lines written back.
     *
     * @return count.
     */
    public long writeBacks()
    {
        return writeBacks.get();
    }

    /**
     * Lines fetched ahead of use.
     *
     * @return count.
     */
    public long prefetches()
    {
        return prefetches.get();
    }

    /**
     * Runs of consecutive lines read ahead in one go (the backend sends one request per vRegion and per
     * {@code splitheap.line.max} bytes of a run).
     *
     * @return count.
     */
    public long readaheadRequests()
    {
        return readaheadRequests.get();
    }

    /**
     * Far arrays moved to the heap at the JDK boundary.
     *
     * @return count.
     */
    public long localizations()
    {
        return localizations.get();
    }

    /**
     * Dirty lines of dead arrays dropped without being written back (resident ones, and pending write-backs
     * cancelled when their array died).
     *
     * @return count.
     */
    public long deadLinesDropped()
    {
        return deadLinesDropped.get();
    }

}
