package io.splitheap.agent.backend;

import io.splitheap.agent.AgentConfiguration;
import io.splitheap.coordinator.Coordinator;
import io.splitheap.memorynode.MemoryNode;
import io.splitheap.protocol.Endpoint;
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
    private MemoryNode node;
    private Thread housekeeper;
    private long buffer;

    private void start(final File coordinatorDir) throws Exception
    {
        aeron = AeronResources.launchEmbedded("test", System.getProperty("java.io.tmpdir"), 1 << 20, 1_000_000,
            errors);
        endpoint = new Endpoint("127.0.0.1", freeUdpPort());
        coordinator = launchCoordinator(coordinatorDir);
        node = MemoryNode.launch(new MemoryNode.Context().secret(RemoteBackendTest.SECRET).aeron(aeron.aeron())
            .coordinator(endpoint).bind(new Endpoint("127.0.0.1", 0)).capacityBytes(16L << 20)
            .dataDir(temp.resolve("node").toFile()).errorHandler(errors)).awaitRegistered(TIMEOUT_NS);
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
        node.close();
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
        start(null);
        final RemoteBackend program = connect();
        final long address = BackendCalls.allocate(program, 64 * 1024, TIMEOUT_NS);
        assertNull(BackendCalls.write(program, buffer, LINE, address, 5, TIMEOUT_NS), "stored");

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
