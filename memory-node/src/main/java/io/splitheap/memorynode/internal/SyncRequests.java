package io.splitheap.memorynode.internal;

import io.splitheap.protocol.Capabilities;
import io.splitheap.protocol.FarAddress;
import io.splitheap.protocol.codecs.BooleanType;
import io.splitheap.protocol.codecs.ErrorCode;
import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.codecs.RegionRole;
import io.splitheap.protocol.codecs.SyncPagesDecoder;
import io.splitheap.protocol.transport.Replier;
import io.splitheap.protocol.transport.Session;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The receiving end of re-replication: a new secondary takes the vmas and pages its primary copies to it
 * ({@code SyncPages}), under the rule of {@link SyncTarget}: a copied page is applied only where no agent wrote or
 * freed that page here since the copy began, and only inside the vmas. Each message is applied whole or answered
 * with the first error (earlier pages of it stay applied; the copy is then started over by the coordinator).
 */
public final class SyncRequests
{
    private final NodeState state;
    private final Replier replier;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final SyncPagesDecoder decoder = new SyncPagesDecoder();
    private final UnsafeBuffer data = new UnsafeBuffer(0, 0);

    /**
     * Handlers over node state.
     *
     * @param state   the node's state.
     * @param replier sends acks and errors.
     */
    public SyncRequests(final NodeState state, final Replier replier)
    {
        this.state = state;
        this.replier = replier;
    }

    /**
     * Applies a message of a copy.
     *
     * @param session the primary.
     * @param buffer  the message (wrapped to its exact length).
     */
    public void onSyncPages(final Session session, final DirectBuffer buffer)
    {
        decoder.wrapAndApplyHeader(buffer, 0, headerDecoder);
        final long correlationId = decoder.correlationId();
        final Capabilities capabilities = state.capabilities();
        if (capabilities == null || capabilities.coordinatorToken() != decoder.token())
        {
            replier.error(session, correlationId, ErrorCode.BAD_SECRET, 0,
                "copy without the cluster's token refused by node=" + state.nodeId());
            return;
        }
        final int pid = decoder.pid();
        final long vRegion = decoder.vRegion();
        final long epoch = decoder.epoch();
        final ProcessSpace space = state.space(pid);
        final Region region = space == null ? null : space.region(vRegion);
        final SyncTarget target = space == null ? null : space.syncTarget(vRegion);
        if (region == null || region.role() != RegionRole.SECONDARY || region.epoch() != epoch || target == null ||
            target.epoch() != epoch)
        {
            replier.error(session, correlationId, ErrorCode.STALE_EPOCH, 0, "node=" + state.nodeId() +
                " is not being filled as the secondary of vRegion=" + vRegion + " of pid=" + pid + " at epoch=" +
                epoch + (region == null ? "" : " (it holds it as " + region.role() + " at epoch=" + region.epoch() +
                ")"));
            return;
        }
        final long base = FarAddress.vRegionBase(vRegion, state.vRegionShift());
        final long end = FarAddress.vRegionBase(vRegion + 1, state.vRegionShift());
        boolean mapped = false;
        for (final SyncPagesDecoder.VmasDecoder vma : decoder.vmas())
        {
            final long start = vma.start();
            final long vmaEnd = vma.end();
            if (start < base || vmaEnd > end || start >= vmaEnd || !FarAddress.isPageAligned(start) ||
                !FarAddress.isPageAligned(vmaEnd))
            {
                replier.error(session, correlationId, ErrorCode.INVALID_ARGUMENT, start, "vma start=" +
                    FarAddress.format(start) + " end=" + FarAddress.format(vmaEnd) + " is not a page-aligned " +
                    "range inside vRegion=" + vRegion);
                return;
            }
            mapped |= space.addUncovered(start, vmaEnd, target.dropped()) > 0;
        }
        if (mapped)
        {
            state.saveMetadata();
        }
        for (final SyncPagesDecoder.PagesDecoder page : decoder.pages())
        {
            if (!apply(session, correlationId, space, target, page, base, end))
            {
                return;
            }
        }
        if (decoder.last() == BooleanType.TRUE)
        {
            space.endSyncTarget(vRegion);
        }
        replier.ack(session, correlationId);
    }

    private boolean apply(
        final Session session,
        final long correlationId,
        final ProcessSpace space,
        final SyncTarget target,
        final SyncPagesDecoder.PagesDecoder page,
        final long base,
        final long end)
    {
        final long address = page.address();
        final int length = page.dataLength();
        if (address < base || address >= end || !FarAddress.isPageAligned(address) ||
            length != 0 && length != FarAddress.PAGE_SIZE)
        {
            replier.error(session, correlationId, ErrorCode.INVALID_ARGUMENT, address, "copied page address=" +
                FarAddress.format(address) + " length=" + length + ": needs a page address inside the vRegion and " +
                FarAddress.PAGE_SIZE + " bytes or none");
            return false;
        }
        final long pageNumber = FarAddress.pageNumber(address);
        if (!target.takesCopyOf(address) || !space.isMapped(address, FarAddress.PAGE_SIZE))
        {
            page.skipData();
            return true;
        }
        if (length == 0)
        {
            page.skipData();
            state.store().discard(space.pid(), pageNumber, pageNumber + 1);
        }
        else
        {
            page.wrapData(data);
            if (state.store().write(space.pid(), pageNumber, data, 0) == PageStore.WriteResult.FULL)
            {
                replier.error(session, correlationId, ErrorCode.CAPACITY_EXCEEDED, address, "memory node " +
                    state.nodeId() + " is full: capacityPages=" + state.store().capacityPages() + "; it cannot " +
                    "hold the copy of vRegion=" + FarAddress.vRegion(address, state.vRegionShift()));
                return false;
            }
        }
        return true;
    }
}
