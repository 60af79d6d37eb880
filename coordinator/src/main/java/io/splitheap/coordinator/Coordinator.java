package io.splitheap.coordinator;

import io.aeron.Aeron;
import io.splitheap.coordinator.internal.AllocationRequests;
import io.splitheap.coordinator.internal.ClusterRegistry;
import io.splitheap.coordinator.internal.CoordinatorStore;
import io.splitheap.coordinator.internal.MembershipRequests;
import io.splitheap.coordinator.internal.NodeCommands;
import io.splitheap.coordinator.internal.NodeFailureDetector;
import io.splitheap.coordinator.internal.PendingOperations;
import io.splitheap.coordinator.internal.Replication;
import io.splitheap.coordinator.internal.RoutingPublisher;
import io.splitheap.coordinator.internal.StatusRequests;
import io.splitheap.protocol.Capabilities;
import io.splitheap.protocol.CommonConfiguration;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.Settings;
import io.splitheap.protocol.exceptions.ConfigurationException;
import io.splitheap.protocol.exceptions.SplitheapException;
import io.splitheap.protocol.runtime.AgentHost;
import io.splitheap.protocol.runtime.ComponentContext;
import io.splitheap.protocol.runtime.ServerMetrics;
import io.splitheap.protocol.transport.AeronResources;
import io.splitheap.protocol.transport.ClientEndpoint;
import io.splitheap.protocol.transport.Replier;
import io.splitheap.protocol.transport.RequestServer;
import org.agrona.CloseHelper;

import java.io.File;
import java.util.Map;

/**
 * The coordinator (the LegoOS global managers): registers memory nodes, storage nodes and processes, watches
 * heartbeats, places vRegions on memory nodes by free capacity and gives processes their routing. It does the only
 * two global jobs: coarse-grained allocation and failure detection.
 */
public final class Coordinator implements AutoCloseable
{
    private final AeronResources ownedAeron;
    private final ClientEndpoint client;
    private final RequestServer server;
    private final Endpoint endpoint;
    private final AgentHost host;
    private final CoordinatorStore store;
    private ServerMetrics metrics;

    private Coordinator(final Context context)
    {
        this.ownedAeron = context.launchAeronIfNeeded("coordinator");
        final Aeron aeron = ownedAeron != null ? ownedAeron.aeron() : context.aeron();
        ClientEndpoint client = null;
        RequestServer server = null;
        CoordinatorStore store = null;
        try
        {
            final CoordinatorAgent[] agent = new CoordinatorAgent[1];
            client = new ClientEndpoint(aeron, context.bind().host(), context.mtu(), context.termLength(),
                (buffer, offset, length, header) -> agent[0].onNodeReply(buffer, offset, length, header),
                context.requestTimeoutNs(), context.security(), context.errorHandler());
            final ClusterRegistry registry = new ClusterRegistry(context.vRegionShift);
            store = context.dataDir == null ? null : new CoordinatorStore(context.dataDir).lock();
            final CoordinatorStore persisted = store;
            final long restored = store == null ? 0 : store.load(registry, System.nanoTime());
            final long incarnation = restored != 0 ? restored : Capabilities.newIncarnation();
            if (store != null)
            {
                registry.persistence(state -> persisted.save(state, incarnation));
                store.save(registry, incarnation);
            }
            final Capabilities capabilities = Capabilities.of(context.secret(), incarnation);
            final Replier replier = new Replier(0);
            replier.refusalLog(context.errorHandler());
            final PendingOperations pending = new PendingOperations(replier, context.requestTimeoutNs(),
                context.errorHandler());
            final NodeCommands commands = new NodeCommands(
                client, pending, capabilities.coordinatorToken(), registry::makeDurable);
            final RoutingPublisher routing = new RoutingPublisher(registry);
            final MembershipRequests membership = new MembershipRequests(registry, routing, incarnation, capabilities,
                client, commands, pending, replier, context.errorHandler(), context.heartbeatIntervalNs,
                new NodeFailureDetector(context.heartbeatIntervalNs, context.nodeTimeoutNs, context.nodeTimeoutMaxNs,
                context.nodePhiThreshold), context.processTimeoutNs);
            final Replication replication = new Replication(registry, commands, pending, routing,
                context.errorHandler(), capabilities.coordinatorToken(), context.resyncBytesPerSecond,
                context.requestTimeoutNs());
            final AllocationRequests allocation = new AllocationRequests(registry, commands, pending, replier,
                context.errorHandler());
            agent[0] = new CoordinatorAgent(client, pending, membership, allocation, replication,
                new StatusRequests(registry), replier, registry);
            if (restored != 0)
            {
                final long nowNs = System.nanoTime();
                membership.restored(nowNs);
                final int copies = replication.restored(nowNs);
                context.errorHandler().onError(new SplitheapException("coordinator restarted from " + store.file() +
                    ": " + registry.nodes().size() + " node(s), " + registry.processes().size() + " process(es), " +
                    registry.processes().stream().mapToInt(process -> process.regions().size()).sum() +
                    " vRegion(s); " + copies + " copy(ies) to new secondaries abandoned and tried again; members " +
                    "reconnect within seconds", SplitheapException.Category.INFO, null));
            }
            server = new RequestServer(aeron, context.bind(),
                (session, templateId, buffer, offset, length) ->
                    agent[0].onRequest(session, templateId, buffer, offset, length),
                context.errorHandler(), context.security());
            agent[0].server(server);
            this.endpoint = server.awaitResolvedEndpoint(context.requestTimeoutNs());
            this.client = client;
            this.server = server;
            this.store = store;
            this.host = AgentHost.start(
                agent[0], context.useInvoker(), context.idleMaxParkNs(), context.errorHandler());
            this.metrics = ServerMetrics.register("Coordinator", endpoint, server, replier::badSecrets, () -> 0,
                context.errorHandler());
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(server, client, store, ownedAeron);
            throw ex;
        }
    }

    /**
     * Launches a coordinator.
     *
     * @param context its settings, concluded here.
     * @return the running coordinator.
     */
    public static Coordinator launch(final Context context)
    {
        context.conclude();
        return new Coordinator(context);
    }

    /**
     * The endpoint everyone registers at: what the agent option {@code coordinator=} takes.
     *
     * @return host:port.
     */
    public Endpoint endpoint()
    {
        return endpoint;
    }

    /**
     * Runs one duty cycle (invoker mode only).
     *
     * @return work done.
     */
    public int invoke()
    {
        return host.invoke();
    }

    /**
     * Stops the coordinator.
     */
    public void close()
    {
        CloseHelper.quietCloseAll(metrics, host, server, client, store, ownedAeron);
    }

    /**
     * Settings of a coordinator, with defaults from system properties.
     */
    public static final class Context extends ComponentContext<Context>
    {
        private static final long MIN_RESYNC_BYTES_PER_SECOND = 1L << 20;

        private int vRegionShift;
        private long heartbeatIntervalNs;
        private long nodeTimeoutNs;
        private long nodeTimeoutMaxNs;
        private double nodePhiThreshold;
        private long processTimeoutNs;
        private long resyncBytesPerSecond;
        private File dataDir;

        /**
         * A context with defaults from system properties.
         */
        public Context()
        {
            super("coordinator", CoordinatorConfiguration.ENDPOINT_PROP_NAME,
                CoordinatorConfiguration.ENDPOINT_DEFAULT);
            final Map<String, String> none = Map.of();
            vRegionShift = CommonConfiguration.vRegionShift(none);
            heartbeatIntervalNs = CommonConfiguration.heartbeatIntervalNs(none);
            nodeTimeoutNs = Settings.parseDurationNs(CoordinatorConfiguration.NODE_TIMEOUT_PROP_NAME,
                Settings.get(java.util.Map.of(), CoordinatorConfiguration.NODE_TIMEOUT_PROP_NAME,
                CoordinatorConfiguration.NODE_TIMEOUT_DEFAULT));
            nodeTimeoutMaxNs = Settings.parseDurationNs(CoordinatorConfiguration.NODE_TIMEOUT_MAX_PROP_NAME,
                Settings.get(Map.of(), CoordinatorConfiguration.NODE_TIMEOUT_MAX_PROP_NAME,
                CoordinatorConfiguration.NODE_TIMEOUT_MAX_DEFAULT));
            final String threshold = Settings.get(Map.of(), CoordinatorConfiguration.NODE_PHI_THRESHOLD_PROP_NAME,
                CoordinatorConfiguration.NODE_PHI_THRESHOLD_DEFAULT);
            try
            {
                nodePhiThreshold = Double.parseDouble(threshold);
            }
            catch (final NumberFormatException ex)
            {
                throw new ConfigurationException(CoordinatorConfiguration.NODE_PHI_THRESHOLD_PROP_NAME, threshold,
                    "a number above 0, such as 8");
            }
            processTimeoutNs = Settings.parseDurationNs(CoordinatorConfiguration.PROCESS_TIMEOUT_PROP_NAME,
                Settings.get(java.util.Map.of(), CoordinatorConfiguration.PROCESS_TIMEOUT_PROP_NAME,
                CoordinatorConfiguration.PROCESS_TIMEOUT_DEFAULT));
            resyncBytesPerSecond = Settings.parseSize(CoordinatorConfiguration.RESYNC_RATE_PROP_NAME,
                Settings.get(Map.of(), CoordinatorConfiguration.RESYNC_RATE_PROP_NAME,
                CoordinatorConfiguration.RESYNC_RATE_DEFAULT));
            final String dir = Settings.get(Map.of(), CoordinatorConfiguration.DATA_DIR_PROP_NAME, null);
            dataDir = dir == null || dir.isEmpty() ? null : new File(dir);
        }

        /**
         * Checks every setting.
         *
         * @return this.
         */
        public Context conclude()
        {
            concludeCommon(false);
            if (nodeTimeoutNs <= heartbeatIntervalNs * 2)
            {
                throw new ConfigurationException(CoordinatorConfiguration.NODE_TIMEOUT_PROP_NAME,
                    nodeTimeoutNs / 1_000_000 + "ms",
                    "more than twice " + CommonConfiguration.HEARTBEAT_INTERVAL_PROP_NAME);
            }
            if (nodeTimeoutMaxNs < nodeTimeoutNs)
            {
                throw new ConfigurationException(CoordinatorConfiguration.NODE_TIMEOUT_MAX_PROP_NAME,
                    nodeTimeoutMaxNs / 1_000_000 + "ms", "at least " + CoordinatorConfiguration.NODE_TIMEOUT_PROP_NAME +
                    " (" + nodeTimeoutNs / 1_000_000 + "ms)");
            }
            if (!(nodePhiThreshold > 0) || Double.isInfinite(nodePhiThreshold))
            {
                throw new ConfigurationException(CoordinatorConfiguration.NODE_PHI_THRESHOLD_PROP_NAME,
                    nodePhiThreshold, "a number above 0, such as 8");
            }
            if (resyncBytesPerSecond != 0 && resyncBytesPerSecond < MIN_RESYNC_BYTES_PER_SECOND)
            {
                throw new ConfigurationException(CoordinatorConfiguration.RESYNC_RATE_PROP_NAME,
                    resyncBytesPerSecond, "0 (re-replication off) or at least 1m (bytes per second)");
            }
            if (processTimeoutNs <= heartbeatIntervalNs * 2)
            {
                throw new ConfigurationException(CoordinatorConfiguration.PROCESS_TIMEOUT_PROP_NAME,
                    processTimeoutNs / 1_000_000 + "ms",
                    "more than twice " + CommonConfiguration.HEARTBEAT_INTERVAL_PROP_NAME);
            }
            return this;
        }

        /**
         * vRegion size as log2.
         *
         * @param vRegionShift shift.
         * @return this.
         */
        public Context vRegionShift(final int vRegionShift)
        {
            this.vRegionShift = vRegionShift;
            return this;
        }

        /**
         * Silence after which a node is dead.
         *
         * @param nodeTimeoutNs nanoseconds.
         * @return this.
         */
        public Context nodeTimeoutNs(final long nodeTimeoutNs)
        {
            this.nodeTimeoutNs = nodeTimeoutNs;
            return this;
        }

        /**
         * Silence after which a node is declared dead whatever its history.
         *
         * @param nodeTimeoutMaxNs nanoseconds.
         * @return this.
         */
        public Context nodeTimeoutMaxNs(final long nodeTimeoutMaxNs)
        {
            this.nodeTimeoutMaxNs = nodeTimeoutMaxNs;
            return this;
        }

        /**
         * Phi at which a node silent longer than the node timeout is declared dead.
         *
         * @param nodePhiThreshold threshold.
         * @return this.
         */
        public Context nodePhiThreshold(final double nodePhiThreshold)
        {
            this.nodePhiThreshold = nodePhiThreshold;
            return this;
        }

        /**
         * Most bytes per second a primary copies to a new secondary.
         *
         * @param resyncBytesPerSecond bytes per second, 0 to turn re-replication off.
         * @return this.
         */
        public Context resyncBytesPerSecond(final long resyncBytesPerSecond)
        {
            this.resyncBytesPerSecond = resyncBytesPerSecond;
            return this;
        }

        /**
         * Folder for the coordinator's state: with one, a restarted coordinator goes on where it stopped (running
         * programs keep their routes, nodes their vRegions); without, it starts a new cluster.
         *
         * @param dataDir folder, or null for none.
         * @return this.
         */
        public Context dataDir(final File dataDir)
        {
            this.dataDir = dataDir;
            return this;
        }

        /**
         * Silence after which a process is released.
         *
         * @param processTimeoutNs nanoseconds.
         * @return this.
         */
        public Context processTimeoutNs(final long processTimeoutNs)
        {
            this.processTimeoutNs = processTimeoutNs;
            return this;
        }
    }
}
