package io.splitheap.agent.excache;

/**
 * Switches read once, when the runtime initializes, so that the JIT folds them into the hit path. The agent sets
 * the system properties from its options before any far array exists.
 */
public final class RuntimeFlags
{
    /**
     * System property that turns on per-access statistics (hits): {@code splitheap.stats}.
     */
    public static final String STATS_PROP_NAME = "splitheap.stats";

    /**
     * Whether hits are counted (costs a thread-slot lookup per far access).
     */
    public static final boolean STATS = Boolean.getBoolean(STATS_PROP_NAME);

    /**
     * System property naming the eviction policy: {@code splitheap.excache.policy}.
     */
    public static final String POLICY_PROP_NAME = "splitheap.excache.policy";

    /**
     * Whether hits note their frame's use (LRU stamps, CLOCK reference bits). False only when the agent runs FIFO or
     * sweep, which need nothing on a hit; unset (tests, several caches in one JVM) it is true, which is always correct.
     */
    public static final boolean TOUCH = !"fifo".equalsIgnoreCase(System.getProperty(POLICY_PROP_NAME, "")) &&
        !"sweep".equalsIgnoreCase(System.getProperty(POLICY_PROP_NAME, ""));

    /**
     * System property with the smallest primitive array, in bytes, that is allocated far: {@code splitheap.threshold}.
     */
    public static final String THRESHOLD_PROP_NAME = "splitheap.threshold";

    /**
     * Default threshold: 64 KiB (16 lines), where allocating far costs no more than zeroing a heap array of that
     * size and the per-array bookkeeping is under 1% of the array (see docs/PERFORMANCE.md).
     */
    public static final long THRESHOLD_DEFAULT = 64 * 1024;

    /**
     * The threshold in bytes.
     */
    public static final long THRESHOLD_BYTES = Long.getLong(THRESHOLD_PROP_NAME, THRESHOLD_DEFAULT);

    private RuntimeFlags()
    {
    }
}
