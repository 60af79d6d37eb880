package io.splitheap.agent.backend;

import io.splitheap.agent.AgentConfiguration;
import io.splitheap.coordinator.Coordinator;
import io.splitheap.memorynode.MemoryNode;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.codecs.ErrorCode;
import io.splitheap.protocol.exceptions.RemoteException;
import io.splitheap.protocol.runtime.ErrorLog;
import io.splitheap.protocol.transport.AeronResources;
import org.agrona.UnsafeApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent's Aeron backend against a coordinator and a memory node in this JVM.
 */
@Timeout(120)
class RemoteBackendTest
{
    static final io.splitheap.protocol.security.ClusterSecret SECRET =
        io.splitheap.protocol.security.ClusterSecret.generate();
    private static final int LINE = 4096;
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    @TempDir
    File dataDir;

    private final ErrorLog errors = new ErrorLog("remote-backend-test", System.err);
    private AeronResources aeron;
    private Coordinator coordinator;
    private MemoryNode node;
    private RemoteBackend backend;
    private long buffer;

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path temp;

    @BeforeEach
    void start()
    {
        aeron = AeronResources.launchEmbedded("test", System.getProperty("java.io.tmpdir"), 1 << 20, 1_000_000,
            errors);
        coordinator = Coordinator.launch(new Coordinator.Context().secret(SECRET).aeron(aeron.aeron())
            .bind(new Endpoint("127.0.0.1", 0)).vRegionShift(20).errorHandler(errors));
        node = launchNode();
        final java.nio.file.Path secretFile = temp.resolve("cluster.secret");
        SECRET.write(secretFile);
        backend = RemoteBackend.connect(AgentConfiguration.parse("coordinator=" + coordinator.endpoint() +
            ",secret.file=" + secretFile + ",request.timeout=5s"), errors);
        buffer = UnsafeApi.allocateMemory(LINE);
    }

    @AfterEach
    void stop()
    {
        backend.close();
        node.close();
        coordinator.close();
        aeron.close();
        UnsafeApi.freeMemory(buffer);
    }

    private MemoryNode launchNode()
    {
        return MemoryNode.launch(new MemoryNode.Context().secret(SECRET).aeron(aeron.aeron())
            .coordinator(coordinator.endpoint())
            .bind(new Endpoint("127.0.0.1", 0)).capacityBytes(16L << 20).dataDir(dataDir).errorHandler(errors))
            .awaitRegistered(TIMEOUT_NS);
    }

    private long allocate(final long length)
    {
        return BackendCalls.allocate(backend, length, TIMEOUT_NS);
    }

    @Test
    void shouldWriteBackAndReadLinesOfAnAllocatedRange()
    {
        final long address = allocate(64 * 1024);
        backend.readLine(address, buffer, LINE);
        assertEquals(0, UnsafeApi.getLong(buffer + 100));
        writeLine(address + LINE, 77);
        backend.readLine(address + LINE, buffer, LINE);
        assertEquals(77, UnsafeApi.getLong(buffer + 8));
        final List<PageBackend.NodeUsage> usage = backend.nodeUsage();
        assertEquals(1, usage.size());
        assertEquals(1, usage.get(0).processPages());
    }

    @Test
    void shouldReadConsecutiveLinesAcrossVRegionsInFewRequests()
    {
        final long address = allocate(4L << 20);
        final long first = address + (1L << 20) - 8 * LINE;
        final int count = 40;
        for (int i = 0; i < count; i += 3)
        {
            writeLine(first + (long)i * LINE, 1000 + i);
        }
        final long[] targets = new long[count];
        for (int i = 0; i < count; i++)
        {
            targets[i] = UnsafeApi.allocateMemory(LINE);
            UnsafeApi.setMemory(targets[i], LINE, (byte)0x55);
        }
        try
        {
            final AtomicReference<Throwable> result = new AtomicReference<>(new IllegalStateException("pending"));
            final long[] calls = new long[1];
            assertTrue(backend.readLinesAsync(first, targets, count, LINE, error ->
            {
                calls[0]++;
                result.set(error);
            }));
            assertTrue(backend.await(() -> !(result.get() instanceof IllegalStateException), TIMEOUT_NS, "read"));
            assertNull(result.get(), "8 lines before the vRegion boundary, then 16 and 16 after it");
            assertEquals(1, calls[0], "one completion for the whole run");
            for (int i = 0; i < count; i++)
            {
                assertEquals(i % 3 == 0 ? 1000 + i : 0, UnsafeApi.getLong(targets[i] + 8), "line " + i);
                assertEquals(0, UnsafeApi.getLong(targets[i] + 16), "line " + i + " fully overwritten");
            }
            assertEquals("udp", backend.nodeUsage().get(0).transport(), "its own media driver: UDP loopback");
        }
        finally
        {
            for (final long target : targets)
            {
                UnsafeApi.freeMemory(target);
            }
        }
    }

    @Test
    void shouldReportANodesRefusalAsARemoteException()
    {
        final long address = allocate(64 * 1024);
        final RemoteException ex = assertThrows(RemoteException.class,
            () -> backend.readLine(address + 60 * 1024, buffer, 8 * LINE));
        assertEquals(ErrorCode.NOT_OWNER, ex.code());
        assertTrue(ex.getMessage().contains("address=0x"), ex.getMessage());
    }

    @Test
    void shouldFollowAMemoryNodeThatCameBackOnAnotherPort()
    {
        final long address = allocate(64 * 1024);
        writeLine(address, 5);
        final Endpoint before = node.endpoint();
        node.close();
        node = launchNode();
        assertNotEquals(before, node.endpoint());
        BackendCalls.pollUntil(backend, () -> backend.routingUpdates() > 0, TIMEOUT_NS);
        assertEquals(1, backend.routingUpdates(), "the coordinator pushed the node's new endpoint");
        backend.readLine(address, buffer, LINE);
        assertEquals(5, UnsafeApi.getLong(buffer + 8));
        assertTrue(backend.describe(address).contains(node.endpoint().toString()));
    }

    @Test
    void shouldFailAWriteBackToAStoppedNodeAtOnceAndStoreItOnceTheNodeIsBack()
    {
        final long address = allocate(64 * 1024);
        writeLine(address, 5);
        final long movesBefore = backend.routesMoved();
        node.close();
        // until Aeron notices that nobody listens any more a write-back still goes out and waits for its answer; from
        // then on it fails at once, where it used to wait the request timeout (5 s here) for the link
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        Throwable failure = null;
        long tookMs = Long.MAX_VALUE;
        while (System.nanoTime() < deadline && !(failure instanceof NodeUnavailableException && tookMs < 500))
        {
            final long start = System.nanoTime();
            failure = write(address, 6);
            tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        }
        assertTrue(failure instanceof NodeUnavailableException, "fails as unavailable: " + failure);
        assertTrue(tookMs < 500, "at once: " + tookMs + " ms");
        assertTrue(failure.getMessage().contains("node=1") && failure.getMessage().contains("not connected"),
            failure.getMessage());

        node = launchNode();
        BackendCalls.pollUntil(backend, () -> backend.routesMoved() > movesBefore, TIMEOUT_NS);
        assertEquals(movesBefore + 1, backend.routesMoved(), "the node came back on another port: the route moved");
        assertNull(write(address, 6), "sent again with the new route");
        backend.readLine(address, buffer, LINE);
        assertEquals(6, UnsafeApi.getLong(buffer + 8));
    }

    @Test
    void shouldNotWaitForTheFirstLinkToANodeThatDoesNotAnswer() throws Exception
    {
        final long address = allocate(64 * 1024);
        final Routing routing = backend.routing();
        final Routing.Route route = routing.route(address);
        // a route naming a node this process never reached, as after a re-replication chose a new secondary; nothing
        // answers at its endpoint, so its link's handshake never completes
        final Endpoint silent;
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress()))
        {
            silent = new Endpoint("127.0.0.1", socket.getLocalPort());
        }
        final long vRegion = address >>> backend.vRegionShift();
        // (same epoch: the node checks it, and this test stages only the agent's view)
        routing.put(vRegion,
            new Routing.Route(route.nodeId(), route.epoch(), route.endpoint(), 99, silent, route.incarnation(), 0));

        final long start = System.nanoTime();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        backend.writeLinesAsync(new long[]{address}, new long[]{buffer}, 1, LINE, failure::set);
        final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        // before, the write-back waited in the link's handshake for the request timeout (5 s here)
        assertTrue(BackendCalls.stillConnecting(failure.get()), "fails as unavailable: " + failure.get());
        assertTrue(tookMs < 1000, "at once: " + tookMs + " ms");
        final long again = System.nanoTime();
        failure.set(null);
        backend.writeLinesAsync(new long[]{address}, new long[]{buffer}, 1, LINE, failure::set);
        assertTrue(BackendCalls.stillConnecting(failure.get()), "still unavailable: " + failure.get());
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - again) < 1000, "a retry does not wait either");

        routing.put(vRegion, route);
        assertNull(write(address, 7), "stored once the route no longer names the silent node");
        backend.readLine(address, buffer, LINE);
        assertEquals(7, UnsafeApi.getLong(buffer + 8));
    }

    private Throwable write(final long address, final long value)
    {
        return BackendCalls.write(backend, buffer, LINE, address, value, 2 * TIMEOUT_NS);
    }

    private void writeLine(final long address, final long value)
    {
        assertNull(write(address, value));
    }
}
