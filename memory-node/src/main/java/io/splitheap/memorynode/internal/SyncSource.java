package io.splitheap.memorynode.internal;

import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.FarAddress;
import io.splitheap.protocol.transport.ServerLink;
import io.splitheap.protocol.transport.Session;
import org.agrona.collections.LongHashSet;

/**
 * A vRegion this node, its primary, copies to a new secondary (re-replication), driven by {@link RegionSyncs}. The
 * copy runs in three phases: the vmas (the coordinator is acknowledged once the secondary has them, and only then
 * routes agents' write-backs to it), the pages (a scan of the vmas in address order, then the pages written here at an
 * older epoch since the copy began), and a last, empty message once nothing is left.
 * <p>
 * Until that last message the node still takes write-backs and frees at an epoch older than the copy's, from agents
 * that have not seen the new routes yet; those did not reach the secondary, so their pages are queued to be copied
 * again ({@link #recopy}). The last message goes out only when the scan is done, nothing is queued and nothing is in
 * flight, and from then on older epochs are refused ({@link #acceptsOlderEpochs()}), so no write acknowledged here
 * can miss the secondary.
 */
public final class SyncSource
{
    /**
     * Where the copy is.
     */
    enum Phase
    {
        VMAS, PAGES, LAST, DONE
    }

    private final ProcessSpace space;
    private final long vRegion;
    private final long epoch;
    private final int targetNodeId;
    private final Endpoint target;
    private final long bytesPerSecond;
    private final Session coordinator;
    private final long correlationId;
    private final long startedNs;
    private final long regionEnd;
    private final LongHashSet recopy = new LongHashSet();
    private ServerLink link;
    private Phase phase = Phase.VMAS;
    private long cursor;
    private int vmasSent;
    private boolean scanDone;
    private int inFlight;
    private long progressNs;
    private long nextSendNs;
    private long pagesCopied;
    private long bytesSent;

    /**
     * A copy that begins now.
     *
     * @param space          the process.
     * @param vRegion        the vRegion.
     * @param vRegionShift   log2 of the vRegion size.
     * @param epoch          the new epoch.
     * @param targetNodeId   the new secondary.
     * @param target         its endpoint.
     * @param bytesPerSecond most bytes of pages sent per second.
     * @param coordinator    the coordinator's session, acknowledged once the secondary has the vmas.
     * @param correlationId  the coordinator's request.
     * @param nowNs          time.
     */
    public SyncSource(
        final ProcessSpace space,
        final long vRegion,
        final int vRegionShift,
        final long epoch,
        final int targetNodeId,
        final Endpoint target,
        final long bytesPerSecond,
        final Session coordinator,
        final long correlationId,
        final long nowNs)
    {
        this.space = space;
        this.vRegion = vRegion;
        this.epoch = epoch;
        this.targetNodeId = targetNodeId;
        this.target = target;
        this.bytesPerSecond = bytesPerSecond;
        this.coordinator = coordinator;
        this.correlationId = correlationId;
        this.startedNs = nowNs;
        this.cursor = FarAddress.vRegionBase(vRegion, vRegionShift);
        this.regionEnd = FarAddress.vRegionBase(vRegion + 1, vRegionShift);
        this.nextSendNs = nowNs;
        this.progressNs = nowNs;
    }

    /**
     * Whether this node may still take a write-back or free of the vRegion at an epoch older than the copy's.
     *
     * @return true until the last message of the copy is sent.
     */
    public boolean acceptsOlderEpochs()
    {
        return phase == Phase.VMAS || phase == Phase.PAGES;
    }

    /**
     * Pages written or freed here at an older epoch: they must be copied again.
     *
     * @param address first address.
     * @param length  bytes, page aligned.
     */
    public void writtenAtOlderEpoch(final long address, final long length)
    {
        for (long page = FarAddress.pageNumber(address), end = FarAddress.pageNumber(address + length); page < end;
            page++)
        {
            recopy.add(page);
        }
    }

    /**
     * The vRegion.
     *
     * @return index.
     */
    public long vRegion()
    {
        return vRegion;
    }

    ProcessSpace space()
    {
        return space;
    }

    long epoch()
    {
        return epoch;
    }

    int targetNodeId()
    {
        return targetNodeId;
    }

    Endpoint target()
    {
        return target;
    }

    Session coordinator()
    {
        return coordinator;
    }

    long correlationId()
    {
        return correlationId;
    }

    long startedNs()
    {
        return startedNs;
    }

    ServerLink link()
    {
        return link;
    }

    void link(final ServerLink link)
    {
        this.link = link;
    }

    Phase phase()
    {
        return phase;
    }

    void phase(final Phase phase)
    {
        this.phase = phase;
    }

    int vmasSent()
    {
        return vmasSent;
    }

    void vmasSent(final int vmasSent)
    {
        this.vmasSent = vmasSent;
    }

    long cursor()
    {
        return cursor;
    }

    void cursor(final long cursor)
    {
        this.cursor = cursor;
    }

    long regionEnd()
    {
        return regionEnd;
    }

    boolean scanDone()
    {
        return scanDone;
    }

    void scanDone(final boolean scanDone)
    {
        this.scanDone = scanDone;
    }

    LongHashSet recopy()
    {
        return recopy;
    }

    int inFlight()
    {
        return inFlight;
    }

    /**
     * When the copy last made progress: began, sent a message with none in flight, or got an answer.
     *
     * @return nano time.
     */
    long progressNs()
    {
        return progressNs;
    }

    /**
     * A message of the copy went out.
     *
     * @param bytes its size.
     * @param pages pages with data in it.
     * @param nowNs time.
     */
    void sent(final int bytes, final int pages, final long nowNs)
    {
        if (inFlight++ == 0)
        {
            progressNs = nowNs;
        }
        pagesCopied += pages;
        bytesSent += bytes;
        // the rate bounds the copy, not the node: the next message may go once this one's bytes are paid for
        nextSendNs = Math.max(nowNs, nextSendNs) + bytes * 1_000_000_000L / bytesPerSecond;
    }

    /**
     * The secondary acknowledged the oldest message in flight.
     *
     * @param nowNs time.
     */
    void acknowledged(final long nowNs)
    {
        inFlight--;
        progressNs = nowNs;
    }

    boolean maySend(final long nowNs)
    {
        return nowNs >= nextSendNs;
    }

    long pagesCopied()
    {
        return pagesCopied;
    }

    long bytesSent()
    {
        return bytesSent;
    }

    /**
     * Whether this copy is still the vRegion's: a new assignment, a dropped vRegion or a released process ends it.
     *
     * @param state the node.
     * @return true if current.
     */
    boolean isCurrent(final NodeState state)
    {
        return state.space(space.pid()) == space && space.syncSource(vRegion) == this;
    }
}
