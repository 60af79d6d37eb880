package io.splitheap.memorynode.internal;

import io.splitheap.protocol.FarAddress;
import io.splitheap.protocol.codecs.ErrorCode;
import io.splitheap.protocol.codecs.FreePagesDecoder;
import io.splitheap.protocol.codecs.LineDataEncoder;
import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.codecs.MessageHeaderEncoder;
import io.splitheap.protocol.codecs.NodeStatsEncoder;
import io.splitheap.protocol.codecs.NodeStatsRequestDecoder;
import io.splitheap.protocol.codecs.ReadLineDecoder;
import io.splitheap.protocol.codecs.RegionRole;
import io.splitheap.protocol.codecs.WriteLinesDecoder;
import io.splitheap.protocol.transport.Replier;
import io.splitheap.protocol.transport.Session;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * The data path of a memory node: line reads and write-backs, page discards and statistics, each checked
 * against the process's secret, the vRegion's owner and epoch, and the process's vmas before it touches a page. Reads
 * need this node to be the vRegion's primary; write-backs and frees are taken by its secondary too, which keeps a
 * full copy of every acknowledged write so that it can take over when the primary dies.
 * <p>
 * Epochs: a write-back or free must name the vRegion's epoch, except on a primary that is copying the vRegion to a
 * new secondary, which still takes older epochs (from agents that have not seen the new routes) and copies those
 * pages again ({@link SyncSource}). A read may name the epoch or an older one: it comes from a route that named this
 * node as primary, and the primary's pages are current whatever the epoch. A new secondary notes every page agents
 * write or free while it is being filled ({@link SyncTarget}).
 */
public final class DataRequests
{
    private final NodeState state;
    private final Replier replier;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ReadLineDecoder readDecoder = new ReadLineDecoder();
    private final WriteLinesDecoder writeDecoder = new WriteLinesDecoder();
    private final FreePagesDecoder freeDecoder = new FreePagesDecoder();
    private final NodeStatsRequestDecoder statsDecoder = new NodeStatsRequestDecoder();
    private final LineDataEncoder lineEncoder = new LineDataEncoder();
    private final NodeStatsEncoder statsEncoder = new NodeStatsEncoder();
    private final UnsafeBuffer data = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer reply;

    /**
     * Handlers over node state.
     *
     * @param state   the node's state.
     * @param replier sends acks and errors.
     */
    public DataRequests(final NodeState state, final Replier replier)
    {
        this.state = state;
        this.replier = replier;
        this.reply = new UnsafeBuffer(new byte[state.maxLineBytes() + 256]);
    }

    /**
     * Reads a line.
     *
     * @param session the client.
     * @param buffer  the message (wrapped to its exact length).
     */
    public void onReadLine(final Session session, final DirectBuffer buffer)
    {
        readDecoder.wrapAndApplyHeader(buffer, 0, headerDecoder);
        final long correlationId = readDecoder.correlationId();
        final int pid = readDecoder.pid();
        final long address = readDecoder.address();
        final int length = readDecoder.length();
        final ProcessSpace space = checkProcess(session, correlationId, pid, readDecoder.secret());
        if (space == null || checkRange(session, correlationId, space, address, length, readDecoder.epoch(),
            state.maxLineBytes(), false) == null)
        {
            return;
        }
        // pages go straight into the reply, after its fixed fields and the data's length prefix
        final int dataOffset = MessageHeaderEncoder.ENCODED_LENGTH + LineDataEncoder.BLOCK_LENGTH +
            LineDataEncoder.dataHeaderLength();
        boolean present = false;
        final int pages = length >>> FarAddress.PAGE_SHIFT;
        final long firstPage = FarAddress.pageNumber(address);
        for (int i = 0; i < pages; i++)
        {
            final int offset = dataOffset + (i << FarAddress.PAGE_SHIFT);
            if (state.store().read(pid, firstPage + i, reply, offset))
            {
                present = true;
            }
            else
            {
                reply.setMemory(offset, FarAddress.PAGE_SIZE, (byte)0);
            }
        }
        state.countRead();
        lineEncoder.wrapAndApplyHeader(reply, 0, headerEncoder)
            .correlationId(correlationId)
            .address(address)
            .length(length);
        final int dataLength = present ? length : 0;
        reply.putInt(dataOffset - LineDataEncoder.dataHeaderLength(), dataLength, ByteOrder.LITTLE_ENDIAN);
        session.send(reply, 0, dataOffset + dataLength);
    }

    public void onWriteLines(final Session session, final DirectBuffer buffer)
    {
        writeDecoder.wrapAndApplyHeader(buffer, 0, headerDecoder);
        final long correlationId = writeDecoder.correlationId();
        final int pid = writeDecoder.pid();
        final ProcessSpace space = checkProcess(session, correlationId, pid, writeDecoder.secret());
        if (space == null)
        {
            return;
        }
        for (final WriteLinesDecoder.LinesDecoder lines : writeDecoder.lines())
        {
            final long address = lines.address();
            final long epoch = lines.epoch();
            final int length = lines.dataLength();
            final Region region = checkRange(
                session, correlationId, space, address, length, epoch, state.maxLineBytes(), true);
            if (region == null)
            {
                return;
            }
            noteForCopies(space, region, epoch, address, length, false);
            lines.wrapData(data);
            final long firstPage = FarAddress.pageNumber(address);
            for (int offset = 0; offset < length; offset += FarAddress.PAGE_SIZE)
            {
                if (state.store().write(pid, firstPage + (offset >>> FarAddress.PAGE_SHIFT), data, offset) ==
                    PageStore.WriteResult.FULL)
                {
                    replier.error(session, correlationId, ErrorCode.CAPACITY_EXCEEDED, address + offset,
                        "memory node " + state.nodeId() + " is full: capacityPages=" +
                        state.store().capacityPages() + "; add memory nodes or give this node more capacity");
                    return;
                }
            }
            state.countWrite();
        }
        replier.ack(session, correlationId);
    }

    /**
     * Discards pages of dead data.
     *
     * @param session the client.
     * @param buffer  the message (wrapped to its exact length).
     */
    public void onFreePages(final Session session, final DirectBuffer buffer)
    {
        freeDecoder.wrapAndApplyHeader(buffer, 0, headerDecoder);
        final long correlationId = freeDecoder.correlationId();
        final long address = freeDecoder.address();
        final long length = freeDecoder.length();
        final ProcessSpace space = checkProcess(session, correlationId, freeDecoder.pid(), freeDecoder.secret());
        final Region region = space == null ? null : checkRange(
            session, correlationId, space, address, length, freeDecoder.epoch(), Long.MAX_VALUE, true);
        if (region == null)
        {
            return;
        }
        noteForCopies(space, region, freeDecoder.epoch(), address, length, true);
        state.store().discard(space.pid(), FarAddress.pageNumber(address), FarAddress.pageNumber(address + length));
        replier.ack(session, correlationId);
    }

    /**
     * Answers with the node's statistics.
     *
     * @param session the client.
     * @param buffer  the message (wrapped to its exact length).
     */
    public void onStats(final Session session, final DirectBuffer buffer)
    {
        statsDecoder.wrapAndApplyHeader(buffer, 0, headerDecoder);
        final long correlationId = statsDecoder.correlationId();
        final int pid = statsDecoder.pid();
        if (!state.isValidSecret(pid, statsDecoder.secret()))
        {
            badSecret(session, correlationId, pid);
            return;
        }
        final PageStore store = state.store();
        statsEncoder.wrapAndApplyHeader(reply, 0, headerEncoder)
            .correlationId(correlationId)
            .nodeId(state.nodeId())
            .usedPages(store.usedPages())
            .processPages(store.processPages(pid))
            .capacityPages(store.capacityPages())
            .peakPages(store.peakPages())
            .reads(state.reads())
            .writes(state.writes());
        session.send(reply, 0, MessageHeaderEncoder.ENCODED_LENGTH + statsEncoder.encodedLength());
    }

    private ProcessSpace checkProcess(final Session session, final long correlationId, final int pid, final long secret)
    {
        if (state.capabilities() == null)
        {
            replier.error(session, correlationId, ErrorCode.NOT_CONNECTED, 0,
                "memory node is not registered with the coordinator yet; retry shortly");
            return null;
        }
        if (!state.isValidSecret(pid, secret))
        {
            badSecret(session, correlationId, pid);
            return null;
        }
        final ProcessSpace space = state.space(pid);
        if (space == null)
        {
            replier.error(session, correlationId, ErrorCode.NOT_OWNER, 0,
                "pid=" + pid + " has no memory on node=" + state.nodeId());
        }
        return space;
    }

    /**
     * Tells a copy of the vRegion under way about pages written or freed: a primary copies pages taken at an older
     * epoch again, a new secondary takes no copy of pages agents wrote or freed on it.
     */
    private static void noteForCopies(
        final ProcessSpace space,
        final Region region,
        final long epoch,
        final long address,
        final long length,
        final boolean free)
    {
        if (region.epoch() != epoch)
        {
            space.syncSource(region.vRegion()).writtenAtOlderEpoch(address, length);
            return;
        }
        final SyncTarget target = space.syncTarget(region.vRegion());
        if (target != null)
        {
            if (free)
            {
                target.agentFreed(address, length);
            }
            else
            {
                target.agentWrote(address, length);
            }
        }
    }

    /**
     * Checks a request's range, vRegion, role and epoch; answers the first failure.
     *
     * @return the vRegion's assignment, or null after an error reply.
     */
    private Region checkRange(
        final Session session,
        final long correlationId,
        final ProcessSpace space,
        final long address,
        final long length,
        final long epoch,
        final long maxLength,
        final boolean replicated)
    {
        if (!FarAddress.isValidRange(address, length) || !FarAddress.isPageAligned(address) ||
            !FarAddress.isPageAligned(length) || length > maxLength)
        {
            replier.error(session, correlationId, ErrorCode.INVALID_ARGUMENT, address,
                "range must be page aligned inside the 48-bit space and at most " + maxLength + " bytes: address=" +
                FarAddress.format(address) + " length=" + length);
            return null;
        }
        final int vRegionShift = state.vRegionShift();
        final Region region = space.region(FarAddress.vRegion(address, vRegionShift));
        // reads are served by the primary; write-backs and frees are applied by the primary and the secondary alike
        if (region == null || (region.role() != RegionRole.PRIMARY && !replicated) ||
            FarAddress.vRegion(address + length - 1, vRegionShift) != region.vRegion())
        {
            replier.error(session, correlationId, ErrorCode.NOT_OWNER, address,
                "node=" + state.nodeId() + " is not the " + (replicated ? "primary or secondary" : "primary") +
                " of the vRegion of address=" + FarAddress.format(address) + " length=" + length + " for pid=" +
                space.pid());
            return null;
        }
        if (!acceptsEpoch(space, region, epoch, replicated))
        {
            replier.error(session, correlationId, ErrorCode.STALE_EPOCH, address,
                "request epoch=" + epoch + " but vRegion=" + region.vRegion() + " is at epoch=" + region.epoch() +
                "; refresh routing");
            return null;
        }
        if (!space.isMapped(address, length))
        {
            replier.error(session, correlationId, ErrorCode.NOT_OWNER, address,
                "address=" + FarAddress.format(address) + " length=" + length + " is not mapped for pid=" +
                space.pid());
            return null;
        }
        return region;
    }

    /**
     * The vRegion's epoch; for a read from the primary an older one too; for a write-back or free at the primary an
     * older one while it copies the vRegion to a new secondary.
     */
    private static boolean acceptsEpoch(
        final ProcessSpace space, final Region region, final long epoch, final boolean replicated)
    {
        if (epoch == region.epoch())
        {
            return true;
        }
        if (epoch > region.epoch() || region.role() != RegionRole.PRIMARY)
        {
            return false;
        }
        if (!replicated)
        {
            return true;
        }
        final SyncSource source = space.syncSource(region.vRegion());
        return source != null && source.acceptsOlderEpochs();
    }

    private void badSecret(final Session session, final long correlationId, final int pid)
    {
        replier.error(session, correlationId, ErrorCode.BAD_SECRET, 0,
            "wrong secret for pid=" + pid + ": only the process the coordinator registered may use its memory");
    }
}
