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

import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A memory node that holds the only copy of a vRegion stops and is started again with its data directory: a demand
 * read waiting on it is served by the new process, on the same endpoint (where the agent's link still looks connected
 * and must handshake again, since the new process knows none of its sessions) or on a new one (which the coordinator
 * pushes once the node registered again). A node that does not come back fails the read with the reason, after two
 * request timeouts of trying.
 */
@Timeout(120)
class NodeRestartTest
{
    private static final int LINE = 4096;
    private static final int REQUEST_TIMEOUT_S = 2;
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    @TempDir
    Path temp;

    private final ErrorLog errors = new ErrorLog("node-restart-test", System.err);
    private AeronResources aeron;
    private Coordinator coordinator;
    private MemoryNode node;
    private RemoteBackend backend;
    private long buffer;

    private void start(final Endpoint bind) throws Exception
    {
        start(bind, REQUEST_TIMEOUT_S);
    }

    private void start(final Endpoint bind, final int requestTimeoutS) throws Exception
    {
        aeron = AeronResources.launchEmbedded("test", System.getProperty("java.io.tmpdir"), 1 << 20, 1_000_000,
            errors);
        coordinator = Coordinator.launch(new Coordinator.Context().secret(RemoteBackendTest.SECRET)
            .aeron(aeron.aeron()).bind(new Endpoint("127.0.0.1", 0)).vRegionShift(20)
            .nodeTimeoutNs(TimeUnit.SECONDS.toNanos(1)).nodeTimeoutMaxNs(TimeUnit.SECONDS.toNanos(2))
            .errorHandler(errors));
        node = launchNode(bind);
        final Path secretFile = temp.resolve("cluster.secret");
        RemoteBackendTest.SECRET.write(secretFile);
        backend = RemoteBackend.connect(AgentConfiguration.parse("coordinator=" + coordinator.endpoint() +
            ",secret.file=" + secretFile + ",request.timeout=" + requestTimeoutS + "s"), errors);
        buffer = UnsafeApi.allocateMemory(LINE);
    }

    private MemoryNode launchNode(final Endpoint bind)
    {
        return MemoryNode.launch(new MemoryNode.Context().secret(RemoteBackendTest.SECRET).aeron(aeron.aeron())
            .coordinator(coordinator.endpoint()).bind(bind).capacityBytes(16L << 20)
            .dataDir(temp.resolve("node").toFile()).errorHandler(errors)).awaitRegistered(TIMEOUT_NS);
    }

    @AfterEach
    void stop()
    {
        backend.close();
        if (node != null)
        {
            node.close();
        }
        coordinator.close();
        aeron.close();
        UnsafeApi.freeMemory(buffer);
    }

    @Test
    void shouldReadFromTheNodeRestartedOnItsEndpoint() throws Exception
    {
        final Endpoint fixed = new Endpoint("127.0.0.1", freeUdpPort());
        start(fixed);
        final long address = BackendCalls.allocate(backend, 64 * 1024, TIMEOUT_NS);
        assertNull(BackendCalls.write(backend, buffer, LINE, address, 5, TIMEOUT_NS), "stored");
        final int id = node.nodeId();

        node.close();
        node = launchNode(fixed);
        assertEquals(id, node.nodeId(), "the same node, from its data directory");
        assertEquals(5, readWithHousekeeper(address), "the page the node stored before its restart");
        assertNull(BackendCalls.write(backend, buffer, LINE, address, 6, TIMEOUT_NS), "write-backs go there too");
        assertEquals(6, readWithHousekeeper(address));
    }

    /**
     * A node restarted on its endpoint registers with a new incarnation; the coordinator pushes it, and the process's
     * link to the node handshakes again at once, so a read takes about a handshake rather than a request timeout (30 s
     * here: without the push the read went to the old session, which the new process drops, and waited for it).
     */
    @Test
    void shouldHandshakeAgainAtOnceWithANodeRestartedOnItsEndpoint() throws Exception
    {
        final Endpoint fixed = new Endpoint("127.0.0.1", freeUdpPort());
        start(fixed, 30);
        final long address = BackendCalls.allocate(backend, 64 * 1024, TIMEOUT_NS);
        assertNull(BackendCalls.write(backend, buffer, LINE, address, 11, TIMEOUT_NS), "stored");
        final long movesBefore = backend.routesMoved();

        node.close();
        node = launchNode(fixed);
        final long start = System.nanoTime();
        assertEquals(11, readWithHousekeeper(address), "the page the node stored before its restart");
        final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("read from the node restarted on its endpoint in " + tookMs + " ms");
        assertTrue(tookMs < 10_000, "read " + tookMs + " ms after the restart, against a request timeout of 30 s");
        assertTrue(backend.routesMoved() > movesBefore, "the push with the node's new incarnation moved the route");
        assertNull(BackendCalls.write(backend, buffer, LINE, address, 12, TIMEOUT_NS), "write-backs go there too");
        assertEquals(12, readWithHousekeeper(address));
    }

    @Test
    void shouldReadFromTheNodeRestartedOnANewEndpoint() throws Exception
    {
        start(new Endpoint("127.0.0.1", 0));
        final long address = BackendCalls.allocate(backend, 64 * 1024, TIMEOUT_NS);
        assertNull(BackendCalls.write(backend, buffer, LINE, address, 7, TIMEOUT_NS), "stored");
        final Endpoint before = node.endpoint();

        node.close();
        node = launchNode(new Endpoint("127.0.0.1", 0));
        assertTrue(!before.equals(node.endpoint()), "a new endpoint: " + node.endpoint());
        assertEquals(7, readWithHousekeeper(address), "the page the node stored before its restart");
        assertTrue(backend.describe(address).contains(node.endpoint().toString()), backend.describe(address));
    }

    @Test
    void shouldFailTheReadWithTheReasonWhenTheNodeDoesNotComeBack() throws Exception
    {
        start(new Endpoint("127.0.0.1", 0));
        final long address = BackendCalls.allocate(backend, 64 * 1024, TIMEOUT_NS);
        assertNull(BackendCalls.write(backend, buffer, LINE, address, 9, TIMEOUT_NS), "stored");
        node.close();
        node = null;

        final long start = System.nanoTime();
        final RuntimeException failure = assertThrows(RuntimeException.class, () -> readWithHousekeeper(address));
        final long tookS = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertTrue(failure.getMessage().contains("holds the only copy of this vRegion and did not come back within " +
            2 * REQUEST_TIMEOUT_S * 1000 + "ms"), failure.getMessage());
        // the first failure (one request timeout), two request timeouts of trying, and the last try
        assertTrue(tookS >= 2 * REQUEST_TIMEOUT_S && tookS <= 6 * REQUEST_TIMEOUT_S, "failed after " + tookS + " s");
    }

    private long readWithHousekeeper(final long address) throws InterruptedException
    {
        BackendCalls.readWithHousekeeper(backend, address, buffer, LINE);
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
