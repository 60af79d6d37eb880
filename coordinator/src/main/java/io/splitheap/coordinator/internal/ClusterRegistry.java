package io.splitheap.coordinator.internal;

import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.FarAddress;
import io.splitheap.protocol.codecs.ErrorCode;
import io.splitheap.protocol.codecs.NodeKind;
import io.splitheap.protocol.codecs.SecondaryState;
import org.agrona.collections.Int2ObjectHashMap;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntToLongFunction;
import java.util.function.Predicate;

/**
 * The coordinator's model of the cluster: nodes, processes and their vRegions, and the placement policy. Pure
 * logic with no I/O so that it can be tested alone.
 * <p>
 * Placement: a range no larger than a vRegion goes to the placeable memory node with the most free capacity
 * (capacity minus bytes already promised), into a vRegion of the process that node already owns if one has room,
 * else into a new vRegion. Larger ranges take consecutive new vRegions, each on the node with the most free capacity
 * at that point, so one process's data spreads over the memory nodes. Each new vRegion also gets a secondary, the
 * other node with the most free capacity that has room for the range; a range is charged to both, since both store
 * every page of it.
 */
public final class ClusterRegistry
{
    private static final int MAX_PID = (1 << 23) - 1;

    private final Int2ObjectHashMap<MemberNode> nodes = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<ProcessRecord> processes = new Int2ObjectHashMap<>();
    private final int vRegionShift;
    private final Predicate<MemberNode> placeable;
    private int nextPid = 1;
    private long routingEpoch;
    private long version;
    private long savedVersion;
    private Consumer<ClusterRegistry> persister;

    /**
     * An empty registry.
     *
     * @param vRegionShift log2 of the vRegion size.
     */
    public ClusterRegistry(final int vRegionShift)
    {
        this(vRegionShift, MemberNode::isPlaceable);
    }

    /**
     * An empty registry with a given test of which nodes can take vRegions.
     *
     * @param vRegionShift log2 of the vRegion size.
     * @param placeable    whether a node can take vRegions now.
     */
    public ClusterRegistry(final int vRegionShift, final Predicate<MemberNode> placeable)
    {
        this.vRegionShift = vRegionShift;
        this.placeable = placeable;
    }

    /**
     * log2 of the vRegion size.
     *
     * @return shift.
     */
    public int vRegionShift()
    {
        return vRegionShift;
    }

    /**
     * Registers a node, or re-registers a known one.
     *
     * @param kind          memory or storage.
     * @param requestedId   id the node asks for (its persisted id), 0 for any.
     * @param endpoint      where it receives requests.
     * @param capacityBytes capacity offered.
     * @param nowNs         time.
     * @return the node record.
     */
    public MemberNode registerNode(
        final NodeKind kind, final int requestedId, final Endpoint endpoint, final long capacityBytes, final long nowNs)
    {
        version++;
        if (requestedId > 0)
        {
            final MemberNode existing = nodes.get(requestedId);
            if (existing == null)
            {
                final MemberNode node = new MemberNode(requestedId, kind, endpoint, capacityBytes, nowNs);
                nodes.put(requestedId, node);
                return node;
            }
            if (existing.kind() == kind)
            {
                // a node that presents its persisted id is that node restarted (possibly on a new port)
                existing.reRegistered(endpoint, capacityBytes, nowNs);
                return existing;
            }
        }
        int id = 1;
        while (nodes.containsKey(id))
        {
            id++;
        }
        final MemberNode node = new MemberNode(id, kind, endpoint, capacityBytes, nowNs);
        nodes.put(id, node);
        return node;
    }

    /**
     * Registers a process.
     *
     * @param hostPid  OS process id.
     * @param hostName host.
     * @param secrets  derives a pid's secret.
     * @param nowNs    time.
     * @return the record.
     */
    public ProcessRecord registerProcess(
        final long hostPid, final String hostName, final IntToLongFunction secrets, final long nowNs)
    {
        version++;
        int pid = nextPid;
        while (processes.containsKey(pid))
        {
            pid = pid == MAX_PID ? 1 : pid + 1;
        }
        nextPid = pid == MAX_PID ? 1 : pid + 1;
        final ProcessRecord process = new ProcessRecord(pid, secrets.applyAsLong(pid), hostPid, hostName, nowNs);
        processes.put(pid, process);
        return process;
    }

    /**
     * A node by id.
     *
     * @param id node id.
     * @return node or null.
     */
    public MemberNode node(final int id)
    {
        return nodes.get(id);
    }

    /**
     * Every node.
     *
     * @return a copy.
     */
    public List<MemberNode> nodes()
    {
        return new ArrayList<>(nodes.values());
    }

    /**
     * Memory nodes that can take vRegions now.
     *
     * @return count.
     */
    public int placeableNodes()
    {
        int count = 0;
        for (final MemberNode node : nodes.values())
        {
            count += placeable.test(node) ? 1 : 0;
        }
        return count;
    }

    /**
     * A process by id.
     *
     * @param pid process id.
     * @return record or null.
     */
    public ProcessRecord process(final int pid)
    {
        return processes.get(pid);
    }

    /**
     * Every process.
     *
     * @return a copy.
     */
    public List<ProcessRecord> processes()
    {
        return new ArrayList<>(processes.values());
    }

    /**
     * Places a new range of a process's address space. Its bytes are charged to the vRegion's primary and to its
     * secondary, which stores a copy of every page; a vRegion gets no secondary when no other node has room for it
     * (it then runs unreplicated, with secondary 0, until re-replication finds one).
     *
     * @param process the process.
     * @param length  bytes, rounded up to pages.
     * @return the pieces, one per vRegion, in address order.
     * @throws PlacementException if no memory node can take it.
     */
    public List<Piece> place(final ProcessRecord process, final long length)
    {
        version++;
        final long vRegionSize = 1L << vRegionShift;
        final long rounded = (length + FarAddress.PAGE_SIZE - 1) & -FarAddress.PAGE_SIZE;
        if (length <= 0 || rounded > FarAddress.ADDRESS_LIMIT / 4)
        {
            throw new PlacementException(ErrorCode.INVALID_ARGUMENT, "cannot allocate length=" + length);
        }
        final List<Piece> pieces = new ArrayList<>();
        if (rounded <= vRegionSize)
        {
            final MemberNode node = chooseNode(rounded);
            RegionRecord region = openRegionOn(process, node.id(), rounded, vRegionSize);
            final boolean created = region == null;
            if (created)
            {
                region = newRegion(process, process.reserveVRegions(1), node, rounded);
            }
            final long address = FarAddress.vRegionBase(region.vRegion(), vRegionShift) + region.take(rounded);
            charge(region, rounded);
            pieces.add(new Piece(region, created, address, rounded));
            return pieces;
        }
        final long count = (rounded + vRegionSize - 1) >>> vRegionShift;
        final long first = process.reserveVRegions(count);
        long remaining = rounded;
        for (long i = 0; i < count; i++)
        {
            final long pieceLength = Math.min(vRegionSize, remaining);
            final MemberNode node = chooseNode(pieceLength);
            final RegionRecord region = newRegion(process, first + i, node, pieceLength);
            final long address = FarAddress.vRegionBase(region.vRegion(), vRegionShift) + region.take(pieceLength);
            charge(region, pieceLength);
            pieces.add(new Piece(region, true, address, pieceLength));
            remaining -= pieceLength;
        }
        return pieces;
    }

    /**
     * The pieces of a range of a process's space, for releasing it; updates the accounting.
     *
     * @param process the process.
     * @param address first address.
     * @param length  bytes.
     * @return the pieces.
     * @throws PlacementException if part of the range lies outside the process's vRegions.
     */
    public List<Piece> release(final ProcessRecord process, final long address, final long length)
    {
        version++;
        if (!FarAddress.isValidRange(address, length))
        {
            throw new PlacementException(ErrorCode.INVALID_ARGUMENT,
                "bad range address=" + FarAddress.format(address) + " length=" + length);
        }
        final List<Piece> pieces = new ArrayList<>();
        long cursor = address;
        final long end = address + length;
        while (cursor < end)
        {
            final long vRegion = FarAddress.vRegion(cursor, vRegionShift);
            final RegionRecord region = process.region(vRegion);
            if (region == null)
            {
                throw new PlacementException(ErrorCode.NOT_OWNER, "address=" + FarAddress.format(cursor) +
                    " is not in any vRegion of pid=" + process.pid());
            }
            final long regionEnd = FarAddress.vRegionBase(vRegion + 1, vRegionShift);
            final long pieceLength = Math.min(end, regionEnd) - cursor;
            pieces.add(new Piece(region, false, cursor, pieceLength));
            cursor += pieceLength;
        }
        for (final Piece piece : pieces)
        {
            charge(piece.region(), -piece.region().release(piece.length()));
        }
        return pieces;
    }

    /**
     * Forgets a process and returns its capacity to its nodes.
     *
     * @param pid the process.
     * @return the removed record or null.
     */
    public ProcessRecord removeProcess(final int pid)
    {
        version++;
        final ProcessRecord process = processes.remove(pid);
        if (process != null)
        {
            for (final RegionRecord region : process.regions())
            {
                charge(region, -region.release(region.live()));
            }
        }
        return process;
    }

    /**
     * The same vRegion on other nodes or at another epoch, replacing the process's record; its live bytes move from
     * the nodes that held it to the nodes that hold it now.
     *
     * @param process     the process.
     * @param region      its current record.
     * @param primaryId   the new primary.
     * @param secondaryId the new secondary, 0 for none.
     * @param epoch       the new epoch.
     * @param state       how far the secondary's copy is, NONE exactly when there is none.
     * @return the new record.
     */
    public RegionRecord reassign(
        final ProcessRecord process, final RegionRecord region, final int primaryId, final int secondaryId,
        final long epoch, final SecondaryState state)
    {
        version++;
        final RegionRecord next = region.reassigned(primaryId, secondaryId, epoch, state);
        charge(region, -region.live());
        charge(next, next.live());
        process.addRegion(next);
        revokeIfDead(process, region, region.primaryNodeId(), next);
        revokeIfDead(process, region, region.secondaryNodeId(), next);
        return next;
    }

    /**
     * A dead node that a vRegion leaves must forget it if it comes back (an alive one is told at once by whoever
     * reassigns). Up to the epoch after the one it had: a new secondary may have been assigned that one already.
     */
    private void revokeIfDead(
        final ProcessRecord process, final RegionRecord region, final int nodeId, final RegionRecord next)
    {
        final MemberNode node = nodeId == 0 ? null : nodes.get(nodeId);
        if (node != null && !node.isAlive() && next.primaryNodeId() != nodeId && next.secondaryNodeId() != nodeId)
        {
            node.revoke(new MemberNode.Revocation(process.pid(), region.vRegion(), region.epoch() + 1));
        }
    }

    /**
     * The next routing epoch: every routing push carries a higher one than the last (agents ignore older pushes), also
     * across a restart of the coordinator, since it is part of the persisted state.
     *
     * @return the epoch.
     */
    public long nextRoutingEpoch()
    {
        version++;
        return ++routingEpoch;
    }

    /**
     * The last routing epoch handed out.
     *
     * @return the epoch.
     */
    public long routingEpoch()
    {
        return routingEpoch;
    }

    /**
     * The pid the next process will get (unless taken).
     *
     * @return pid.
     */
    public int nextPid()
    {
        return nextPid;
    }

    /**
     * Where {@link #makeDurable} writes the state (the coordinator's store), or none when it keeps no state.
     *
     * @param persister writes the whole registry durably, or throws.
     */
    public void persistence(final Consumer<ClusterRegistry> persister)
    {
        this.persister = persister;
    }

    /**
     * Makes every change so far durable. Called before anything that reveals a change leaves the coordinator (a reply
     * naming a pid, node id or vRegion, a routing push, a command to a node), so that a coordinator restarted after a
     * crash never hands out again what it handed out before, and never knows less than a member was told.
     */
    public void makeDurable()
    {
        if (persister != null && version != savedVersion)
        {
            final long saving = version;
            persister.accept(this);
            savedVersion = saving;
        }
    }

    /**
     * Restores the counters of a persisted registry.
     *
     * @param nextPid      the next pid to hand out.
     * @param routingEpoch the last routing epoch handed out.
     */
    public void restoreCounters(final int nextPid, final long routingEpoch)
    {
        this.nextPid = nextPid;
        this.routingEpoch = routingEpoch;
    }

    /**
     * Restores a persisted node, alive or dead as it was (the failure detector judges it afresh; see
     * {@code MembershipRequests#restored}).
     *
     * @param node the node.
     */
    public void restoreNode(final MemberNode node)
    {
        nodes.put(node.id(), node);
    }

    /**
     * Restores a persisted process with its vRegions, charging their bytes to their nodes.
     *
     * @param process the process, with its regions added.
     */
    public void restoreProcess(final ProcessRecord process)
    {
        processes.put(process.pid(), process);
        for (final RegionRecord region : process.regions())
        {
            charge(region, region.live());
        }
    }

    /**
     * A node other than the primary that can hold a copy of a vRegion: the placeable one with the most free capacity,
     * if it has at least the bytes needed.
     *
     * @param need      bytes the copy needs.
     * @param primaryId the vRegion's primary.
     * @return the node, or null if none has room.
     */
    public MemberNode chooseSecondary(final long need, final int primaryId)
    {
        MemberNode best = null;
        for (final MemberNode node : nodes.values())
        {
            if (placeable.test(node) && node.id() != primaryId && node.freeBytes() >= need && isBetter(node, best))
            {
                best = node;
            }
        }
        return best;
    }

    private MemberNode chooseNode(final long need)
    {
        MemberNode best = null;
        int candidates = 0;
        for (final MemberNode node : nodes.values())
        {
            if (!placeable.test(node))
            {
                continue;
            }
            candidates++;
            if (node.freeBytes() >= need && isBetter(node, best))
            {
                best = node;
            }
        }
        if (best == null)
        {
            if (candidates == 0)
            {
                throw new PlacementException(ErrorCode.NO_MEMORY_NODES, "no memory node is alive and connected: " +
                    "start memory nodes (bin/splitheap memory-node --coordinator HOST:PORT)");
            }
            throw new PlacementException(ErrorCode.CAPACITY_EXCEEDED, "no memory node has " + need +
                " bytes free: add memory nodes or give them more capacity");
        }
        return best;
    }

    /**
     * Most free capacity first; then, since with replication every node holds copies of the others' vRegions, the
     * node that serves fewer bytes as primary (so reads spread); then the lowest id.
     */
    private static boolean isBetter(final MemberNode node, final MemberNode best)
    {
        if (best == null || node.freeBytes() != best.freeBytes())
        {
            return best == null || node.freeBytes() > best.freeBytes();
        }
        if (node.primaryBytes() != best.primaryBytes())
        {
            return node.primaryBytes() < best.primaryBytes();
        }
        return node.id() < best.id();
    }

    private void charge(final RegionRecord region, final long bytes)
    {
        final MemberNode primary = nodes.get(region.primaryNodeId());
        if (primary != null)
        {
            primary.addMapped(bytes, true);
        }
        final MemberNode secondary = region.secondaryNodeId() == 0 ? null : nodes.get(region.secondaryNodeId());
        if (secondary != null)
        {
            secondary.addMapped(bytes, false);
        }
    }

    private RegionRecord newRegion(
        final ProcessRecord process, final long vRegion, final MemberNode primary, final long need)
    {
        final MemberNode secondary = chooseSecondary(need, primary.id());
        final RegionRecord region = new RegionRecord(vRegion, primary.id(), secondary == null ? 0 : secondary.id(), 1);
        process.addRegion(region);
        return region;
    }

    /**
     * A vRegion of the process whose primary is the node, with room for the range left in it and on its secondary.
     */
    private RegionRecord openRegionOn(
        final ProcessRecord process, final int nodeId, final long length, final long vRegionSize)
    {
        for (final RegionRecord region : process.regions())
        {
            final MemberNode secondary = region.secondaryNodeId() == 0 ? null : nodes.get(region.secondaryNodeId());
            if (region.primaryNodeId() == nodeId && vRegionSize - region.used() >= length &&
                (secondary == null || secondary.freeBytes() >= length))
            {
                return region;
            }
        }
        return null;
    }
}
