package io.splitheap.launcher.cluster;

import io.splitheap.coordinator.Coordinator;
import io.splitheap.memorynode.MemoryNode;
import io.splitheap.protocol.CommonConfiguration;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.codecs.NodeKind;
import io.splitheap.protocol.exceptions.TimeoutException;
import io.splitheap.protocol.runtime.ErrorLog;
import io.splitheap.protocol.transport.AeronResources;
import io.splitheap.protocol.security.ClusterSecret;
import io.splitheap.protocol.transport.ShmJanitor;
import io.splitheap.protocol.transport.TransportSecurity;
import io.splitheap.storagenode.StorageNode;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A whole cluster in one JVM: one Aeron media driver shared by a coordinator, memory nodes and a storage node, each
 * on its own thread, with data directories under one folder (a temporary one, deleted on close, unless the caller
 * gives a folder to keep). Starting returns once every memory node is registered and reachable by the coordinator.
 */
public final class EmbeddedCluster implements AutoCloseable
{
    private static final java.util.concurrent.atomic.AtomicInteger DATA_DIRS =
        new java.util.concurrent.atomic.AtomicInteger();

    private final Context context;
    private final File dataDir;
    private final boolean deleteDataDir;
    private final AeronResources aeron;
    private final ClusterSecret secret;
    private final Path secretFile;
    private final Path secretDir;
    private final List<AutoCloseable> components = new ArrayList<>();
    private final Coordinator coordinator;
    private final List<MemoryNode> memoryNodes = new ArrayList<>();
    private ClusterStatusClient statusClient;

    private EmbeddedCluster(final Context context)
    {
        this.context = context;
        final Map<String, String> none = Map.of();
        if (context.secretFile != null)
        {
            this.secret = ClusterSecret.load(context.secretFile);
            this.secretFile = context.secretFile;
            this.secretDir = null;
        }
        else
        {
            // a new secret for this cluster, in a folder only this user can enter, deleted on close (or by the next
            // Splitheap process on this host if this one is killed)
            this.secret = ClusterSecret.generate();
            // an unpredictable name: another local user cannot create it first
            this.secretDir = ShmJanitor.createPrivateDirectory("secret",
                new java.security.SecureRandom().nextInt(Integer.MAX_VALUE));
            this.secretFile = secretDir.resolve("cluster.secret");
            secret.write(secretFile);
        }
        try
        {
            this.deleteDataDir = context.dataDir == null;
            this.dataDir = context.dataDir != null ? context.dataDir : temporaryDataDir(context);
        }
        catch (final IOException ex)
        {
            deleteSecretDir();
            throw new IllegalStateException("cannot create a data directory: " + ex, ex);
        }
        this.aeron = AeronResources.launchEmbedded("cluster", CommonConfiguration.aeronDirBase(none),
            CommonConfiguration.termLength(none), CommonConfiguration.idleMaxParkNs(none), context.errorHandler);
        try
        {
            final Coordinator.Context coordinatorContext = new Coordinator.Context()
                .aeron(aeron.aeron())
                .bind(new Endpoint(context.host, context.coordinatorPort))
                .secret(secret)
                .errorHandler(context.errorHandler);
            if (context.vRegionShift > 0)
            {
                coordinatorContext.vRegionShift(context.vRegionShift);
            }
            if (context.resyncBytesPerSecond >= 0)
            {
                coordinatorContext.resyncBytesPerSecond(context.resyncBytesPerSecond);
            }
            coordinator = Coordinator.launch(coordinatorContext);
            components.add(coordinator);
            for (int i = 1; i <= context.memoryNodes; i++)
            {
                final MemoryNode node = MemoryNode.launch(new MemoryNode.Context()
                    .aeron(aeron.aeron())
                    .coordinator(coordinator.endpoint())
                    .bind(new Endpoint(context.host, 0))
                    .capacityBytes(context.memoryNodeCapacity)
                    .dataDir(new File(dataDir, "memory-node-" + i))
                    .secret(secret)
                    .errorHandler(context.errorHandler));
                memoryNodes.add(node);
                components.add(node);
            }
            if (context.storageNode)
            {
                components.add(StorageNode.launch(new StorageNode.Context()
                    .aeron(aeron.aeron())
                    .coordinator(coordinator.endpoint())
                    .bind(new Endpoint(context.host, 0))
                    .dataDir(new File(dataDir, "storage-node"))
                    .secret(secret)
                    .errorHandler(context.errorHandler)));
            }
            awaitReady(TimeUnit.SECONDS.toNanos(30));
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    /**
     * Starts a cluster.
     *
     * @param context its settings.
     * @return the running cluster.
     */
    public static EmbeddedCluster start(final Context context)
    {
        return new EmbeddedCluster(context);
    }

    /**
     * The coordinator's endpoint: what agents are given as {@code coordinator=}.
     *
     * @return host:port.
     */
    public Endpoint coordinatorEndpoint()
    {
        return coordinator.endpoint();
    }

    /**
     * The cluster's Aeron client, for tools in this JVM (status, tests).
     *
     * @return the client.
     */
    public io.aeron.Aeron aeron()
    {
        return aeron.aeron();
    }

    /**
     * The file holding the cluster's secret, which agents are given as {@code secret.file=}.
     *
     * @return the file.
     */
    public Path secretFile()
    {
        return secretFile;
    }

    /**
     * The agent options that join this cluster: {@code coordinator=HOST:PORT,secret.file=PATH}.
     *
     * @return options.
     */
    public String agentOptions()
    {
        return "coordinator=" + coordinator.endpoint() + ",secret.file=" + secretFile;
    }

    /**
     * The memory nodes.
     *
     * @return nodes in id order of start.
     */
    public List<MemoryNode> memoryNodes()
    {
        return memoryNodes;
    }

    /**
     * The directory of the cluster's media driver, which programs on this host may share (agent option
     * {@code aeron.dir=}) to reach its nodes over shared memory.
     *
     * @return the directory.
     */
    public String aeronDirectory()
    {
        return aeron.directory();
    }

    /**
     * The folder holding the nodes' data.
     *
     * @return folder.
     */
    public File dataDir()
    {
        return dataDir;
    }

    /**
     * The status the coordinator reports.
     *
     * @return nodes.
     */
    public synchronized List<NodeStatus> status()
    {
        return view().nodes();
    }

    /**
     * Everything the coordinator reports: nodes, processes, vRegions, security counters.
     *
     * @return the view.
     */
    public synchronized ClusterView view()
    {
        if (statusClient == null)
        {
            statusClient = new ClusterStatusClient(aeron.aeron(), coordinator.endpoint(),
                CommonConfiguration.mtu(Map.of()), CommonConfiguration.termLength(Map.of()),
                TimeUnit.SECONDS.toNanos(10), TransportSecurity.of(secret));
        }
        return statusClient.view();
    }

    /**
     * Stops every component, the driver, and deletes the data folder unless it was given to keep.
     */
    public synchronized void close()
    {
        CloseHelper.quietClose(statusClient);
        for (int i = components.size() - 1; i >= 0; i--)
        {
            CloseHelper.quietClose(components.get(i));
        }
        components.clear();
        CloseHelper.quietClose(aeron);
        if (deleteDataDir && dataDir != null)
        {
            ShmJanitor.deleteRecursively(dataDir.toPath());
        }
        deleteSecretDir();
    }

    private void deleteSecretDir()
    {
        if (secretDir != null)
        {
            ShmJanitor.deleteRecursively(secretDir);
        }
    }

    /**
     * A temporary folder for the nodes' page maps: in shared memory ({@code /dev/shm}) when it has room for every
     * node's capacity, since the data dies with the cluster and a page map on disk makes every first write of a page
     * a file-system page fault (measured 39 us a page on ext4, 11 us on tmpfs); else the temporary folder. A cluster
     * killed before closing leaves it, until the next Splitheap process on the host finds its owner dead.
     */
    private static File temporaryDataDir(final Context context) throws IOException
    {
        final File shm = new File("/dev/shm");
        if (shm.isDirectory() && shm.canWrite() &&
            shm.getUsableSpace() / context.memoryNodes > context.memoryNodeCapacity + (64L << 20))
        {
            // named like the Aeron directories, so that a cluster killed before closing leaves nothing behind for
            // long: the next Splitheap process on this host deletes it (ShmJanitor)
            final File dir = new File(shm, ShmJanitor.directoryName("data", DATA_DIRS.incrementAndGet()));
            Files.createDirectories(dir.toPath());
            return dir;
        }
        return Files.createTempDirectory("splitheap-cluster-").toFile();
    }

    private void awaitReady(final long timeoutNs)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        while (true)
        {
            final List<NodeStatus> nodes = status();
            final long connected = nodes.stream().filter(n -> n.kind() == NodeKind.MEMORY && n.connected()).count();
            final long storage = nodes.stream().filter(n -> n.kind() == NodeKind.STORAGE && n.alive()).count();
            if (connected == context.memoryNodes && storage == (context.storageNode ? 1 : 0))
            {
                return;
            }
            if (System.nanoTime() > deadline)
            {
                throw new TimeoutException("cluster not ready after " + TimeUnit.NANOSECONDS.toSeconds(timeoutNs) +
                    "s: " + nodes);
            }
            try
            {
                Thread.sleep(10);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the cluster", ex);
            }
        }
    }

    /**
     * Settings of an embedded cluster.
     */
    public static final class Context
    {
        private int memoryNodes = 2;
        private long memoryNodeCapacity = 4L << 30;
        private boolean storageNode = true;
        private File dataDir;
        private String host = "127.0.0.1";
        private int coordinatorPort;
        private int vRegionShift;
        private long resyncBytesPerSecond = -1;
        private ErrorHandler errorHandler = new ErrorLog("cluster", System.err);
        private Path secretFile;

        /**
         * The cluster secret's file (default: a new secret in a private temporary file, deleted on close).
         *
         * @param secretFile the file, or null.
         * @return this.
         */
        public Context secretFile(final Path secretFile)
        {
            this.secretFile = secretFile;
            return this;
        }

        /**
         * Number of memory nodes.
         *
         * @param memoryNodes count, at least 1.
         * @return this.
         */
        public Context memoryNodes(final int memoryNodes)
        {
            this.memoryNodes = memoryNodes;
            return this;
        }

        /**
         * Capacity of each memory node.
         *
         * @param bytes capacity.
         * @return this.
         */
        public Context memoryNodeCapacity(final long bytes)
        {
            this.memoryNodeCapacity = bytes;
            return this;
        }

        /**
         * Whether to start a storage node.
         *
         * @param storageNode true to start one.
         * @return this.
         */
        public Context storageNode(final boolean storageNode)
        {
            this.storageNode = storageNode;
            return this;
        }

        /**
         * A folder for the nodes' data that is kept after close (default: a temporary folder, deleted).
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
         * Host every component binds to.
         *
         * @param host address.
         * @return this.
         */
        public Context host(final String host)
        {
            this.host = host;
            return this;
        }

        /**
         * The coordinator's port (0 for any free port).
         *
         * @param port port.
         * @return this.
         */
        public Context coordinatorPort(final int port)
        {
            this.coordinatorPort = port;
            return this;
        }

        /**
         * vRegion size as log2 (0 for the configured default).
         *
         * @param shift shift.
         * @return this.
         */
        public Context vRegionShift(final int shift)
        {
            this.vRegionShift = shift;
            return this;
        }

        /**
         * Most bytes per second a primary copies to a new secondary (-1 for the configured default).
         *
         * @param bytesPerSecond the rate, 0 to turn re-replication off.
         * @return this.
         */
        public Context resyncBytesPerSecond(final long bytesPerSecond)
        {
            this.resyncBytesPerSecond = bytesPerSecond;
            return this;
        }

        /**
         * Receives the components' errors.
         *
         * @param errorHandler handler.
         * @return this.
         */
        public Context errorHandler(final ErrorHandler errorHandler)
        {
            this.errorHandler = errorHandler;
            return this;
        }
    }
}
