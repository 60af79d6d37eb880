package io.splitheap.memorynode.internal;

import io.splitheap.protocol.FarAddress;
import org.agrona.collections.LongHashSet;

/**
 * A vRegion this node is being filled with as its new secondary (re-replication), from the moment the coordinator
 * assigned it until the primary's last {@code SyncPages}. Agents write back to this node at the new epoch while the
 * primary's copy is still on its way, so a copied page may be older than what an agent already wrote here: the rule
 * is that <b>a copied page is applied only where no agent write or free of that page reached this node since the
 * assignment</b>. An agent's write is never older than the copy of the same page (the primary read the copy before or
 * after applying that write; before, the copy is older; after, the write arrives here too, later or already), and
 * every agent write at the new epoch reaches this node, so the last one wins either way. Ranges the coordinator
 * dropped since are remembered too, so that vmas in a copy that was read before the drop are not mapped again.
 */
public final class SyncTarget
{
    private final long epoch;
    private final LongHashSet written = new LongHashSet();
    private final VmaSet freed = new VmaSet();
    private final VmaSet dropped = new VmaSet();

    /**
     * A copy that begins now.
     *
     * @param epoch the vRegion's new epoch.
     */
    public SyncTarget(final long epoch)
    {
        this.epoch = epoch;
    }

    /**
     * The epoch the copy belongs to.
     *
     * @return epoch.
     */
    public long epoch()
    {
        return epoch;
    }

    /**
     * An agent wrote pages here.
     *
     * @param address first address.
     * @param length  bytes, page aligned.
     */
    public void agentWrote(final long address, final long length)
    {
        for (long page = FarAddress.pageNumber(address), end = FarAddress.pageNumber(address + length); page < end;
            page++)
        {
            written.add(page);
        }
    }

    /**
     * An agent freed pages here.
     *
     * @param address first address.
     * @param length  bytes, page aligned.
     */
    public void agentFreed(final long address, final long length)
    {
        freed.addUncovered(address, address + length);
    }

    /**
     * The coordinator dropped a range here.
     *
     * @param start first address.
     * @param end   one past the last address.
     */
    public void vmaDropped(final long start, final long end)
    {
        dropped.addUncovered(start, end);
    }

    /**
     * Whether a copy of a page may be applied: no agent wrote or freed it here since the copy began.
     *
     * @param address the page's address.
     * @return true to apply it.
     */
    public boolean takesCopyOf(final long address)
    {
        return !written.contains(FarAddress.pageNumber(address)) &&
            !freed.overlaps(address, address + FarAddress.PAGE_SIZE);
    }

    /**
     * Ranges dropped since the copy began.
     *
     * @return the ranges.
     */
    VmaSet dropped()
    {
        return dropped;
    }
}
