package io.splitheap.memorynode.internal;

import io.splitheap.protocol.Capabilities;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.FarAddress;
import io.splitheap.protocol.codecs.AssignRegionDecoder;
import io.splitheap.protocol.codecs.BooleanType;
import io.splitheap.protocol.codecs.CreateVmaDecoder;
import io.splitheap.protocol.codecs.DropRegionDecoder;
import io.splitheap.protocol.codecs.DropVmaDecoder;
import io.splitheap.protocol.codecs.ErrorCode;
import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.codecs.RegionRole;
import io.splitheap.protocol.codecs.ReleaseProcessDecoder;
import io.splitheap.protocol.codecs.SyncRegionDecoder;
import io.splitheap.protocol.transport.Replier;
import io.splitheap.protocol.transport.Session;
import org.agrona.DirectBuffer;

/**
 * The control path of a memory node: the coordinator assigns and drops vRegions, creates and drops vmas, releases
 * processes and has a primary copy a vRegion to a new secondary. Each request must carry the coordinator token
 * derived from the cluster key. Every change is persisted before it is acknowledged.
 */
public final class ControlRequests
{
    private final NodeState state;
    private final Replier replier;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final AssignRegionDecoder assignDecoder = new AssignRegionDecoder();
    private final CreateVmaDecoder createDecoder = new CreateVmaDecoder();
    private final DropVmaDecoder dropDecoder = new DropVmaDecoder();
    private final ReleaseProcessDecoder releaseDecoder = new ReleaseProcessDecoder();
    private final SyncRegionDecoder syncDecoder = new SyncRegionDecoder();
    private final DropRegionDecoder dropRegionDecoder = new DropRegionDecoder();
    private final RegionSyncs syncs;

    /**
     * Handlers over node state.
     *
     * @param state   the node's state.
     * @param replier sends acks and errors.
     * @param syncs   the copies this node sends as a primary.
     */
    public ControlRequests(final NodeState state, final Replier replier, final RegionSyncs syncs)
    {
        this.state = state;
        this.replier = replier;
        this.syncs = syncs;
    }

    /**
     * Records a vRegion assignment.
     *
     * @param session the coordinator.
     * @param buffer  the message (wrapped to its exact length).
     */
    public void onAssignRegion(final Session session, final DirectBuffer buffer)
    {
        assignDecoder.wrapAndApplyHeader(buffer, 0, headerDecoder);
        final long correlationId = assignDecoder.correlationId();
        if (!isAuthorised(session, correlationId, assignDecoder.token()))
        {
            return;
        }
        final long vRegion = assignDecoder.vRegion();
        final long epoch = assignDecoder.epoch();
        final RegionRole role = assignDecoder.role();
        final boolean syncing = assignDecoder.syncing() == BooleanType.TRUE;
        if (syncing && role != RegionRole.SECONDARY)
        {
            replier.error(session, correlationId, ErrorCode.INVALID_ARGUMENT, 0,
                "only a secondary is filled by a copy: role=" + role + " syncing=TRUE");
            return;
        }
        final ProcessSpace space = state.getOrCreateSpace(assignDecoder.pid());
        if (syncing)
        {
            // whatever this node held of the vRegion before is stale: the copy brings all of it
            clear(space, vRegion);
        }
        space.assign(new Region(vRegion, epoch, role, assignDecoder.primaryNodeId(), assignDecoder.secondaryNodeId()));
        if (syncing)
        {
            space.syncTarget(vRegion, new SyncTarget(epoch));
        }
        state.saveMetadata();
        replier.ack(session, correlationId);
    }

    /**
     * Makes this node, a vRegion's primary, copy it to a new secondary at the next epoch: answered once the copy
     * began (the secondary has the vmas), or with the error that stopped it before.
     *
     * @param session the coordinator.
     * @param buffer  the message (wrapped to its exact length).
     */
    public void onSyncRegion(final Session session, final DirectBuffer buffer)
    {
        syncDecoder.wrapAndApplyHeader(buffer, 0, headerDecoder);
        final long correlationId = syncDecoder.correlationId();
        if (!isAuthorised(session, correlationId, syncDecoder.token()))
        {
            return;
        }
        final int pid = syncDecoder.pid();
        final long vRegion = syncDecoder.vRegion();
        final long epoch = syncDecoder.epoch();
        final int secondaryNodeId = syncDecoder.secondaryNodeId();
        final long bytesPerSecond = syncDecoder.bytesPerSecond();
        final String endpointText = syncDecoder.secondaryEndpoint();
        final Endpoint secondary;
        try
        {
            secondary = Endpoint.parse(endpointText);
        }
        catch (final IllegalArgumentException ex)
        {
            replier.error(session, correlationId, ErrorCode.INVALID_ARGUMENT, 0, "secondaryEndpoint=" +
                endpointText + ": " + ex.getMessage());
            return;
        }
        if (bytesPerSecond <= 0 || secondaryNodeId <= 0 || secondaryNodeId == state.nodeId())
        {
            replier.error(session, correlationId, ErrorCode.INVALID_ARGUMENT, 0, "bytesPerSecond=" + bytesPerSecond +
                " secondaryNodeId=" + secondaryNodeId + ": needs a rate above 0 and another node");
            return;
        }
        final ProcessSpace space = state.space(pid);
        final Region region = space == null ? null : space.region(vRegion);
        if (region == null || region.role() != RegionRole.PRIMARY || region.epoch() >= epoch)
        {
            replier.error(session, correlationId, region == null || region.role() != RegionRole.PRIMARY ?
                ErrorCode.NOT_OWNER : ErrorCode.STALE_EPOCH, 0, "node=" + state.nodeId() + " cannot copy vRegion=" +
                vRegion + " of pid=" + pid + " at epoch=" + epoch + ": it holds it " + (region == null ? "not at all" :
                "as " + region.role() + " at epoch=" + region.epoch()));
            return;
        }
        space.assign(new Region(vRegion, epoch, RegionRole.PRIMARY, state.nodeId(), secondaryNodeId));
        state.saveMetadata();
        syncs.start(new SyncSource(space, vRegion, state.vRegionShift(), epoch, secondaryNodeId, secondary,
            bytesPerSecond, session, correlationId, System.nanoTime()));
    }

    /**
     * Forgets a vRegion assigned at the request's epoch or before, with its vmas and pages; acknowledged also when
     * there is nothing to forget.
     *
     * @param session the coordinator.
     * @param buffer  the message (wrapped to its exact length).
     */
    public void onDropRegion(final Session session, final DirectBuffer buffer)
    {
        dropRegionDecoder.wrapAndApplyHeader(buffer, 0, headerDecoder);
        final long correlationId = dropRegionDecoder.correlationId();
        if (!isAuthorised(session, correlationId, dropRegionDecoder.token()))
        {
            return;
        }
        final long vRegion = dropRegionDecoder.vRegion();
        final ProcessSpace space = state.space(dropRegionDecoder.pid());
        final Region region = space == null ? null : space.region(vRegion);
        if (region != null && region.epoch() <= dropRegionDecoder.epoch())
        {
            space.unassign(vRegion);
            clear(space, vRegion);
            state.saveMetadata();
        }
        replier.ack(session, correlationId);
    }

    private void clear(final ProcessSpace space, final long vRegion)
    {
        final long base = FarAddress.vRegionBase(vRegion, state.vRegionShift());
        final long end = FarAddress.vRegionBase(vRegion + 1, state.vRegionShift());
        // pages exist only inside vmas (writes need one, drops discard them)
        for (final long[] vma : space.vmasIn(base, end))
        {
            state.store().discard(space.pid(), FarAddress.pageNumber(vma[0]), FarAddress.pageNumber(vma[1]));
        }
        space.removeRange(base, end - base);
    }

    /**
     * Creates a vma; creating the same vma again is acknowledged (requests may be retried).
     *
     * @param session the coordinator.
     * @param buffer  the message (wrapped to its exact length).
     */
    public void onCreateVma(final Session session, final DirectBuffer buffer)
    {
        createDecoder.wrapAndApplyHeader(buffer, 0, headerDecoder);
        final long correlationId = createDecoder.correlationId();
        if (!isAuthorised(session, correlationId, createDecoder.token()))
        {
            return;
        }
        final long address = createDecoder.address();
        final long length = createDecoder.length();
        final ProcessSpace space = state.space(createDecoder.pid());
        if (space == null || space.region(FarAddress.vRegion(address, state.vRegionShift())) == null)
        {
            replier.error(session, correlationId, ErrorCode.NOT_OWNER, address,
                "vma outside any vRegion assigned to node=" + state.nodeId() + " pid=" + createDecoder.pid());
            return;
        }
        if (!FarAddress.isValidRange(address, length) || !space.addVma(address, length) &&
            !space.isMapped(address, length))
        {
            replier.error(session, correlationId, ErrorCode.INVALID_ARGUMENT, address,
                "vma address=" + FarAddress.format(address) + " length=" + length + " overlaps an existing vma");
            return;
        }
        state.saveMetadata();
        replier.ack(session, correlationId);
    }

    /**
     * Drops a vma and its pages.
     *
     * @param session the coordinator.
     * @param buffer  the message (wrapped to its exact length).
     */
    public void onDropVma(final Session session, final DirectBuffer buffer)
    {
        dropDecoder.wrapAndApplyHeader(buffer, 0, headerDecoder);
        final long correlationId = dropDecoder.correlationId();
        if (!isAuthorised(session, correlationId, dropDecoder.token()))
        {
            return;
        }
        final ProcessSpace space = state.space(dropDecoder.pid());
        if (space != null)
        {
            final long address = dropDecoder.address();
            final long length = dropDecoder.length();
            space.removeRange(address, length);
            space.dropForCopies(address, address + length, state.vRegionShift());
            state.store().discard(space.pid(), FarAddress.pageNumber(address), FarAddress.pageNumber(address + length));
            state.saveMetadata();
        }
        replier.ack(session, correlationId);
    }

    /**
     * Drops everything of a process.
     *
     * @param session the coordinator.
     * @param buffer  the message (wrapped to its exact length).
     */
    public void onReleaseProcess(final Session session, final DirectBuffer buffer)
    {
        releaseDecoder.wrapAndApplyHeader(buffer, 0, headerDecoder);
        final long correlationId = releaseDecoder.correlationId();
        if (!isAuthorised(session, correlationId, releaseDecoder.token()))
        {
            return;
        }
        state.releaseProcess(releaseDecoder.pid());
        replier.ack(session, correlationId);
    }

    private boolean isAuthorised(final Session session, final long correlationId, final long token)
    {
        final Capabilities capabilities = state.capabilities();
        if (capabilities == null || capabilities.coordinatorToken() != token)
        {
            replier.error(session, correlationId, ErrorCode.BAD_SECRET, 0,
                "control request without the coordinator's token refused by node=" + state.nodeId());
            return false;
        }
        return true;
    }
}
