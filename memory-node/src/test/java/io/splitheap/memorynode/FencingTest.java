package io.splitheap.memorynode;

import io.splitheap.coordinator.Coordinator;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.FarAddress;
import io.splitheap.protocol.codecs.ErrorCode;
import io.splitheap.protocol.codecs.ErrorResponseDecoder;
import io.splitheap.protocol.runtime.ErrorLog;
import io.splitheap.protocol.transport.AeronResources;
import io.splitheap.protocol.transport.ServerLink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A memory node that was declared dead and comes back must not serve the vRegions taken from it meanwhile, to a
 * process that still has the old route: the coordinator tells it to forget them (and it forgets them on disk too),
 * whether it restarted with its data directory and registered again, or was only cut off and resumes its heartbeats.
 * A client that plays an agent with the old route checks that the node refuses, at the old epoch, the reads and
 * write-backs it served before, while the node that took over serves the newer data. (Re-replication is off here: it
 * would soon make the node that came back the new secondary of the same vRegion, at a newer epoch.)
 */
@Timeout(120)
class FencingTest
{
    private static final int PAGE = FarAddress.PAGE_SIZE;
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(20);
    private static final int NODES = 2;

    @TempDir
    File dataDir;

    private final ErrorLog errors = new ErrorLog("fencing-test", System.err);
    private final AtomicBoolean cutOff = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private AeronResources aeron;
    private Coordinator coordinator;
    private MemoryNode first;
    private MemoryNode second;
    private Thread invoker;
    private RawClient client;

    @BeforeEach
    void start()
    {
        aeron = AeronResources.launchEmbedded("test", System.getProperty("java.io.tmpdir"), 1 << 20, 1_000_000,
            errors);
        // the raw client sends no heartbeats: its process must outlive the test; and a loaded host stalls nodes for
        // a second or more, so the node timeout is the default floor
        coordinator = Coordinator.launch(new Coordinator.Context().secret(MemoryNodeTest.SECRET).aeron(aeron.aeron())
            .bind(new Endpoint("127.0.0.1", 0)).vRegionShift(20).nodeTimeoutNs(TimeUnit.SECONDS.toNanos(3))
            .processTimeoutNs(TimeUnit.MINUTES.toNanos(10))
            .resyncBytesPerSecond(0).errorHandler(errors));
        // the first node's duty cycle runs on a thread of the test, which can stop it (a node cut off)
        first = launch("first", true).awaitRegistered(RawClient.TIMEOUT_NS);
        invoker = new Thread(() ->
        {
            while (!stopping.get())
            {
                if (cutOff.get() || first.invoke() == 0)
                {
                    LockSupport.parkNanos(100_000);
                }
            }
        }, "first-node");
        invoker.start();
        second = launch("second", false).awaitRegistered(RawClient.TIMEOUT_NS);
        client = new RawClient(aeron.aeron(), coordinator.endpoint());
        client.register();
        client.awaitPlaceableNodes(NODES);
    }

    @AfterEach
    void stop() throws InterruptedException
    {
        client.close();
        stopping.set(true);
        invoker.join();
        first.close();
        second.close();
        coordinator.close();
        aeron.close();
    }

    @Test
    void shouldForgetTheVRegionsTakenFromItWhenItComesBackAfterACutOff() throws Exception
    {
        final Placed placed = placeOnFirst();
        cutOff.set(true);
        final RawClient.Route moved = client.awaitRoute(
            placed.vRegion, r -> r.primaryNodeId() == second.nodeId(), WAIT_NS);
        final ServerLink toSecond = client.connect(second.endpoint());
        RawClient.ack(client.write(toSecond, moved.epoch(), placed.address, pattern(2)));

        cutOff.set(false);
        awaitRefused(client.connect(first.endpoint()), placed);
        assertArrayEquals(pattern(2), client.readData(toSecond, moved.epoch(), placed.address, PAGE));
    }

    @Test
    void shouldForgetTheVRegionsTakenFromItWhenItRestartsWithItsData() throws Exception
    {
        final Placed placed = placeOnFirst();
        final int firstId = first.nodeId();
        stopping.set(true);
        invoker.join();
        first.close();
        final RawClient.Route moved = client.awaitRoute(
            placed.vRegion, r -> r.primaryNodeId() == second.nodeId(), WAIT_NS);
        final ServerLink toSecond = client.connect(second.endpoint());
        RawClient.ack(client.write(toSecond, moved.epoch(), placed.address, pattern(2)));

        first = launch("first", false).awaitRegistered(RawClient.TIMEOUT_NS);
        assertEquals(firstId, first.nodeId(), "it came back under its old id, with its old assignments on disk");
        awaitRefused(client.connect(first.endpoint()), placed);
        assertEquals(0, first.usedPages(), "and it dropped their pages");
        assertArrayEquals(pattern(2), client.readData(toSecond, moved.epoch(), placed.address, PAGE));
    }

    private MemoryNode launch(final String name, final boolean invoked)
    {
        return MemoryNode.launch(new MemoryNode.Context().secret(MemoryNodeTest.SECRET).aeron(aeron.aeron())
            .coordinator(coordinator.endpoint()).bind(new Endpoint("127.0.0.1", 0)).capacityBytes(8L << 20)
            .dataDir(new File(dataDir, name)).useInvoker(invoked).errorHandler(errors));
    }

    /**
     * A page written on a vRegion whose primary is the first node, read back from it.
     */
    private Placed placeOnFirst()
    {
        // nodes take turns as primary (and the coordinator may not reach the second yet): allocate until a vRegion
        // has the first node as primary and the second as secondary
        for (int attempt = 0; ; attempt++)
        {
            assertTrue(attempt < 100, "no vRegion on the first node with the second as secondary");
            final long address = client.allocateRouted(1 << 20);
            final long vRegion = FarAddress.vRegion(address, 20);
            final RawClient.Route route = client.route(vRegion);
            if (route.primaryNodeId() == first.nodeId() && route.secondaryNodeId() == second.nodeId())
            {
                final ServerLink toFirst = client.connect(first.endpoint());
                RawClient.ack(client.write(toFirst, route.epoch(), address, pattern(1)));
                RawClient.ack(client.write(
                    client.connect(second.endpoint()), route.epoch(), address, pattern(1)));
                assertArrayEquals(pattern(1), client.readData(toFirst, route.epoch(), address, PAGE));
                return new Placed(address, vRegion, route.epoch());
            }
        }
    }

    /**
     * Waits until the first node refuses, at the old epoch, what it served before: a read and a write-back.
     */
    private void awaitRefused(final ServerLink toFirst, final Placed placed) throws InterruptedException
    {
        final long deadline = System.nanoTime() + WAIT_NS;
        RawClient.Reply read = client.read(toFirst, client.secret, placed.epoch, placed.address, PAGE);
        while (read.templateId() != ErrorResponseDecoder.TEMPLATE_ID)
        {
            assertTrue(System.nanoTime() < deadline, "the node that came back still serves the old epoch");
            TimeUnit.MILLISECONDS.sleep(20);
            read = client.read(toFirst, client.secret, placed.epoch, placed.address, PAGE);
        }
        assertEquals(ErrorCode.NOT_OWNER, read.errorCode(), read.errorMessage());
        assertEquals(ErrorCode.NOT_OWNER, client.write(toFirst, placed.epoch, placed.address, pattern(3)).errorCode());
    }

    private static byte[] pattern(final int version)
    {
        final byte[] bytes = new byte[PAGE];
        Arrays.fill(bytes, (byte)(version * 16 + 1));
        return bytes;
    }

    private record Placed(long address, long vRegion, long epoch)
    {
    }
}
