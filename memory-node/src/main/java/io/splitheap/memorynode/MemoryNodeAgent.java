package io.splitheap.memorynode;

import io.aeron.logbuffer.Header;
import io.splitheap.memorynode.internal.ControlRequests;
import io.splitheap.memorynode.internal.DataRequests;
import io.splitheap.memorynode.internal.NodeState;
import io.splitheap.memorynode.internal.PageStore;
import io.splitheap.memorynode.internal.PageStoreOpener;
import io.splitheap.memorynode.internal.RegionSyncs;
import io.splitheap.memorynode.internal.SyncRequests;
import io.splitheap.protocol.codecs.AssignRegionDecoder;
import io.splitheap.protocol.codecs.CreateVmaDecoder;
import io.splitheap.protocol.codecs.DropRegionDecoder;
import io.splitheap.protocol.codecs.DropVmaDecoder;
import io.splitheap.protocol.codecs.ErrorCode;
import io.splitheap.protocol.codecs.FreePagesDecoder;
import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.codecs.NodeStatsRequestDecoder;
import io.splitheap.protocol.codecs.ReadLineDecoder;
import io.splitheap.protocol.codecs.ReleaseProcessDecoder;
import io.splitheap.protocol.codecs.SyncPagesDecoder;
import io.splitheap.protocol.codecs.SyncRegionDecoder;
import io.splitheap.protocol.codecs.WriteLinesDecoder;
import io.splitheap.protocol.exceptions.SplitheapException;
import io.splitheap.protocol.membership.NodeMembership;
import io.splitheap.protocol.transport.ClientEndpoint;
import io.splitheap.protocol.transport.Replier;
import io.splitheap.protocol.transport.RequestServer;
import io.splitheap.protocol.transport.Session;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;

/**
 * The memory node's duty cycle: requests from agents, the coordinator and other memory nodes, replies to its own
 * registration and to the copies it sends, the copies themselves (bounded per cycle, see {@link RegionSyncs}), and
 * heartbeats. Never blocks; a malformed request is answered with {@code MALFORMED} when it carries a correlation id.
 * Requests are taken only once the node is registered and its page store open (they wait in Aeron until then), so
 * no handler ever sees a node without pages.
 */
final class MemoryNodeAgent implements Agent, RequestServer.Handler
{
    private static final int FRAGMENT_LIMIT = 16;
    private static final long COMPACTION_CHECK_NS = TimeUnit.SECONDS.toNanos(1);

    private final NodeState state;
    private final NodeMembership membership;
    private final ClientEndpoint client;
    private final Replier replier;
    private final PageStoreOpener pages;
    private final DataRequests data;
    private final ControlRequests control;
    private final SyncRequests syncRequests;
    private final RegionSyncs syncs;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final long compactMinPages;
    private final ErrorHandler errorHandler;
    private RequestServer server;
    private boolean wasRegistered;
    private long nextCompactionCheckNs;
    private long compactionStartNs;

    MemoryNodeAgent(
        final NodeState state,
        final NodeMembership membership,
        final ClientEndpoint client,
        final Replier replier,
        final PageStoreOpener pages,
        final long compactMinPages,
        final ErrorHandler errorHandler,
        final long requestTimeoutNs)
    {
        this.state = state;
        this.compactMinPages = compactMinPages;
        this.errorHandler = errorHandler;
        this.pages = pages;
        this.membership = membership;
        this.client = client;
        this.replier = replier;
        this.data = new DataRequests(state, replier);
        this.syncs = new RegionSyncs(state, client, membership, replier, errorHandler, requestTimeoutNs);
        this.control = new ControlRequests(state, replier, syncs);
        this.syncRequests = new SyncRequests(state, replier);
    }

    void server(final RequestServer server)
    {
        this.server = server;
    }

    public int doWork()
    {
        int work = client.poll(FRAGMENT_LIMIT);
        final long nowNs = System.nanoTime();
        if (state.store() != null)
        {
            work += server.poll(FRAGMENT_LIMIT);
            work += syncs.doWork(nowNs);
            if (state.store().isCompacting() || nowNs - nextCompactionCheckNs >= 0)
            {
                nextCompactionCheckNs = nowNs + COMPACTION_CHECK_NS;
                work += compact(state.store(), nowNs);
            }
        }
        else if (pages.store() != null)
        {
            state.store(pages.store());
            work++;
        }
        work += membership.doWork(nowNs);
        final boolean registered = membership.isRegistered();
        if (registered != wasRegistered)
        {
            wasRegistered = registered;
            if (registered)
            {
                replier.nodeId(membership.nodeId());
                state.clearSecrets();
                state.saveMetadata();
                pages.open();
            }
        }
        return work;
    }

    /**
     * Gives disk and resident memory back once most pages stored have been freed (see {@link PageStore}): one step
     * of a compaction per duty cycle (one segment of the map copied), so requests wait for one segment at a time.
     */
    private int compact(final PageStore store, final long nowNs)
    {
        final boolean wasCompacting = store.isCompacting();
        final long footprint = store.footprintPages();
        final int work;
        try
        {
            work = store.compactionStep(compactMinPages);
        }
        catch (final SplitheapException ex)
        {
            errorHandler.onError(ex);
            nextCompactionCheckNs = nowNs + 60 * COMPACTION_CHECK_NS;
            return 1;
        }
        if (!wasCompacting && store.isCompacting())
        {
            compactionStartNs = nowNs;
            errorHandler.onError(new SplitheapException("compacting the page store: " + store.usedPages() +
                " pages stored in room for " + footprint, SplitheapException.Category.INFO, null));
        }
        else if (wasCompacting && !store.isCompacting())
        {
            errorHandler.onError(new SplitheapException("compacted the page store: " + store.usedPages() +
                " pages kept, room of " + (footprint - store.usedPages()) + " pages given back (disk and memory), in " +
                TimeUnit.NANOSECONDS.toMillis(nowNs - compactionStartNs) + " ms", SplitheapException.Category.INFO,
                null));
        }
        return work;
    }

    public String roleName()
    {
        return "splitheap-memory-node";
    }

    public void onRequest(
        final Session session, final int templateId, final DirectBuffer buffer, final int offset, final int length)
    {
        view.wrap(buffer, offset, length);
        try
        {
            dispatch(session, templateId);
        }
        catch (final IndexOutOfBoundsException | IllegalStateException ex)
        {
            malformed(session, "truncated or inconsistent message templateId=" + templateId + ": " + ex.getMessage());
        }
    }

    void onReply(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (!membership.onReply(buffer, offset))
        {
            syncs.onReply(buffer, offset);
        }
    }

    private void dispatch(final Session session, final int templateId)
    {
        switch (templateId)
        {
            case ReadLineDecoder.TEMPLATE_ID:
                data.onReadLine(session, view);
                break;
            case WriteLinesDecoder.TEMPLATE_ID:
                data.onWriteLines(session, view);
                break;
            case FreePagesDecoder.TEMPLATE_ID:
                data.onFreePages(session, view);
                break;
            case NodeStatsRequestDecoder.TEMPLATE_ID:
                data.onStats(session, view);
                break;
            case AssignRegionDecoder.TEMPLATE_ID:
                control.onAssignRegion(session, view);
                break;
            case CreateVmaDecoder.TEMPLATE_ID:
                control.onCreateVma(session, view);
                break;
            case DropVmaDecoder.TEMPLATE_ID:
                control.onDropVma(session, view);
                break;
            case ReleaseProcessDecoder.TEMPLATE_ID:
                control.onReleaseProcess(session, view);
                break;
            case SyncRegionDecoder.TEMPLATE_ID:
                control.onSyncRegion(session, view);
                break;
            case DropRegionDecoder.TEMPLATE_ID:
                control.onDropRegion(session, view);
                break;
            case SyncPagesDecoder.TEMPLATE_ID:
                syncRequests.onSyncPages(session, view);
                break;
            default:
                malformed(session, "a memory node does not handle templateId=" + templateId);
        }
    }

    private void malformed(final Session session, final String message)
    {
        final int correlationOffset = MessageHeaderDecoder.ENCODED_LENGTH;
        final long correlationId = view.capacity() >= correlationOffset + Long.BYTES ?
            view.getLong(correlationOffset, java.nio.ByteOrder.LITTLE_ENDIAN) : 0;
        replier.error(session, correlationId, ErrorCode.MALFORMED, 0, message);
    }
}
