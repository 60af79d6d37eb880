package io.splitheap.coordinator.internal;

import io.splitheap.protocol.FarAddress;
import io.splitheap.protocol.codecs.AllocateDecoder;
import io.splitheap.protocol.codecs.AllocateReplyEncoder;
import io.splitheap.protocol.codecs.ErrorCode;
import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.codecs.MessageHeaderEncoder;
import io.splitheap.protocol.codecs.RegionRole;
import io.splitheap.protocol.codecs.UnmapDecoder;
import io.splitheap.protocol.exceptions.SplitheapException;
import io.splitheap.protocol.transport.Replier;
import io.splitheap.protocol.transport.Session;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;

/**
 * Coarse-grained allocation (the global memory manager): places a process's new ranges on memory nodes, tells the
 * nodes (vRegion roles, vmas) and answers once they acknowledged, with the routing of every vRegion touched.
 */
public final class AllocationRequests
{
    private final ClusterRegistry registry;
    private final NodeCommands commands;
    private final PendingOperations pending;
    private final Replier replier;
    private final ErrorHandler errorHandler;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final AllocateDecoder allocateDecoder = new AllocateDecoder();
    private final UnmapDecoder unmapDecoder = new UnmapDecoder();
    private final AllocateReplyEncoder allocateReplyEncoder = new AllocateReplyEncoder();
    private final UnsafeBuffer reply = new UnsafeBuffer(new byte[64 * 1024]);

    /**
     * Allocation handlers.
     *
     * @param registry the cluster model.
     * @param commands control requests to nodes.
     * @param pending  operations awaiting nodes.
     * @param replier      generic replies.
     * @param errorHandler receives warnings (vRegions placed without a secondary).
     */
    public AllocationRequests(
        final ClusterRegistry registry,
        final NodeCommands commands,
        final PendingOperations pending,
        final Replier replier,
        final ErrorHandler errorHandler)
    {
        this.registry = registry;
        this.commands = commands;
        this.pending = pending;
        this.replier = replier;
        this.errorHandler = errorHandler;
    }

    /**
     * Allocates a range.
     *
     * @param session the process.
     * @param buffer  the message.
     * @param nowNs   time.
     */
    public void onAllocate(final Session session, final DirectBuffer buffer, final long nowNs)
    {
        allocateDecoder.wrapAndApplyHeader(buffer, 0, headerDecoder);
        final long correlationId = allocateDecoder.correlationId();
        final ProcessRecord process = checkProcess(
            session, correlationId, allocateDecoder.pid(), allocateDecoder.secret());
        if (process == null)
        {
            return;
        }
        final List<Piece> pieces;
        try
        {
            pieces = registry.place(process, allocateDecoder.length());
        }
        catch (final PlacementException ex)
        {
            replier.error(session, correlationId, ex.code(), 0, ex.getMessage());
            return;
        }
        warnIfUnreplicated(process, pieces);
        final PendingOperation operation = new PendingOperation(
            session, correlationId, nowNs, op -> replyAllocated(op, process, pieces));
        pending.begin(operation);
        for (final Piece piece : pieces)
        {
            final RegionRecord region = piece.region();
            final MemberNode primary = registry.node(region.primaryNodeId());
            final MemberNode secondary = region.secondaryNodeId() == 0 ? null : registry.node(region.secondaryNodeId());
            if (piece.newRegion())
            {
                commands.assignRegion(operation, primary, process.pid(), region, RegionRole.PRIMARY);
                if (secondary != null)
                {
                    commands.assignRegion(operation, secondary, process.pid(), region, RegionRole.SECONDARY);
                }
            }
            commands.createVma(operation, primary, process.pid(), piece.address(), piece.length());
            if (secondary != null)
            {
                commands.createVma(operation, secondary, process.pid(), piece.address(), piece.length());
            }
        }
        pending.seal(operation);
    }

    /**
     * Releases a range.
     *
     * @param session the process.
     * @param buffer  the message.
     * @param nowNs   time.
     */
    public void onUnmap(final Session session, final DirectBuffer buffer, final long nowNs)
    {
        unmapDecoder.wrapAndApplyHeader(buffer, 0, headerDecoder);
        final long correlationId = unmapDecoder.correlationId();
        final ProcessRecord process = checkProcess(
            session, correlationId, unmapDecoder.pid(), unmapDecoder.secret());
        if (process == null)
        {
            return;
        }
        final List<Piece> pieces;
        try
        {
            pieces = registry.release(process, unmapDecoder.address(), unmapDecoder.length());
        }
        catch (final PlacementException ex)
        {
            replier.error(session, correlationId, ex.code(), unmapDecoder.address(), ex.getMessage());
            return;
        }
        final PendingOperation operation = new PendingOperation(
            session, correlationId, nowNs, op -> replier.ack(op.session(), op.correlationId()));
        pending.begin(operation);
        for (final Piece piece : pieces)
        {
            dropOn(operation, piece.region().primaryNodeId(), process.pid(), piece);
            dropOn(operation, piece.region().secondaryNodeId(), process.pid(), piece);
        }
        pending.seal(operation);
    }

    private void dropOn(final PendingOperation operation, final int nodeId, final int pid, final Piece piece)
    {
        final MemberNode node = nodeId == 0 ? null : registry.node(nodeId);
        if (node != null && node.isAlive())
        {
            commands.dropVma(operation, node, pid, piece.address(), piece.length());
        }
    }

    private void warnIfUnreplicated(final ProcessRecord process, final List<Piece> pieces)
    {
        int unreplicated = 0;
        for (final Piece piece : pieces)
        {
            unreplicated += piece.newRegion() && piece.region().secondaryNodeId() == 0 ? 1 : 0;
        }
        if (unreplicated > 0 && registry.placeableNodes() > 1)
        {
            errorHandler.onError(new SplitheapException(unreplicated + " new vRegion(s) of pid=" + process.pid() +
                " starting at vRegion=" + pieces.get(0).region().vRegion() + " placed without a secondary: no other " +
                "memory node has room for a copy; they run unreplicated (secondary 0 in status) until one has",
                SplitheapException.Category.WARN, null));
        }
    }

    private ProcessRecord checkProcess(
        final Session session, final long correlationId, final int pid, final long secret)
    {
        final ProcessRecord process = registry.process(pid);
        if (process == null || process.secret() != secret)
        {
            replier.error(session, correlationId, process == null ? ErrorCode.UNKNOWN_PROCESS : ErrorCode.BAD_SECRET,
                0, "no registered process pid=" + pid + " with that secret");
            return null;
        }
        return process;
    }

    private void replyAllocated(final PendingOperation operation, final ProcessRecord process, final List<Piece> pieces)
    {
        final Piece first = pieces.get(0);
        final Piece last = pieces.get(pieces.size() - 1);
        final AllocateReplyEncoder encoder = allocateReplyEncoder.wrapAndApplyHeader(reply, 0, headerEncoder)
            .correlationId(operation.correlationId())
            .address(first.address())
            .length(last.address() + last.length() - first.address());
        final AllocateReplyEncoder.RegionsEncoder regions = encoder.regionsCount(pieces.size());
        for (final Piece piece : pieces)
        {
            // the vRegion's record now: a failover or re-replication may have replaced it while the nodes answered
            final RegionRecord placed = piece.region();
            final RegionRecord now = process.region(placed.vRegion());
            final RegionRecord region = now != null ? now : placed;
            regions.next()
                .vRegion(region.vRegion())
                .epoch(region.epoch())
                .primaryNodeId(region.primaryNodeId())
                .secondaryNodeId(region.routedSecondaryNodeId())
                .primaryIncarnation(RoutingPublisher.incarnationOf(registry, region.primaryNodeId()))
                .secondaryIncarnation(RoutingPublisher.incarnationOf(registry, region.routedSecondaryNodeId()))
                .primaryEndpoint(RoutingPublisher.endpointOf(registry, region.primaryNodeId()))
                .secondaryEndpoint(RoutingPublisher.endpointOf(registry, region.routedSecondaryNodeId()));
        }
        registry.makeDurable();
        if (!operation.session().send(reply, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength()))
        {
            replier.error(operation.session(), operation.correlationId(), ErrorCode.INTERNAL,
                FarAddress.ADDRESS_LIMIT - 1, "allocation reply could not be sent");
        }
    }
}
