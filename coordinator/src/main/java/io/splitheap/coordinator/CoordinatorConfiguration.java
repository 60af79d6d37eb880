package io.splitheap.coordinator;

/**
 * Settings of the coordinator, beside those in {@link io.splitheap.protocol.CommonConfiguration}.
 */
public final class CoordinatorConfiguration
{
    /**
     * Endpoint the coordinator receives requests on, {@code HOST:PORT}; port 0 picks a free port.
     */
    public static final String ENDPOINT_PROP_NAME = "splitheap.coordinator.endpoint";

    /**
     * Default endpoint: loopback on port 40100.
     */
    public static final String ENDPOINT_DEFAULT = "127.0.0.1:40100";

    /**
     * Silence after which a memory or storage node is considered dead.
     */
    public static final String NODE_TIMEOUT_PROP_NAME = "splitheap.node.timeout";

    /**
     * Default node timeout.
     */
    public static final String NODE_TIMEOUT_DEFAULT = "3s";

    /**
     * Silence after which a process is considered gone and its memory is released.
     */
    public static final String PROCESS_TIMEOUT_PROP_NAME = "splitheap.process.timeout";

    /**
     * Default process timeout.
     */
    public static final String PROCESS_TIMEOUT_DEFAULT = "15s";

    private CoordinatorConfiguration()
    {
    }
}
