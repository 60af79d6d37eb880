package io.splitheap.memorynode;

import io.aeron.Aeron;
import io.splitheap.memorynode.internal.NodeMetadata;
import io.splitheap.memorynode.internal.NodeState;
import io.splitheap.memorynode.internal.PageStoreOpener;
import io.splitheap.protocol.CommonConfiguration;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.FarAddress;
import io.splitheap.protocol.Settings;
import io.splitheap.protocol.codecs.NodeKind;
import io.splitheap.protocol.exceptions.ConfigurationException;
import io.splitheap.protocol.exceptions.TimeoutException;
import io.splitheap.protocol.membership.NodeMembership;
import io.splitheap.protocol.runtime.AgentHost;
import io.splitheap.protocol.runtime.ServerMetrics;
import io.splitheap.protocol.runtime.ComponentContext;
import io.splitheap.protocol.transport.AeronResources;
import io.splitheap.protocol.transport.ClientEndpoint;
import io.splitheap.protocol.transport.Replier;
import io.splitheap.protocol.transport.RequestServer;
import org.agrona.CloseHelper;

import java.io.File;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A memory node (the LegoOS memory component): stores pages of processes' far memory in a Chronicle Map
 * persisted in its data directory, keeps each process's vRegion assignments and vmas, and serves line reads and
 * write-backs over Aeron. Launch with a {@link Context}; close to stop. The page map is opened (created on first
 * start) only once the coordinator has registered the node, so a node that never joins leaves its data directory
 * as it found it.
 */
public final class MemoryNode implements AutoCloseable
{
    private final Context context;
    private final AeronResources ownedAeron;
    private final PageStoreOpener pages;
    private final NodeState state;
    private final ClientEndpoint client;
    private final RequestServer server;
    private final NodeMembership membership;
    private final Endpoint endpoint;
    private final AgentHost host;
    private ServerMetrics metrics;

    private MemoryNode(final Context context)
    {
        this.context = context;
        this.ownedAeron = context.launchAeronIfNeeded("memory-node");
        final Aeron aeron = ownedAeron != null ? ownedAeron.aeron() : context.aeron();
        try
        {
            final NodeMetadata metadata = new NodeMetadata(new File(context.dataDir, "node.meta").toPath());
            this.pages = new PageStoreOpener(
                new File(context.dataDir, "pages.dat"), context.capacityBytes / FarAddress.PAGE_SIZE,
                context.errorHandler());
            this.state = new NodeState(metadata, context.maxLineBytes);
            final Replier replier = new Replier(metadata.nodeId());
            replier.refusalLog(context.errorHandler());
            final MemoryNodeAgent[] agent = new MemoryNodeAgent[1];
            this.client = new ClientEndpoint(aeron, context.bind().host(), context.mtu(), context.termLength(),
                (buffer, offset, length, header) -> agent[0].onReply(buffer, offset, length, header),
                context.requestTimeoutNs(), context.security(), context.errorHandler());
            final int requestedId = context.nodeId != 0 ? context.nodeId : metadata.nodeId();
            this.server = new RequestServer(aeron, context.bind(),
                (session, templateId, buffer, offset, length) ->
                    agent[0].onRequest(session, templateId, buffer, offset, length),
                context.errorHandler(), context.security());
            this.endpoint = server.awaitResolvedEndpoint(context.requestTimeoutNs());
            this.membership = new NodeMembership(client, context.coordinator(), NodeKind.MEMORY, requestedId,
                context.capacityBytes, endpoint, NodeMembership.load(pages::usedPages, pages::peakPages,
                    () -> server.authFailures() + replier.badSecrets(), server::malformedMessages,
                    () -> state.reads() + state.writes()),
                context.errorHandler());
            state.membership(membership);
            membership.onNewCluster(state::releaseAllProcesses);
            membership.previousIncarnation(metadata.incarnation());
            agent[0] = new MemoryNodeAgent(state, membership, client, replier, pages,
                context.compactMinBytes / FarAddress.PAGE_SIZE, context.errorHandler(), context.requestTimeoutNs());
            agent[0].server(server);
            this.host = AgentHost.start(
                agent[0], context.useInvoker(), context.idleMaxParkNs(), context.errorHandler());
            this.metrics = ServerMetrics.register("MemoryNode", endpoint, server, replier::badSecrets,
                pages::usedPages, context.errorHandler());
        }
        catch (final RuntimeException ex)
        {
            closeResources();
            throw ex;
        }
    }

    /**
     * Launches a node.
     *
     * @param context its settings, concluded here.
     * @return the running node.
     */
    public static MemoryNode launch(final Context context)
    {
        context.conclude();
        return new MemoryNode(context);
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
     * Waits until the coordinator registered the node, then until its page store is open (which may take longer
     * than the timeout on first creation: the timeout bounds only the wait for the coordinator).
     *
     * @param timeoutNs how long to wait for the coordinator.
     * @return this.
     * @throws TimeoutException if the coordinator did not register the node in time; no page file was created.
     */
    public MemoryNode awaitRegistered(final long timeoutNs)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (!membership.isRegistered())
        {
            if (System.nanoTime() > deadline)
            {
                throw new TimeoutException("memory node at " + endpoint + " could not register with coordinator=" +
                    context.coordinator() + " within " + TimeUnit.NANOSECONDS.toMillis(timeoutNs) + "ms");
            }
            step();
        }
        while (pages.store() == null)
        {
            if (pages.failure() != null)
            {
                throw pages.failure();
            }
            step();
        }
        return this;
    }

    private void step()
    {
        if (host.isInvoker())
        {
            host.invoke();
        }
        // the store opens on another thread: leave it the CPU
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }

    /**
     * Runs one duty cycle (only when launched with {@link Context#useInvoker(boolean)}).
     *
     * @return work done.
     */
    public int invoke()
    {
        return host.invoke();
    }

    /**
     * Pages stored (read from another thread: a snapshot for reporting).
     *
     * @return count.
     */
    public long usedPages()
    {
        return pages.usedPages();
    }

    /**
     * Compactions of the page store since the node started (each gave disk and resident memory back).
     *
     * @return count.
     */
    public long compactions()
    {
        return pages.compactions();
    }

    /**
     * Stops the node; its data directory keeps the pages and metadata.
     */
    public void close()
    {
        CloseHelper.quietClose(host);
        closeResources();
    }

    private void closeResources()
    {
        CloseHelper.quietCloseAll(metrics, membership, server, client, pages, ownedAeron);
    }

    /**
     * Settings of a memory node, with defaults from system properties.
     */
    public static final class Context extends ComponentContext<Context>
    {
        private long capacityBytes;
        private long compactMinBytes;
        private File dataDir;
        private int nodeId;
        private final int maxLineBytes;

        /**
         * A context with defaults from system properties.
         */
        public Context()
        {
            super("memory-node", MemoryNodeConfiguration.ENDPOINT_PROP_NAME, MemoryNodeConfiguration.ENDPOINT_DEFAULT);
            capacityBytes = Settings.parseSize(MemoryNodeConfiguration.CAPACITY_PROP_NAME, Settings.get(
                Map.of(), MemoryNodeConfiguration.CAPACITY_PROP_NAME, MemoryNodeConfiguration.CAPACITY_DEFAULT));
            compactMinBytes = Settings.parseSize(MemoryNodeConfiguration.COMPACT_MIN_PROP_NAME, Settings.get(
                Map.of(), MemoryNodeConfiguration.COMPACT_MIN_PROP_NAME, MemoryNodeConfiguration.COMPACT_MIN_DEFAULT));
            final String dir = io.splitheap.protocol.Settings.property(MemoryNodeConfiguration.DATA_DIR_PROP_NAME);
            dataDir = dir == null ? null : new File(dir);
            maxLineBytes = CommonConfiguration.maxLineBytes(Map.of());
        }

        /**
         * Checks every setting.
         *
         * @return this.
         */
        public Context conclude()
        {
            concludeCommon(true);
            if (dataDir == null)
            {
                throw new ConfigurationException(MemoryNodeConfiguration.DATA_DIR_PROP_NAME + " is required: a " +
                    "folder for the page map");
            }
            if (!dataDir.isDirectory() && !dataDir.mkdirs())
            {
                throw new ConfigurationException(MemoryNodeConfiguration.DATA_DIR_PROP_NAME, dataDir,
                    "a folder that exists or can be created");
            }
            if (compactMinBytes < FarAddress.PAGE_SIZE)
            {
                throw new ConfigurationException(MemoryNodeConfiguration.COMPACT_MIN_PROP_NAME, compactMinBytes,
                    "at least one page (4k)");
            }
            if (capacityBytes < MemoryNodeConfiguration.MIN_CAPACITY)
            {
                throw new ConfigurationException(MemoryNodeConfiguration.CAPACITY_PROP_NAME, capacityBytes,
                    "at least 1m");
            }
            if (termLength() / 8 < maxLineBytes + 256)
            {
                throw new ConfigurationException(CommonConfiguration.TERM_LENGTH_PROP_NAME, termLength(),
                    "at least 8 x (" + CommonConfiguration.MAX_LINE_PROP_NAME + " + 256)");
            }
            return this;
        }

        /**
         * Capacity in bytes.
         *
         * @param capacityBytes bytes of pages.
         * @return this.
         */
        public Context capacityBytes(final long capacityBytes)
        {
            this.capacityBytes = capacityBytes;
            return this;
        }

        /**
         * Least room worth a compaction of the page store (see {@link MemoryNodeConfiguration#COMPACT_MIN_PROP_NAME}).
         *
         * @param compactMinBytes bytes.
         * @return this.
         */
        public Context compactMinBytes(final long compactMinBytes)
        {
            this.compactMinBytes = compactMinBytes;
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
         * Node id to ask for (0: the persisted one, else any).
         *
         * @param nodeId id.
         * @return this.
         */
        public Context nodeId(final int nodeId)
        {
            this.nodeId = nodeId;
            return this;
        }
    }
}
