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
     * Silence before which a memory or storage node is never declared dead (the floor of the phi accrual failure
     * detector; before it had one, the fixed timeout).
     */
    public static final String NODE_TIMEOUT_PROP_NAME = "splitheap.node.timeout";

    /**
     * Default node timeout.
     */
    public static final String NODE_TIMEOUT_DEFAULT = "3s";

    /**
     * Silence after which a node is declared dead whatever its heartbeat history (the cap of the failure detector).
     */
    public static final String NODE_TIMEOUT_MAX_PROP_NAME = "splitheap.node.timeout.max";

    /**
     * Default cap.
     */
    public static final String NODE_TIMEOUT_MAX_DEFAULT = "30s";

    /**
     * Suspicion level (phi) at which a node silent longer than {@link #NODE_TIMEOUT_PROP_NAME} is declared dead:
     * phi 8 means the silence would occur with probability 10^-8 given the node's heartbeat history.
     */
    public static final String NODE_PHI_THRESHOLD_PROP_NAME = "splitheap.node.phi.threshold";

    /**
     * Default threshold (Akka's and Cassandra's).
     */
    public static final String NODE_PHI_THRESHOLD_DEFAULT = "8";

    /**
     * Silence after which a process is considered gone and its memory is released.
     */
    public static final String PROCESS_TIMEOUT_PROP_NAME = "splitheap.process.timeout";

    /**
     * Default process timeout.
     */
    public static final String PROCESS_TIMEOUT_DEFAULT = "15s";

    /**
     * Most bytes per second a primary copies to a new secondary (re-replication); 0 turns re-replication off.
     */
    public static final String RESYNC_RATE_PROP_NAME = "splitheap.resync.rate";

    /**
     * Default: 64 MiB per second.
     */
    public static final String RESYNC_RATE_DEFAULT = "64m";

    /**
     * Folder for the coordinator's state (nodes, processes, placements, incarnation); unset, a restarted coordinator
     * starts a new cluster. The command line's {@code --data-dir} sets it.
     */
    public static final String DATA_DIR_PROP_NAME = "splitheap.coordinator.data.dir";

    private CoordinatorConfiguration()
    {
    }
}
