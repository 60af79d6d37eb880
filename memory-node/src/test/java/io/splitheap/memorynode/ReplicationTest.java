package io.splitheap.memorynode;

import io.splitheap.coordinator.Coordinator;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.FarAddress;
import io.splitheap.protocol.codecs.ErrorCode;
import io.splitheap.protocol.codecs.SecondaryState;
import io.splitheap.protocol.runtime.ErrorLog;
import io.splitheap.protocol.transport.AeronResources;
import io.splitheap.protocol.transport.ServerLink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Re-replication at the level of the wire protocol, with a client that plays the agent exactly: three memory nodes
 * and a coordinator whose copies run at 1 MiB/s, so that a 4 MiB vRegion takes about four seconds to copy and the test
 * can write while the copy is under way. The vRegion's secondary is stopped; its primary copies it to the third node
 * while the client writes and frees at the new epoch on the new secondary before the primary (pages the copy reaches
 * last, with the primary's older values, which must not overwrite the newer ones) and, as a client that missed the
 * routing push, at the old epoch on the primary alone (pages the copy passed already, which the primary must copy
 * again). Then the primary is stopped too, and the third node, promoted, must hold exactly the latest value of every
 * page.
 */
@Timeout(120)
class ReplicationTest
{
    private static final int PAGE = FarAddress.PAGE_SIZE;
    private static final int SHIFT = 22;
    private static final int PAGES = (1 << SHIFT) / PAGE;
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(30);
    private static final int NODES = 3;

    @TempDir
    File dataDir;

    private final ErrorLog errors = new ErrorLog("replication-test", System.err);
    private final List<MemoryNode> nodes = new ArrayList<>();
    private AeronResources aeron;
    private Coordinator coordinator;
    private RawClient client;

    @BeforeEach
    void start()
    {
        aeron = AeronResources.launchEmbedded("test", System.getProperty("java.io.tmpdir"), 1 << 20, 1_000_000,
            errors);
        // the raw client sends no heartbeats: its process must outlive the test; and a loaded host stalls nodes for
        // a second or more, so the node timeout is the default floor
        coordinator = Coordinator.launch(new Coordinator.Context().secret(MemoryNodeTest.SECRET).aeron(aeron.aeron())
            .bind(new Endpoint("127.0.0.1", 0)).vRegionShift(SHIFT).nodeTimeoutNs(TimeUnit.SECONDS.toNanos(3))
            .processTimeoutNs(TimeUnit.MINUTES.toNanos(10))
            .resyncBytesPerSecond(1 << 20).errorHandler(errors));
        for (int i = 0; i < NODES; i++)
        {
            nodes.add(MemoryNode.launch(new MemoryNode.Context().secret(MemoryNodeTest.SECRET).aeron(aeron.aeron())
                .coordinator(coordinator.endpoint()).bind(new Endpoint("127.0.0.1", 0)).capacityBytes(8L << 20)
                .dataDir(new File(dataDir, "node-" + i)).errorHandler(errors)).awaitRegistered(RawClient.TIMEOUT_NS));
        }
        client = new RawClient(aeron.aeron(), coordinator.endpoint());
        client.register();
        client.awaitPlaceableNodes(NODES);
    }

    @AfterEach
    void stop()
    {
        client.close();
        nodes.forEach(MemoryNode::close);
        coordinator.close();
        aeron.close();
    }

    @Test
    void shouldCopyAVRegionToANewSecondaryWithoutLosingOrRevertingAWrite() throws Exception
    {
        final long base = client.allocateRouted(1 << SHIFT);
        final long vRegion = FarAddress.vRegion(base, SHIFT);
        final RawClient.Route placed = client.route(vRegion);
        final MemoryNode primary = node(placed.primaryNodeId());
        final MemoryNode secondary = node(placed.secondaryNodeId());
        final MemoryNode third = nodes.stream().filter(n -> n != primary && n != secondary).findFirst().orElseThrow();
        final ServerLink toPrimary = client.connect(primary.endpoint());
        final ServerLink toSecondary = client.connect(secondary.endpoint());
        final ServerLink toThird = client.connect(third.endpoint());
        final long oldEpoch = placed.epoch();
        for (int page = 0; page < PAGES; page++)
        {
            RawClient.ack(client.write(toPrimary, oldEpoch, base + (long)page * PAGE, pattern(page, 1)));
            RawClient.ack(client.write(toSecondary, oldEpoch, base + (long)page * PAGE, pattern(page, 1)));
        }

        secondary.close();
        final RawClient.Route copying = client.awaitRoute(
            vRegion, r -> r.secondaryNodeId() == third.nodeId(), WAIT_NS);
        assertEquals(primary.nodeId(), copying.primaryNodeId());
        assertEquals(oldEpoch + 1, copying.epoch(), "the new secondary comes with the next epoch");
        final long newEpoch = copying.epoch();
        // routed agents write to both, and either may get there first: here the new secondary, for the last pages,
        // which the copy reaches seconds later with what the primary still holds (the older values)
        for (int page = PAGES - 8; page < PAGES; page++)
        {
            RawClient.ack(client.write(toThird, newEpoch, base + (long)page * PAGE, pattern(page, 2)));
        }
        RawClient.ack(client.free(toThird, newEpoch, base + (PAGES - 16L) * PAGE, 4L * PAGE));
        // an agent that missed the push writes and frees at the old epoch on the primary only, pages copied already
        for (int page = 0; page < 8; page++)
        {
            RawClient.ack(client.write(toPrimary, oldEpoch, base + (long)page * PAGE, pattern(page, 3)));
        }
        RawClient.ack(client.free(toPrimary, oldEpoch, base + 16L * PAGE, 4L * PAGE));
        assertEquals(SecondaryState.SYNCING, client.secondaryState(vRegion), "all of this while the copy runs");

        awaitState(vRegion, SecondaryState.SYNCED);
        for (int page = PAGES - 8; page < PAGES; page++)
        {
            RawClient.ack(client.write(toPrimary, newEpoch, base + (long)page * PAGE, pattern(page, 2)));
        }
        RawClient.ack(client.free(toPrimary, newEpoch, base + (PAGES - 16L) * PAGE, 4L * PAGE));
        assertEquals(ErrorCode.STALE_EPOCH, client.write(toPrimary, oldEpoch, base, pattern(0, 4)).errorCode(),
            "once the copy is complete the primary takes the new epoch only");

        primary.close();
        final RawClient.Route promoted = client.awaitRoute(
            vRegion, r -> r.primaryNodeId() == third.nodeId(), WAIT_NS);
        assertTrue(promoted.epoch() > newEpoch);
        for (int page = 0; page < PAGES; page++)
        {
            final boolean freed = page >= 16 && page < 20 || page >= PAGES - 16 && page < PAGES - 12;
            final byte[] expected = page < 8 ? pattern(page, 3) : freed ? new byte[0] :
                page >= PAGES - 8 ? pattern(page, 2) : pattern(page, 1);
            assertArrayEquals(expected, client.readData(toThird, promoted.epoch(), base + (long)page * PAGE, PAGE),
                "page " + page + " on the promoted node");
        }
    }

    private MemoryNode node(final int id)
    {
        return nodes.stream().filter(n -> n.nodeId() == id).findFirst().orElseThrow();
    }

    private void awaitState(final long vRegion, final SecondaryState state) throws InterruptedException
    {
        final long deadline = System.nanoTime() + WAIT_NS;
        while (client.secondaryState(vRegion) != state)
        {
            assertTrue(System.nanoTime() < deadline, "vRegion=" + vRegion + " never " + state);
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private static byte[] pattern(final int page, final int version)
    {
        final byte[] bytes = new byte[PAGE];
        Arrays.fill(bytes, (byte)(version * 16 + 1));
        bytes[0] = (byte)page;
        bytes[1] = (byte)(page >>> 8);
        return bytes;
    }
}
