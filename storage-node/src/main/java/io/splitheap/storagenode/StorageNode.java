package io.splitheap.storagenode;

import io.aeron.Aeron;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.Settings;
import io.splitheap.protocol.codecs.NodeKind;
import io.splitheap.protocol.exceptions.ConfigurationException;
import io.splitheap.protocol.exceptions.TimeoutException;
import io.splitheap.protocol.membership.NodeMembership;
import io.splitheap.protocol.runtime.AgentHost;
import io.splitheap.protocol.runtime.ComponentContext;
import io.splitheap.protocol.runtime.ServerMetrics;
import io.splitheap.protocol.transport.AeronResources;
import io.splitheap.protocol.transport.ClientEndpoint;
import io.splitheap.protocol.transport.RequestServer;
import org.agrona.CloseHelper;

import java.io.File;
import java.util.Map;

/**
 * A storage node (the LegoOS storage component): the durable tier below memory nodes. In this version it registers
 * with the coordinator and heartbeats; memory-node logs and page checkpoints come with failover.
 */
public final class StorageNode implements AutoCloseable
{
    private final AeronResources ownedAeron;
    private final ClientEndpoint client;
    private final RequestServer server;
    private final NodeMembership membership;
    private final Endpoint endpoint;
    private final AgentHost host;
    private ServerMetrics metrics;

    private StorageNode(final Context context)
    {
        this.ownedAeron = context.launchAeronIfNeeded("storage-node");
        final Aeron aeron = ownedAeron != null ? ownedAeron.aeron() : context.aeron();
        ClientEndpoint client = null;
        RequestServer server = null;
        NodeMembership membership = null;
        try
        {
            final StorageNodeAgent[] agent = new StorageNodeAgent[1];
            final NodeMembership[] member = new NodeMembership[1];
            client = new ClientEndpoint(aeron, context.bind().host(), context.mtu(), context.termLength(),
                (buffer, offset, length, header) -> member[0].onReply(buffer, offset), context.requestTimeoutNs(),
                context.security(), context.errorHandler());
            server = new RequestServer(aeron, context.bind(),
                (session, templateId, buffer, offset, length) ->
                    agent[0].onRequest(session, templateId, buffer, offset, length),
                context.errorHandler(), context.security());
            this.endpoint = server.awaitResolvedEndpoint(context.requestTimeoutNs());
            membership = new NodeMembership(client, context.coordinator(), NodeKind.STORAGE, 0, context.capacityBytes,
                endpoint, NodeMembership.load(() -> 0, () -> 0, server::authFailures,
                    server::malformedMessages), context.errorHandler());
            member[0] = membership;
            agent[0] = new StorageNodeAgent(membership, client);
            agent[0].server(server);
            this.client = client;
            this.server = server;
            this.membership = membership;
            this.host = AgentHost.start(
                agent[0], context.useInvoker(), context.idleMaxParkNs(), context.errorHandler());
            this.metrics = ServerMetrics.register("StorageNode", endpoint, server, () -> 0, () -> 0,
                context.errorHandler());
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(membership, server, client, ownedAeron);
            throw ex;
        }
    }

    /**
     * Launches a storage node.
     *
     * @param context its settings, concluded here.
     * @return the running node.
     */
    public static StorageNode launch(final Context context)
    {
        context.conclude();
        return new StorageNode(context);
    }

    /**
     * The endpoint the node receives requests on.
     *
     * @return host:port.
     */
    public Endpoint endpoint()
    {
        return endpoint;
    }

    /**
     * The node id, 0 until registered.
     *
     * @return id.
     */
    public int nodeId()
    {
        return membership.nodeId();
    }

    /**
     * Waits until registered.
     *
     * @param timeoutNs how long to wait.
     * @return this.
     */
    public StorageNode awaitRegistered(final long timeoutNs)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (!membership.isRegistered())
        {
            if (System.nanoTime() > deadline)
            {
                throw new TimeoutException("storage node at " + endpoint + " could not register within " +
                    timeoutNs / 1_000_000 + "ms");
            }
            if (host.isInvoker())
            {
                host.invoke();
            }
            Thread.yield();
        }
        return this;
    }

    /**
     * Stops the node.
     */
    public void close()
    {
        CloseHelper.quietCloseAll(metrics, host, membership, server, client, ownedAeron);
    }

    /**
     * Settings of a storage node, with defaults from system properties.
     */
    public static final class Context extends ComponentContext<Context>
    {
        private long capacityBytes;
        private File dataDir;

        /**
         * A context with defaults from system properties.
         */
        public Context()
        {
            super("storage-node", StorageNodeConfiguration.ENDPOINT_PROP_NAME,
                StorageNodeConfiguration.ENDPOINT_DEFAULT);
            capacityBytes = Settings.parseSize(StorageNodeConfiguration.CAPACITY_PROP_NAME, Settings.get(
                Map.of(), StorageNodeConfiguration.CAPACITY_PROP_NAME, StorageNodeConfiguration.CAPACITY_DEFAULT));
            final String dir = io.splitheap.protocol.Settings.property(StorageNodeConfiguration.DATA_DIR_PROP_NAME);
            dataDir = dir == null ? null : new File(dir);
        }

        /**
         * Checks every setting.
         *
         * @return this.
         */
        public Context conclude()
        {
            concludeCommon(true);
            if (dataDir != null && !dataDir.isDirectory() && !dataDir.mkdirs())
            {
                throw new ConfigurationException(StorageNodeConfiguration.DATA_DIR_PROP_NAME, dataDir,
                    "a folder that exists or can be created");
            }
            return this;
        }

        /**
         * Data folder.
         *
         * @param dataDir folder.
         * @return this.
         */
        public Context dataDir(final File dataDir)
        {
            this.dataDir = dataDir;
            return this;
        }

        /**
         * Capacity offered.
         *
         * @param capacityBytes bytes.
         * @return this.
         */
        public Context capacityBytes(final long capacityBytes)
        {
            this.capacityBytes = capacityBytes;
            return this;
        }
    }
}
