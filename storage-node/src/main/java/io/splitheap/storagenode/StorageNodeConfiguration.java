package io.splitheap.storagenode;

/**
 * Settings of a storage node, beside those in {@link io.splitheap.protocol.CommonConfiguration}.
 */
public final class StorageNodeConfiguration
{
    /**
     * Bytes of durable capacity the node offers.
     */
    public static final String CAPACITY_PROP_NAME = "splitheap.storage.node.capacity";

    /**
     * Default capacity.
     */
    public static final String CAPACITY_DEFAULT = "16g";

    /**
     * Folder for logs and checkpoints.
     */
    public static final String DATA_DIR_PROP_NAME = "splitheap.storage.node.dir";

    /**
     * Endpoint the node receives requests on.
     */
    public static final String ENDPOINT_PROP_NAME = "splitheap.storage.node.endpoint";

    /**
     * Default endpoint.
     */
    public static final String ENDPOINT_DEFAULT = "127.0.0.1:0";

    private StorageNodeConfiguration()
    {
    }
}
