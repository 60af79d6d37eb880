package io.splitheap.agent.excache;

import io.splitheap.protocol.exceptions.ConfigurationException;

/**
 * Chooses victims among resident frames. Every method is called with the cache's frame lock held. A candidate
 * returned by {@link #nextVictim()} leaves the policy; if it cannot be evicted now (pinned, in flight) it is given
 * back with {@link #keep(int)}.
 */
public interface EvictionPolicy
{
    /**
     * Policy names accepted by {@code excache.policy=}.
     */
    String NAMES = "fifo, lru, clock or sweep";

    /**
     * A frame was filled and published.
     *
     * @param frame frame index.
     */
    void onFill(int frame);

    /**
     * A frame was filled by readahead, ahead of a sequential stream (policies that treat them alike need not
     * override this).
     *
     * @param frame the frame.
     */
    default void onStreamFill(final int frame)
    {
        onFill(frame);
    }

    /**
     * The next frame to try to evict.
     *
     * @return frame index or -1 if the policy holds no frame.
     */
    int nextVictim();

    /**
     * Gives back a candidate that could not be evicted now.
     *
     * @param frame frame index.
     */
    void keep(int frame);

    /**
     * A frame left the cache without eviction (its array died or moved to the heap).
     *
     * @param frame frame index.
     */
    void remove(int frame);

    /**
     * Per-frame access stamps the hit path updates, or null if the policy ignores hits (the default: FIFO, sweep).
     *
     * @return stamps or null.
     */
    default int[] stamps()
    {
        return null;
    }

    /**
     * The value the hit path writes into a frame's stamp.
     *
     * @return the current stamp (0 for policies without stamps).
     */
    default int currentStamp()
    {
        return 0;
    }

    /**
     * Called once per miss (LRU advances its clock; nothing by default).
     */
    default void onMiss()
    {
    }

    /**
     * Creates a policy by name.
     *
     * @param name   fifo, lru, clock or sweep.
     * @param frames number of frames.
     * @return the policy.
     */
    /**
     * How many frames the policy would consider as victims (for diagnostics; may scan).
     *
     * @return count.
     */
    int tracked();

    static EvictionPolicy create(final String name, final int frames)
    {
        switch (name.toLowerCase())
        {
            case "fifo":
                return new FifoPolicy(frames);
            case "lru":
                return new LruPolicy(frames);
            case "clock":
                return new ClockPolicy(frames);
            case "sweep":
                return new SweepPolicy(frames);
            default:
                throw new ConfigurationException("splitheap.excache.policy", name, NAMES);
        }
    }
}
