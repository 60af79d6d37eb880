package io.splitheap.memorynode;

/**
 * Settings of a memory node, beside those in {@link io.splitheap.protocol.CommonConfiguration}.
 */
public final class MemoryNodeConfiguration
{
    /**
     * Most bytes of pages the node stores; writes of new pages beyond it fail with {@code CAPACITY_EXCEEDED}.
     */
    public static final String CAPACITY_PROP_NAME = "splitheap.memory.node.capacity";

    /**
     * Default capacity.
     */
    public static final String CAPACITY_DEFAULT = "2g";

    /**
     * Folder holding the page map ({@code pages.dat}) and metadata ({@code node.meta}); reused on restart.
     */
    public static final String DATA_DIR_PROP_NAME = "splitheap.memory.node.dir";

    /**
     * Endpoint the node receives requests on, {@code HOST:PORT}; port 0 picks a free port.
     */
    public static final String ENDPOINT_PROP_NAME = "splitheap.memory.node.endpoint";

    /**
     * Default endpoint: loopback, any port.
     */
    public static final String ENDPOINT_DEFAULT = "127.0.0.1:0";

    /**
     * Least room worth giving back: the page store is compacted (its live pages copied into a fresh file, the old
     * one's disk blocks and resident memory freed) when the most pages it held since the last compaction exceed the
     * pages it holds by this much and by at least as many again.
     */
    public static final String COMPACT_MIN_PROP_NAME = "splitheap.memory.node.compact.min";

    /**
     * Default of {@link #COMPACT_MIN_PROP_NAME}.
     */
    public static final String COMPACT_MIN_DEFAULT = "64m";

    /**
     * Smallest capacity accepted.
     */
    public static final long MIN_CAPACITY = 1L << 20;

    private MemoryNodeConfiguration()
    {
    }
}
