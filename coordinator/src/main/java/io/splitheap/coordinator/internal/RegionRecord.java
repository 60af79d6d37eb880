package io.splitheap.coordinator.internal;

/**
 * A vRegion of a process: its primary and secondary memory nodes, its routing epoch, and how much of it is
 * handed out (allocation inside a vRegion is a bump pointer; freed ranges are not reused).
 */
public final class RegionRecord
{
    private final long vRegion;
    private final int primaryNodeId;
    private final int secondaryNodeId;
    private final long epoch;
    private long used;
    private long live;

    /**
     * A region.
     *
     * @param vRegion         index.
     * @param primaryNodeId   owner.
     * @param secondaryNodeId replica holder, 0 if none.
     * @param epoch           routing epoch.
     */
    public RegionRecord(final long vRegion, final int primaryNodeId, final int secondaryNodeId, final long epoch)
    {
        this.vRegion = vRegion;
        this.primaryNodeId = primaryNodeId;
        this.secondaryNodeId = secondaryNodeId;
        this.epoch = epoch;
    }

    /**
     * The same vRegion held by other nodes (after a failover), keeping what it has handed out.
     *
     * @param primaryNodeId   the new owner.
     * @param secondaryNodeId the new replica holder, 0 if none.
     * @param epoch           the new routing epoch.
     * @return the new record.
     */
    public RegionRecord reassigned(final int primaryNodeId, final int secondaryNodeId, final long epoch)
    {
        final RegionRecord region = new RegionRecord(vRegion, primaryNodeId, secondaryNodeId, epoch);
        region.used = used;
        region.live = live;
        return region;
    }

    /**
     * vRegion index.
     *
     * @return the index.
     */
    public long vRegion()
    {
        return vRegion;
    }

    /**
     * Owner.
     *
     * @return node id.
     */
    public int primaryNodeId()
    {
        return primaryNodeId;
    }

    /**
     * Replica holder.
     *
     * @return node id or 0.
     */
    public int secondaryNodeId()
    {
        return secondaryNodeId;
    }

    /**
     * Routing epoch.
     *
     * @return epoch.
     */
    public long epoch()
    {
        return epoch;
    }

    /**
     * Bytes handed out from the start of the region.
     *
     * @return bytes.
     */
    public long used()
    {
        return used;
    }

    /**
     * Hands out more of the region.
     *
     * @param bytes how much.
     * @return offset of the range handed out.
     */
    public long take(final long bytes)
    {
        final long offset = used;
        used += bytes;
        live += bytes;
        return offset;
    }

    /**
     * Bytes handed out and not released.
     *
     * @return bytes.
     */
    public long live()
    {
        return live;
    }

    /**
     * Releases bytes handed out earlier.
     *
     * @param bytes how much.
     * @return bytes actually released (never more than live).
     */
    public long release(final long bytes)
    {
        final long released = Math.min(bytes, live);
        live -= released;
        return released;
    }
}
