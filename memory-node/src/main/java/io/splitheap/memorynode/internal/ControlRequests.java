package io.splitheap.memorynode.internal;

import io.splitheap.protocol.Capabilities;
import io.splitheap.protocol.FarAddress;
import io.splitheap.protocol.codecs.AssignRegionDecoder;
import io.splitheap.protocol.codecs.CreateVmaDecoder;
import io.splitheap.protocol.codecs.DropVmaDecoder;
import io.splitheap.protocol.codecs.ErrorCode;
import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.codecs.ReleaseProcessDecoder;
import io.splitheap.protocol.transport.Replier;
import io.splitheap.protocol.transport.Session;
import org.agrona.DirectBuffer;

/**
 * The control path of a memory node: the coordinator assigns vRegions, creates and drops vmas and releases
 * processes. Each request must carry the coordinator token derived from the cluster key. Every change is persisted
 * before it is acknowledged.
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

    /**
     * Handlers over node state.
     *
     * @param state   the node's state.
     * @param replier sends acks and errors.
     */
    public ControlRequests(final NodeState state, final Replier replier)
    {
        this.state = state;
        this.replier = replier;
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
        if (isAuthorised(session, correlationId, assignDecoder.token()))
        {
            state.getOrCreateSpace(assignDecoder.pid()).assign(new Region(assignDecoder.vRegion(),
                assignDecoder.epoch(), assignDecoder.role(), assignDecoder.primaryNodeId(),
                assignDecoder.secondaryNodeId()));
            state.saveMetadata();
            replier.ack(session, correlationId);
        }
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
        final ProcessSpace space = state.removeSpace(releaseDecoder.pid());
        if (space != null)
        {
            for (final long[] vma : space.vmas())
            {
                state.store().discard(space.pid(), FarAddress.pageNumber(vma[0]), FarAddress.pageNumber(vma[1]));
            }
            state.saveMetadata();
        }
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
