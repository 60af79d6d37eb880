package io.splitheap.coordinator.internal;

import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.codecs.NodeKind;
import io.splitheap.protocol.codecs.SecondaryState;
import io.splitheap.protocol.exceptions.SplitheapException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The coordinator's state survives a restart: what was handed out is never handed out again, and routes, epochs,
 * charges and pending fencing come back as they were.
 */
class CoordinatorStoreTest
{
    private static final int SHIFT = 20;
    private static final long REGION = 1L << SHIFT;
    private static final long INCARNATION = 0x1234_5678_9ABCL;

    @TempDir
    Path dir;

    @Test
    void shouldRestoreNodesProcessesPlacementsAndCounters()
    {
        final ClusterRegistry before = new ClusterRegistry(SHIFT, MemberNode::isAlive);
        final MemberNode one = before.registerNode(NodeKind.MEMORY, 0, new Endpoint("127.0.0.1", 1001), 8 * REGION, 0);
        final MemberNode two = before.registerNode(NodeKind.MEMORY, 0, new Endpoint("127.0.0.1", 1002), 8 * REGION, 0);
        before.registerNode(NodeKind.STORAGE, 0, new Endpoint("127.0.0.1", 1003), 0, 0);
        final ProcessRecord process = before.registerProcess(42, "host-a", pid -> pid * 7L, 0);
        before.place(process, REGION / 2);
        before.place(process, 2 * REGION);
        final RegionRecord first = process.region(1);
        before.reassign(process, first, first.secondaryNodeId(), 0, first.epoch() + 1, SecondaryState.NONE);
        two.alive(false);
        two.revoke(new MemberNode.Revocation(process.pid(), 1, first.epoch() + 1));
        final ProcessRecord gone = before.registerProcess(43, "host-b", pid -> pid * 7L, 0);
        before.removeProcess(gone.pid());
        before.nextRoutingEpoch();
        final CoordinatorStore store = new CoordinatorStore(dir.toFile());
        store.save(before, INCARNATION);

        final ClusterRegistry after = new ClusterRegistry(SHIFT, MemberNode::isAlive);
        assertEquals(INCARNATION, new CoordinatorStore(dir.toFile()).load(after, 5));

        assertEquals(3, after.nodes().size());
        for (final MemberNode node : before.nodes())
        {
            final MemberNode restored = after.node(node.id());
            assertEquals(node.kind(), restored.kind());
            assertEquals(node.endpoint(), restored.endpoint());
            assertEquals(node.capacityBytes(), restored.capacityBytes());
            assertEquals(node.isAlive(), restored.isAlive());
            assertEquals(node.mappedBytes(), restored.mappedBytes(), "charges of node=" + node.id());
            assertEquals(node.primaryBytes(), restored.primaryBytes());
            assertEquals(node.unacknowledgedRevocations(), restored.unacknowledgedRevocations());
        }
        assertTrue(one.mappedBytes() > 0);
        assertEquals(1, after.processes().size(), "the process that left stays gone");
        final ProcessRecord restored = after.process(process.pid());
        assertEquals(process.secret(), restored.secret());
        assertEquals(42, restored.hostPid());
        assertEquals("host-a", restored.hostName());
        assertEquals(process.nextVRegion(), restored.nextVRegion());
        assertEquals(process.regions().size(), restored.regions().size());
        for (final RegionRecord region : process.regions())
        {
            final RegionRecord copy = restored.region(region.vRegion());
            assertEquals(List.of(region.primaryNodeId(), region.secondaryNodeId(), region.epoch(), region.used(),
                region.live()), List.of(copy.primaryNodeId(), copy.secondaryNodeId(), copy.epoch(), copy.used(),
                copy.live()), "vRegion " + region.vRegion());
            assertEquals(region.secondaryState(), copy.secondaryState());
        }
        assertEquals(before.routingEpoch(), after.routingEpoch());

        final ProcessRecord next = after.registerProcess(44, "host-c", pid -> pid * 7L, 0);
        assertTrue(next.pid() > gone.pid(), "pids are not handed out again: " + next.pid());
        final long vRegion = after.place(restored, REGION).get(0).region().vRegion();
        assertTrue(vRegion >= process.nextVRegion(), "vRegions are not handed out again: " + vRegion);
        assertTrue(after.nextRoutingEpoch() > before.routingEpoch());
    }

    @Test
    void shouldWriteOnlyWhenSomethingChangedAndBeforeItIsRevealed()
    {
        final CoordinatorStore store = new CoordinatorStore(dir.toFile());
        final ClusterRegistry registry = new ClusterRegistry(SHIFT, MemberNode::isAlive);
        registry.persistence(state -> store.save(state, INCARNATION));
        registry.makeDurable();
        assertEquals(0, store.saves(), "nothing changed");
        registry.registerNode(NodeKind.MEMORY, 0, new Endpoint("127.0.0.1", 1001), 8 * REGION, 0);
        registry.makeDurable();
        registry.makeDurable();
        assertEquals(1, store.saves());
        registry.registerProcess(1, "host", pid -> pid, 0);
        registry.makeDurable();
        assertEquals(2, store.saves());
        assertFalse(Files.exists(dir.resolve(CoordinatorStore.FILE_NAME + ".tmp")), "written through a renamed file");
    }

    @Test
    void shouldRefuseASecondCoordinatorOnTheSameDataDirectory()
    {
        try (CoordinatorStore first = new CoordinatorStore(dir.toFile()).lock())
        {
            final SplitheapException refused = assertThrows(SplitheapException.class,
                () -> new CoordinatorStore(dir.toFile()).lock());
            assertTrue(refused.getMessage().contains("is in use by another coordinator"), refused.getMessage());
            assertTrue(refused.getMessage().contains(CoordinatorStore.LOCK_NAME), refused.getMessage());
        }
        new CoordinatorStore(dir.toFile()).lock().close();
    }

    @Test
    void shouldStartEmptyWithoutAFileAndRefuseADamagedOneOrAnotherVRegionSize() throws IOException
    {
        final CoordinatorStore store = new CoordinatorStore(dir.resolve("new").toFile());
        assertEquals(0, store.load(new ClusterRegistry(SHIFT), 0), "no state yet");

        final ClusterRegistry registry = new ClusterRegistry(SHIFT);
        registry.registerNode(NodeKind.MEMORY, 0, new Endpoint("127.0.0.1", 1001), 8 * REGION, 0);
        store.save(registry, INCARNATION);
        final SplitheapException wrongSize = assertThrows(SplitheapException.class,
            () -> store.load(new ClusterRegistry(SHIFT + 1), 0));
        assertTrue(wrongSize.getMessage().contains("--vregion-size " + REGION), wrongSize.getMessage());

        final byte[] bytes = Files.readAllBytes(store.file());
        bytes[bytes.length / 2] ^= 1;
        Files.write(store.file(), bytes);
        final SplitheapException damaged = assertThrows(SplitheapException.class,
            () -> store.load(new ClusterRegistry(SHIFT), 0));
        assertTrue(damaged.getMessage().contains("unreadable (checksum mismatch)"), damaged.getMessage());
        assertTrue(damaged.getMessage().contains(store.file().toString()), damaged.getMessage());
    }
}
