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

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests to a primary that is gone stop waiting as soon as the coordinator's failover moves the vRegion, instead of
 * waiting out the request timeout: a write-back sent to a primary that then falls silent (its process stops: the
 * link stays connected, nothing answers), and a demand read whose send finds the primary's link no longer connected.
 * Sent again with the new route, both are served by the promoted secondary.
 */
@Timeout(120)
class FailoverWritesTest
{
    private static final int LINE = 4096;
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    @TempDir
    Path temp;

    private final ErrorLog errors = new ErrorLog("failover-writes-test", System.err);
    private AeronResources aeron;
    private Coordinator coordinator;
    private MemoryNode silent;
    private MemoryNode survivor;
    private Thread silentDuty;
    private volatile boolean silentRuns = true;
    private RemoteBackend backend;
    private long buffer;

    /**
     * A coordinator, the two nodes and the backend.
     *
     * @param nodeTimeoutS    the coordinator's shortest silence before it declares a node dead.
     * @param requestTimeoutS the agent's request timeout.
     */
    private void start(final int nodeTimeoutS, final int requestTimeoutS) throws Exception
    {
        aeron = AeronResources.launchEmbedded("test", System.getProperty("java.io.tmpdir"), 1 << 20, 1_000_000,
            errors);
        coordinator = Coordinator.launch(new Coordinator.Context().secret(RemoteBackendTest.SECRET)
            .aeron(aeron.aeron()).bind(new Endpoint("127.0.0.1", 0)).vRegionShift(20)
            .nodeTimeoutNs(TimeUnit.SECONDS.toNanos(nodeTimeoutS))
            .nodeTimeoutMaxNs(TimeUnit.SECONDS.toNanos(2L * nodeTimeoutS)).errorHandler(errors));
        // the node with more free capacity gets the vRegion as its primary; it runs on a thread of the test's
        silent = MemoryNode.launch(nodeContext("silent", 32L << 20).useInvoker(true));
        silentDuty = new Thread(() ->
        {
            while (silentRuns)
            {
                if (silent.invoke() == 0)
                {
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
                }
            }
        }, "silent-node");
        // registered first, from this thread alone: two threads stepping the invoker could both send its
        // registration, and the coordinator would then know the node twice, under two ids
        silent.awaitRegistered(TIMEOUT_NS);
        silentDuty.start();
        survivor = MemoryNode.launch(nodeContext("survivor", 16L << 20)).awaitRegistered(TIMEOUT_NS);
        final Path secretFile = temp.resolve("cluster.secret");
        RemoteBackendTest.SECRET.write(secretFile);
        backend = RemoteBackend.connect(AgentConfiguration.parse("coordinator=" + coordinator.endpoint() +
            ",secret.file=" + secretFile + ",request.timeout=" + requestTimeoutS + "s"), errors);
        buffer = UnsafeApi.allocateMemory(LINE);
    }

    private MemoryNode.Context nodeContext(final String name, final long capacity)
    {
        return new MemoryNode.Context().secret(RemoteBackendTest.SECRET).aeron(aeron.aeron())
            .coordinator(coordinator.endpoint()).bind(new Endpoint("127.0.0.1", 0)).capacityBytes(capacity)
            .dataDir(temp.resolve(name).toFile()).errorHandler(errors);
    }

    @AfterEach
    void stop() throws Exception
    {
        backend.close();
        stopSilentDuty();
        silent.close();
        survivor.close();
        coordinator.close();
        aeron.close();
        UnsafeApi.freeMemory(buffer);
    }

    private void stopSilentDuty() throws InterruptedException
    {
        silentRuns = false;
        silentDuty.join();
    }

    @Test
    void shouldAbandonAWriteBackToASilentPrimaryWhenTheVRegionFailsOver() throws Exception
    {
        start(1, 10);
        final long address = allocate(64 * 1024);
        assertTrue(backend.describe(address).contains("node=" + silent.nodeId()), backend.describe(address));
        assertNull(write(address, 5), "stored on both nodes");

        silentRuns = false;
        final long start = System.nanoTime();
        final Throwable failure = write(address, 6);
        final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(failure instanceof NodeUnavailableException && failure.getMessage().contains("abandoned"),
            "abandoned when the route moved: " + failure);
        assertTrue(tookMs < TimeUnit.NANOSECONDS.toMillis(TIMEOUT_NS) / 2, "long before the request timeout: " +
            tookMs + " ms");
        assertTrue(backend.describe(address).contains("node=" + survivor.nodeId()), backend.describe(address));

        assertNull(write(address, 6), "sent again to the promoted secondary");
        backend.readLine(address, buffer, LINE);
        assertEquals(6, UnsafeApi.getLong(buffer + 8));
    }

    @Test
    void shouldStopSendingADemandReadToAPrimaryWhoseLinkIsGoneWhenTheVRegionFailsOver() throws Exception
    {
        // the coordinator declares the primary dead only after Aeron has noticed that its link lost its subscriber
        final int requestTimeoutS = 30;
        start(12, requestTimeoutS);
        final long address = allocate(64 * 1024);
        assertTrue(backend.describe(address).contains("node=" + silent.nodeId()), backend.describe(address));
        assertNull(write(address, 5), "stored on both nodes");

        stopSilentDuty();
        silent.close();
        // a write-back fails at once when the link is not connected; until then it goes out and stays unanswered
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        while (System.nanoTime() < deadline && !(failure.get() instanceof NodeUnavailableException &&
            failure.get().getMessage().contains("not connected")))
        {
            backend.writeLinesAsync(new long[]{address}, new long[]{buffer}, 1, LINE, failure::set);
            backend.await(() -> failure.get() != null, TimeUnit.MILLISECONDS.toNanos(100), "probe");
        }
        assertTrue(failure.get() instanceof NodeUnavailableException, "the primary's link is down: " + failure);
        assertTrue(backend.describe(address).contains("node=" + silent.nodeId()), "not failed over yet: " +
            backend.describe(address));

        // the agent's housekeeper heartbeats and applies routing pushes while the application thread waits
        final long start = System.nanoTime();
        BackendCalls.readWithHousekeeper(backend, address, buffer, LINE);
        final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(5, UnsafeApi.getLong(buffer + 8), "read from the promoted secondary");
        assertTrue(backend.describe(address).contains("node=" + survivor.nodeId()), backend.describe(address));
        // the send used to wait out the whole request timeout for the dead link before it looked for a new route
        assertTrue(tookMs < TimeUnit.SECONDS.toMillis(requestTimeoutS) / 2, "sent again once the vRegion failed " +
            "over, long before the request timeout: " + tookMs + " ms");
    }

    private long allocate(final long length)
    {
        return BackendCalls.allocate(backend, length, TIMEOUT_NS);
    }

    private Throwable write(final long address, final long value)
    {
        return BackendCalls.write(backend, buffer, LINE, address, value, 2 * TIMEOUT_NS);
    }
}
