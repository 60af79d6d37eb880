package io.splitheap.coordinator.internal;

import io.splitheap.protocol.codecs.SecondaryState;

/**
 * A vRegion of a process: its primary and secondary memory nodes, its routing epoch, how far its secondary's copy is,
 * and how much of it is handed out (allocation inside a vRegion is a bump pointer; freed ranges are not reused).
 * <p>
 * A secondary holds a full copy only when {@link SecondaryState#SYNCED}: from allocation on, or once re-replication
 * finished copying. While a new secondary is {@link SecondaryState#PREPARING} it is told its role and gets the vmas,
 * every vma change and the capacity charge, but agents are not routed to it yet ({@link #routedSecondaryNodeId()});
 * while {@link SecondaryState#SYNCING} agents write back to it and the primary copies the rest. Only a synced
 * secondary may be promoted.
 */
public final class RegionRecord
{
    private final long vRegion;
    private final int primaryNodeId;
    private final int secondaryNodeId;
    private final long epoch;
    private final SecondaryState secondaryState;
    private long used;
    private long live;

    /**
     * A vRegion as persisted.
     *
     * @param vRegion         index in the process's address space.
     * @param primaryNodeId   primary.
     * @param secondaryNodeId secondary, 0 for none.
     * @param epoch           epoch.
     * @param secondaryState  the secondary's copy state.
     * @param used            bytes handed out.
     * @param live            bytes handed out and not released.
     * @return the record.
     */
    public static RegionRecord restored(
        final long vRegion,
        final int primaryNodeId,
        final int secondaryNodeId,
        final long epoch,
        final SecondaryState secondaryState,
        final long used,
        final long live)
    {
        final RegionRecord region = new RegionRecord(vRegion, primaryNodeId, secondaryNodeId, epoch, secondaryState);
        region.used = used;
        region.live = live;
        return region;
    }

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
        this(vRegion, primaryNodeId, secondaryNodeId, epoch,
            secondaryNodeId == 0 ? SecondaryState.NONE : SecondaryState.SYNCED);
    }

    private RegionRecord(
        final long vRegion,
        final int primaryNodeId,
        final int secondaryNodeId,
        final long epoch,
        final SecondaryState secondaryState)
    {
        if ((secondaryNodeId == 0) != (secondaryState == SecondaryState.NONE))
        {
            throw new IllegalArgumentException("secondaryNodeId=" + secondaryNodeId + " with " + secondaryState);
        }
        this.vRegion = vRegion;
        this.primaryNodeId = primaryNodeId;
        this.secondaryNodeId = secondaryNodeId;
        this.epoch = epoch;
        this.secondaryState = secondaryState;
    }

    /**
     * The same vRegion held by other nodes or at another epoch (after a failover, during re-replication), keeping
     * what it has handed out.
     *
     * @param primaryNodeId   the new owner.
     * @param secondaryNodeId the new replica holder, 0 if none.
     * @param epoch           the new routing epoch.
     * @param secondaryState  how far the secondary's copy is: NONE exactly when there is no secondary.
     * @return the new record.
     */
    public RegionRecord reassigned(
        final int primaryNodeId, final int secondaryNodeId, final long epoch, final SecondaryState secondaryState)
    {
        final RegionRecord region = new RegionRecord(vRegion, primaryNodeId, secondaryNodeId, epoch, secondaryState);
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
     * The secondary agents write back to: none while a new one is being prepared.
     *
     * @return node id or 0.
     */
    public int routedSecondaryNodeId()
    {
        return secondaryState == SecondaryState.PREPARING ? 0 : secondaryNodeId;
    }

    /**
     * How far the secondary's copy is.
     *
     * @return the state, NONE when there is no secondary.
     */
    public SecondaryState secondaryState()
    {
        return secondaryState;
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
