package io.splitheap.agent.backend;

import io.splitheap.agent.AgentConfiguration;
import io.splitheap.coordinator.Coordinator;
import io.splitheap.coordinator.internal.ClusterRegistry;
import io.splitheap.coordinator.internal.CoordinatorStore;
import io.splitheap.coordinator.internal.ProcessRecord;
import io.splitheap.coordinator.internal.RegionRecord;
import io.splitheap.memorynode.MemoryNode;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.codecs.SecondaryState;
import io.splitheap.protocol.runtime.ErrorLog;
import io.splitheap.protocol.transport.AeronResources;
import org.agrona.UnsafeApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The coordinator stops and starts again on its endpoint. With its data directory it goes on where it stopped: the
 * running program keeps its pid, far data and routes, an allocation made while it was down waits for it and then
 * succeeds, the memory node is known again without registering anew, and a new program joins. Without one it is a new
 * cluster: the node registers again and drops the old cluster's processes, so the old program's reads fail with the
 * reason rather than reading another program's pages.
 */
@Timeout(120)
class CoordinatorRestartTest
{
    private static final int LINE = 4096;
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    @TempDir
    Path temp;

    private final ErrorLog errors = new ErrorLog("coordinator-restart-test", System.err);
    private final List<RemoteBackend> backends = new CopyOnWriteArrayList<>();
    private final AtomicBoolean housekeeping = new AtomicBoolean(true);
    private AeronResources aeron;
    private Endpoint endpoint;
    private Coordinator coordinator;
    private final List<MemoryNode> nodes = new ArrayList<>();
    private Thread housekeeper;
    private long buffer;

    private void start(final File coordinatorDir) throws Exception
    {
        start(coordinatorDir, 1);
    }

    private void start(final File coordinatorDir, final int nodeCount) throws Exception
    {
        aeron = AeronResources.launchEmbedded("test", System.getProperty("java.io.tmpdir"), 1 << 20, 1_000_000,
            errors);
        endpoint = new Endpoint("127.0.0.1", freeUdpPort());
        coordinator = launchCoordinator(coordinatorDir);
        for (int i = 0; i < nodeCount; i++)
        {
            nodes.add(launchNode(i));
        }
        buffer = UnsafeApi.allocateMemory(LINE);
        housekeeper = new Thread(() ->
        {
            while (housekeeping.get())
            {
                for (final RemoteBackend backend : backends)
                {
                    backend.doWork(System.nanoTime());
                    backend.poll();
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        }, "test-housekeeper");
    }

    /**
     * A cluster and a program that stored a value in the first line of a far range.
     */
    private Holding startWithAPage(final File coordinatorDir, final int nodeCount, final long value) throws Exception
    {
        start(coordinatorDir, nodeCount);
        final RemoteBackend program = connect();
        final long address = BackendCalls.allocate(program, 64 * 1024, TIMEOUT_NS);
        assertNull(BackendCalls.write(program, buffer, LINE, address, value, TIMEOUT_NS), "stored");
        return new Holding(program, address);
    }

    private static boolean hasSyncedSecondary(final File state)
    {
        final ClusterRegistry registry = new ClusterRegistry(20);
        new CoordinatorStore(state).load(registry, 0);
        return registry.processes().stream().flatMap(process -> process.regions().stream())
            .anyMatch(region -> region.secondaryState() == SecondaryState.SYNCED);
    }

    private record Holding(RemoteBackend program, long address)
    {
    }

    private MemoryNode launchNode(final int index)
    {
        return MemoryNode.launch(new MemoryNode.Context().secret(RemoteBackendTest.SECRET).aeron(aeron.aeron())
            .coordinator(endpoint).bind(new Endpoint("127.0.0.1", 0)).capacityBytes(16L << 20)
            .dataDir(temp.resolve("node-" + index).toFile()).errorHandler(errors)).awaitRegistered(TIMEOUT_NS);
    }

    private Coordinator launchCoordinator(final File dataDir)
    {
        return Coordinator.launch(new Coordinator.Context().secret(RemoteBackendTest.SECRET).aeron(aeron.aeron())
            .bind(endpoint).vRegionShift(20).dataDir(dataDir).errorHandler(errors));
    }

    private RemoteBackend connect() throws IOException
    {
        final Path secretFile = temp.resolve("cluster.secret");
        if (!secretFile.toFile().exists())
        {
            RemoteBackendTest.SECRET.write(secretFile);
        }
        final RemoteBackend backend = RemoteBackend.connect(AgentConfiguration.parse("coordinator=" + endpoint +
            ",secret.file=" + secretFile + ",request.timeout=2s"), errors);
        backends.add(backend);
        if (!housekeeper.isAlive())
        {
            housekeeper.start();
        }
        return backend;
    }

    @AfterEach
    void stop() throws InterruptedException
    {
        housekeeping.set(false);
        if (housekeeper != null && housekeeper.isAlive())
        {
            housekeeper.join();
        }
        backends.forEach(RemoteBackend::close);
        nodes.forEach(MemoryNode::close);
        coordinator.close();
        aeron.close();
        UnsafeApi.freeMemory(buffer);
    }

    @Test
    void shouldGoOnWhereItStoppedWhenRestartedWithItsDataDirectory() throws Exception
    {
        start(temp.resolve("coordinator").toFile());
        final RemoteBackend program = connect();
        final long first = BackendCalls.allocate(program, 64 * 1024, TIMEOUT_NS);
        assertNull(BackendCalls.write(program, buffer, LINE, first, 5, TIMEOUT_NS), "stored");

        coordinator.close();
        assertEquals(5, read(program, first), "far data is read through the routes the program has");
        final CompletableFuture<Long> waiting = CompletableFuture.supplyAsync(() -> program.allocate(64 * 1024));
        Thread.sleep(1000);
        assertFalse(waiting.isDone(), "an allocation waits while the coordinator is down");
        coordinator = launchCoordinator(temp.resolve("coordinator").toFile());

        final long second = waiting.get(30, TimeUnit.SECONDS);
        assertTrue(second >= first + 64 * 1024 || second + 64 * 1024 <= first, "a range of its own: " + second);
        assertNull(BackendCalls.write(program, buffer, LINE, second, 6, TIMEOUT_NS), "stored on the node");
        assertEquals(6, read(program, second));
        assertEquals(5, read(program, first), "the data from before the restart");

        final RemoteBackend newcomer = connect();
        assertNotEquals(program.pid(), newcomer.pid(), "pids are not handed out twice");
        final long third = BackendCalls.allocate(newcomer, 64 * 1024, TIMEOUT_NS);
        assertNull(BackendCalls.write(newcomer, buffer, LINE, third, 7, TIMEOUT_NS),
            "the node accepts a process registered after the restart: same incarnation, same capabilities");
        assertEquals(7, read(newcomer, third));
        assertEquals(5, read(program, first));
    }

    @Test
    void shouldStartANewClusterWhenRestartedWithoutState() throws Exception
    {
        final Holding holding = startWithAPage(null, 1, 5);
        final RemoteBackend program = holding.program();
        final long address = holding.address();

        coordinator.close();
        coordinator = launchCoordinator(null);

        final RemoteBackend newcomer = connect();
        final long other = BackendCalls.allocate(newcomer, 64 * 1024, TIMEOUT_NS);
        assertNull(BackendCalls.write(newcomer, buffer, LINE, other, 9, TIMEOUT_NS),
            "the node registered with the new cluster");
        assertEquals(9, read(newcomer, other));
        final RuntimeException failure = assertThrows(RuntimeException.class, () -> read(program, address));
        assertTrue(failure.getMessage().contains("secret") || failure.getMessage().contains("pid=" + program.pid()),
            "the old program's read fails with the reason: " + failure.getMessage());
    }

    /**
     * Both the coordinator (without state) and the node restart: the node remembers which cluster it held pages for
     * (the coordinator's incarnation, in its data directory) and drops them when it registers with the new one, so a
     * process of the new cluster that gets the same pid and addresses reads zeros, never the old process's pages.
     */
    @Test
    void shouldNotShowTheOldClustersPagesToANewProcessWithTheSamePid() throws Exception
    {
        final Holding holding = startWithAPage(null, 1, 5);
        final RemoteBackend program = holding.program();
        final long address = holding.address();
        final int pid = program.pid();
        coordinator.close();
        backends.remove(program);
        program.close();
        nodes.remove(0).close();

        coordinator = launchCoordinator(null);
        nodes.add(launchNode(0));
        final RemoteBackend newcomer = connect();
        assertEquals(pid, newcomer.pid(), "a new cluster hands out the same pid");
        assertEquals(address, BackendCalls.allocate(newcomer, 64 * 1024, TIMEOUT_NS), "and the same range");
        assertEquals(0, read(newcomer, address), "a page the new process never wrote reads as zeros");
    }

    /**
     * A failover's promotion that the state records but the surviving node never received (the coordinator died
     * between writing its state and the node's acknowledgement, with the old primary dead too): the restarted
     * coordinator tells every node its roles again, so the program's reads at the new epoch are served.
     */
    @Test
    void shouldTellTheNodesTheirRolesAgainSoThatAPromotionCutShortByTheCrashTakesEffect() throws Exception
    {
        final File state = temp.resolve("coordinator").toFile();
        final Holding holding = startWithAPage(state, 2, 5);
        final RemoteBackend program = holding.program();
        final long address = holding.address();
        // the vRegion may have been placed before the coordinator's link to the second node was up: then it gets
        // its secondary by re-replication, a second or two later
        final long synced = System.nanoTime() + TIMEOUT_NS;
        while (!hasSyncedSecondary(state) && System.nanoTime() < synced)
        {
            Thread.sleep(100);
        }
        assertTrue(hasSyncedSecondary(state), "the vRegion has a synced copy on the other node");
        coordinator.close();

        final ClusterRegistry registry = new ClusterRegistry(20);
        final CoordinatorStore store = new CoordinatorStore(state);
        final long incarnation = store.load(registry, System.nanoTime());
        final ProcessRecord process = registry.process(program.pid());
        final RegionRecord region = process.regions().get(0);
        final int survivor = region.secondaryNodeId();
        registry.reassign(process, region, survivor, 0, region.epoch() + 1, SecondaryState.NONE);
        store.save(registry, incarnation);
        final MemoryNode dead = nodes.stream().filter(node -> node.nodeId() == region.primaryNodeId()).findFirst()
            .orElseThrow();
        dead.close();
        nodes.remove(dead);

        final long updates = program.routingUpdates();
        coordinator = launchCoordinator(state);
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (program.routingUpdates() == updates && System.nanoTime() < deadline)
        {
            Thread.sleep(50);
        }
        assertTrue(program.routingUpdates() > updates, "the program got its routes from the restarted coordinator");
        assertTrue(program.describe(address).contains("node=" + survivor), program.describe(address));
        assertEquals(5, read(program, address), "served by the node promoted at the new epoch");
    }

    private long read(final RemoteBackend backend, final long address)
    {
        backend.readLine(address, buffer, LINE);
        return UnsafeApi.getLong(buffer + 8);
    }

    private static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
