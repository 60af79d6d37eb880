package io.splitheap.agent.metrics;

/**
 * The agent's JMX view, registered as {@code io.splitheap:type=Agent} in the platform MBean server while the agent
 * runs (JConsole, VisualVM, any JMX client). Counters are totals since start.
 */
public interface SplitheapAgentMXBean
{
    /**
     * ExCache hits.
     *
     * @return count.
     */
    long getHits();

    /**
     * ExCache misses (demand fills from memory nodes).
     *
     * @return count.
     */
    long getMisses();

    /**
     * Hits over hits and misses.
     *
     * @return rate, 1.0 before any access.
     */
    double getHitRate();

    /**
     * Lines evicted.
     *
     * @return count.
     */
    long getEvictions();

    /**
     * Dirty lines written back to memory nodes.
     *
     * @return count.
     */
    long getWriteBacks();

    /**
     * Lines read ahead.
     *
     * @return count.
     */
    long getPrefetches();

    /**
     * Far arrays allocated.
     *
     * @return count.
     */
    long getFarArrays();

    /**
     * Bytes of far arrays allocated.
     *
     * @return bytes.
     */
    long getFarBytes();

    /**
     * Bytes of far arrays alive now.
     *
     * @return bytes.
     */
    long getLiveFarBytes();

    /**
     * ExCache size.
     *
     * @return bytes.
     */
    long getExCacheBytes();

    /**
     * Bytes fetched from memory nodes (misses and readahead).
     *
     * @return bytes.
     */
    long getBytesIn();

    /**
     * Bytes written back to memory nodes.
     *
     * @return bytes.
     */
    long getBytesOut();

    /**
     * GCs far memory requested to reclaim dead arrays.
     *
     * @return count.
     */
    long getForcedGcs();

    /**
     * Allocations that found far memory full and waited for reclamation.
     *
     * @return count.
     */
    long getPressureWaits();
}
