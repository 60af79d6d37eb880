package io.splitheap.coordinator.internal;

import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.codecs.ErrorCode;
import io.splitheap.protocol.codecs.NodeKind;
import io.splitheap.protocol.codecs.SecondaryState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterRegistryTest
{
    private static final int SHIFT = 20;
    private static final long REGION = 1L << SHIFT;

    private final ClusterRegistry registry = new ClusterRegistry(SHIFT, MemberNode::isAlive);

    private MemberNode node(final long capacity)
    {
        return registry.registerNode(NodeKind.MEMORY, 0, new Endpoint("127.0.0.1", 1000 + registry.nodes().size()),
            capacity, 0);
    }

    private ProcessRecord process()
    {
        return registry.registerProcess(1, "host", pid -> pid * 7L, 0);
    }

    /**
     * Half a vRegion of a new process on two new nodes.
     */
    private Placed placeOnTwoNodes()
    {
        final MemberNode one = node(16 * REGION);
        final MemberNode two = node(16 * REGION);
        final ProcessRecord process = process();
        final RegionRecord region = registry.place(process, REGION / 2).get(0).region();
        final MemberNode primary = region.primaryNodeId() == one.id() ? one : two;
        return new Placed(process, region, primary, primary == one ? two : one);
    }

    private record Placed(ProcessRecord process, RegionRecord region, MemberNode primary, MemberNode secondary)
    {
    }

    @Test
    void shouldSpreadAProcessOverTheNodesByFreeCapacity()
    {
        final MemberNode one = node(16 * REGION);
        final MemberNode two = node(16 * REGION);
        final MemberNode three = node(16 * REGION);
        final ProcessRecord process = process();
        final RegionRecord first = registry.place(process, REGION / 2).get(0).region();
        final RegionRecord second = registry.place(process, REGION / 2).get(0).region();
        assertEquals(Set.of(1, 2, 3), Set.of(first.primaryNodeId(), first.secondaryNodeId(), second.primaryNodeId()),
            "the second range goes to the node with more free capacity");
        assertEquals(REGION / 2 * 4, one.mappedBytes() + two.mappedBytes() + three.mappedBytes());
    }

    @Test
    void shouldSpreadPrimariesWhenEveryNodeHoldsACopy()
    {
        final MemberNode one = node(16 * REGION);
        final MemberNode two = node(16 * REGION);
        final ProcessRecord process = process();
        final int first = registry.place(process, REGION / 2).get(0).region().primaryNodeId();
        final int second = registry.place(process, REGION / 2).get(0).region().primaryNodeId();
        assertNotEquals(first, second, "with equal free capacity the node serving fewer bytes is the primary");
        assertEquals(REGION, one.mappedBytes());
        assertEquals(REGION, two.mappedBytes());
        assertEquals(REGION / 2, one.primaryBytes());
        assertEquals(REGION / 2, two.primaryBytes());
    }

    @Test
    void shouldChargeARangeToItsPrimaryAndItsSecondary()
    {
        final MemberNode one = node(16 * REGION);
        final MemberNode two = node(8 * REGION);
        final RegionRecord region = registry.place(process(), REGION / 4).get(0).region();
        assertEquals(one.id(), region.primaryNodeId());
        assertEquals(two.id(), region.secondaryNodeId());
        assertEquals(REGION / 4, one.mappedBytes());
        assertEquals(REGION / 4, two.mappedBytes(), "the secondary stores every page too");
        assertEquals(0, two.primaryBytes());
    }

    @Test
    void shouldPlaceWithoutASecondaryOnceNoOtherNodeHasRoom()
    {
        final MemberNode big = node(4 * REGION);
        final MemberNode small = node(REGION);
        final ProcessRecord process = process();
        final RegionRecord first = registry.place(process, REGION / 2).get(0).region();
        final RegionRecord second = registry.place(process, REGION / 2).get(0).region();
        assertEquals(first, second, "the second range fills the first vRegion: its secondary has room");
        assertEquals(small.id(), second.secondaryNodeId());
        assertEquals(REGION, small.mappedBytes());

        final Piece third = registry.place(process, REGION / 2).get(0);
        assertTrue(third.newRegion());
        assertEquals(big.id(), third.region().primaryNodeId());
        assertEquals(0, third.region().secondaryNodeId(), "the only other node is full: no secondary");
        assertEquals(REGION, small.mappedBytes(), "a full node is never charged past its capacity");
        assertEquals(3 * REGION / 2, big.mappedBytes());
    }

    @Test
    void shouldNotFillAVRegionWhoseSecondaryHasNoRoomForTheRange()
    {
        node(4 * REGION);
        final MemberNode small = node(3 * REGION / 4);
        final ProcessRecord process = process();
        final RegionRecord first = registry.place(process, REGION / 2).get(0).region();
        final Piece second = registry.place(process, REGION / 2).get(0);
        assertEquals(small.id(), first.secondaryNodeId());
        assertTrue(second.newRegion(), "the first vRegion has room but its secondary has not");
        assertEquals(0, second.region().secondaryNodeId());
        assertEquals(REGION / 2, small.mappedBytes());
    }

    @Test
    void shouldMoveTheChargeWithAVRegionThatIsReassigned()
    {
        final Placed placed = placeOnTwoNodes();
        final ProcessRecord process = placed.process();
        final RegionRecord region = placed.region();
        final MemberNode primary = placed.primary();
        final MemberNode secondary = placed.secondary();

        final RegionRecord promoted = registry.reassign(process, region, secondary.id(), 0, region.epoch() + 1,
            SecondaryState.NONE);
        assertEquals(promoted, process.region(region.vRegion()));
        assertEquals(0, primary.mappedBytes(), "the node that lost the vRegion is no longer charged");
        assertEquals(REGION / 2, secondary.mappedBytes());
        assertEquals(REGION / 2, secondary.primaryBytes(), "the promoted copy is now the primary");

        registry.removeProcess(process.pid());
        assertEquals(0, secondary.mappedBytes());
        assertEquals(0, secondary.primaryBytes());
    }

    @Test
    void shouldPackSmallRangesIntoAVRegionTheNodeAlreadyOwns()
    {
        node(16 * REGION);
        final ProcessRecord process = process();
        final Piece a = registry.place(process, 4096).get(0);
        final Piece b = registry.place(process, 8192).get(0);
        assertEquals(a.region(), b.region());
        assertTrue(a.newRegion() && !b.newRegion());
        assertEquals(a.address() + 4096, b.address());
    }

    @Test
    void shouldGiveEachVRegionASecondaryOnAnotherNode()
    {
        node(16 * REGION);
        node(16 * REGION);
        final RegionRecord region = registry.place(process(), 4096).get(0).region();
        assertNotEquals(0, region.secondaryNodeId());
        assertNotEquals(region.primaryNodeId(), region.secondaryNodeId());
    }

    @Test
    void shouldSplitALargeRangeIntoConsecutiveVRegionsOverTheNodes()
    {
        node(16 * REGION);
        node(16 * REGION);
        final List<Piece> pieces = registry.place(process(), 3 * REGION + 4096);
        assertEquals(4, pieces.size());
        for (int i = 1; i < pieces.size(); i++)
        {
            assertEquals(pieces.get(i - 1).address() + pieces.get(i - 1).length(), pieces.get(i).address());
        }
        assertEquals(2, pieces.stream().map(p -> p.region().primaryNodeId()).distinct().count());
    }

    @Test
    void shouldNeverHandOutAddressZero()
    {
        node(16 * REGION);
        assertTrue(registry.place(process(), 4096).get(0).address() >= REGION);
    }

    @Test
    void shouldExplainWhyItCannotPlace()
    {
        final ProcessRecord process = process();
        assertEquals(ErrorCode.NO_MEMORY_NODES,
            assertThrows(PlacementException.class, () -> registry.place(process, 4096)).code());
        node(REGION);
        assertEquals(ErrorCode.CAPACITY_EXCEEDED,
            assertThrows(PlacementException.class, () -> registry.place(process, 2 * REGION)).code());
    }

    @Test
    void shouldMakeADeadNodeThatAVRegionLeavesForgetItBeforeItTakesNewOnes()
    {
        final Placed placed = placeOnTwoNodes();
        final ProcessRecord process = placed.process();
        final RegionRecord region = placed.region();
        final MemberNode primary = placed.primary();
        final MemberNode secondary = placed.secondary();

        primary.alive(false);
        registry.reassign(process, region, secondary.id(), 0, region.epoch() + 1, SecondaryState.NONE);
        assertEquals(0, secondary.pendingRevocations(), "an alive node is told at once by whoever reassigns");
        primary.alive(true);
        assertTrue(primary.mustForget(), "back, but not placeable before it forgot the vRegion");
        assertEquals(List.of(new MemberNode.Revocation(process.pid(), region.vRegion(), region.epoch() + 1)),
            primary.takeRevocations());
        assertTrue(primary.mustForget(), "not until it acknowledged");
        primary.revoked();
        assertFalse(primary.mustForget());
    }

    @Test
    void shouldReturnCapacityWhenRangesAndProcessesAreReleased()
    {
        final MemberNode one = node(4 * REGION);
        final MemberNode two = node(4 * REGION);
        final ProcessRecord process = process();
        final Piece piece = registry.place(process, REGION).get(0);
        registry.place(process, REGION);
        assertEquals(2 * REGION, one.mappedBytes());
        assertEquals(2 * REGION, two.mappedBytes());
        registry.release(process, piece.address(), piece.length());
        assertEquals(REGION, one.mappedBytes(), "released from the primary and from the secondary");
        assertEquals(REGION, two.mappedBytes());
        registry.removeProcess(process.pid());
        assertEquals(0, one.mappedBytes());
        assertEquals(0, two.mappedBytes());
        assertEquals(0, one.primaryBytes() + two.primaryBytes());
        assertThrows(PlacementException.class, () -> registry.release(process, 1L << 40, 4096));
    }

    @Test
    void shouldKeepANodesIdWhenItRegistersAgain()
    {
        final MemberNode node = node(REGION);
        final MemberNode again = registry.registerNode(NodeKind.MEMORY, node.id(), new Endpoint("127.0.0.1", 9),
            REGION, 1);
        assertEquals(node.id(), again.id());
        assertEquals(new Endpoint("127.0.0.1", 9), again.endpoint());
    }
}
