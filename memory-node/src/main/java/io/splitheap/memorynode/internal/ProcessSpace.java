package io.splitheap.memorynode.internal;

import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.List;

/**
 * What this node knows of one process's far address space: the vRegions it was assigned and the fine-grained vmas
 * (mapped ranges) inside them, and the copies to or from another node under way for some of those vRegions
 * (re-replication: a {@link SyncSource} on the primary, a {@link SyncTarget} on the new secondary). A new assignment
 * of a vRegion ends any copy of it.
 */
public final class ProcessSpace
{
    private final int pid;
    private final Long2ObjectHashMap<Region> regions = new Long2ObjectHashMap<>();
    private final VmaSet vmas = new VmaSet();
    private final Long2ObjectHashMap<SyncSource> syncSources = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<SyncTarget> syncTargets = new Long2ObjectHashMap<>();
    private long mappedBytes;

    /**
     * An empty space.
     *
     * @param pid the process.
     */
    public ProcessSpace(final int pid)
    {
        this.pid = pid;
    }

    /**
     * The process id.
     *
     * @return pid.
     */
    public int pid()
    {
        return pid;
    }

    /**
     * The assignment of a vRegion.
     *
     * @param vRegion index.
     * @return the region or null.
     */
    public Region region(final long vRegion)
    {
        return regions.get(vRegion);
    }

    /**
     * Records an assignment, replacing an older one.
     *
     * @param region the assignment.
     */
    public void assign(final Region region)
    {
        regions.put(region.vRegion(), region);
        syncSources.remove(region.vRegion());
        syncTargets.remove(region.vRegion());
    }

    /**
     * Forgets a vRegion's assignment and any copy of it.
     *
     * @param vRegion index.
     * @return the assignment it had, or null.
     */
    public Region unassign(final long vRegion)
    {
        syncSources.remove(vRegion);
        syncTargets.remove(vRegion);
        return regions.remove(vRegion);
    }

    /**
     * The copy of a vRegion this node (its primary) is sending to a new secondary.
     *
     * @param vRegion index.
     * @return the copy, or null.
     */
    public SyncSource syncSource(final long vRegion)
    {
        return syncSources.get(vRegion);
    }

    /**
     * Records the copy of a vRegion this node sends (after its new assignment).
     *
     * @param source the copy.
     */
    public void syncSource(final SyncSource source)
    {
        syncSources.put(source.vRegion(), source);
    }

    /**
     * Ends a copy this node sends, if it is still the vRegion's.
     *
     * @param source the copy.
     */
    public void endSyncSource(final SyncSource source)
    {
        syncSources.remove(source.vRegion(), source);
    }

    /**
     * The copy of a vRegion this node (its new secondary) is receiving.
     *
     * @param vRegion index.
     * @return the copy, or null.
     */
    public SyncTarget syncTarget(final long vRegion)
    {
        return syncTargets.get(vRegion);
    }

    /**
     * Records the copy of a vRegion this node receives (after its new assignment).
     *
     * @param vRegion index.
     * @param target  the copy.
     */
    public void syncTarget(final long vRegion, final SyncTarget target)
    {
        syncTargets.put(vRegion, target);
    }

    /**
     * Ends a copy this node receives.
     *
     * @param vRegion index.
     */
    public void endSyncTarget(final long vRegion)
    {
        syncTargets.remove(vRegion);
    }

    /**
     * Tells the copies being received that the coordinator dropped a range, so that no copy maps it again.
     *
     * @param start        first address.
     * @param end          one past the last address.
     * @param vRegionShift log2 of the vRegion size.
     */
    public void dropForCopies(final long start, final long end, final int vRegionShift)
    {
        if (syncTargets.isEmpty())
        {
            return;
        }
        syncTargets.forEachLong((vRegion, target) ->
        {
            final long base = vRegion << vRegionShift;
            final long clippedStart = Math.max(start, base);
            final long clippedEnd = Math.min(end, base + (1L << vRegionShift));
            if (clippedStart < clippedEnd)
            {
                target.vmaDropped(clippedStart, clippedEnd);
            }
        });
    }

    /**
     * Every assignment.
     *
     * @return a copy.
     */
    public List<Region> regions()
    {
        return new ArrayList<>(regions.values());
    }

    /**
     * Adds a vma.
     *
     * @param start  first address.
     * @param length bytes.
     * @return false if it overlaps an existing vma.
     */
    public boolean addVma(final long start, final long length)
    {
        if (!vmas.add(start, start + length))
        {
            return false;
        }
        mappedBytes += length;
        return true;
    }

    /**
     * Removes the parts of vmas that fall in a range.
     *
     * @param start  first address.
     * @param length bytes.
     * @return bytes unmapped.
     */
    public long removeRange(final long start, final long length)
    {
        final long removed = vmas.remove(start, start + length);
        mappedBytes -= removed;
        return removed;
    }

    /**
     * Maps the parts of a range that no vma covers yet, except those in {@code except}: how a new secondary takes the
     * vmas a copy brings (some it may have from the coordinator already, some were dropped since).
     *
     * @param start  first address.
     * @param end    one past the last address.
     * @param except ranges never to map.
     * @return bytes mapped.
     */
    long addUncovered(final long start, final long end, final VmaSet except)
    {
        final long[] added = new long[1];
        except.forEachGap(start, end, (gapStart, gapEnd) -> added[0] += vmas.addUncovered(gapStart, gapEnd));
        mappedBytes += added[0];
        return added[0];
    }

    /**
     * The first mapped address at or after an address.
     *
     * @param address where to look from.
     * @return that address, or {@code Long.MAX_VALUE} if nothing is mapped at or after it.
     */
    public long nextMapped(final long address)
    {
        return vmas.nextCovered(address);
    }

    /**
     * Whether a range lies inside one vma. Allocates nothing: every page request asks it.
     *
     * @param start  first address.
     * @param length bytes.
     * @return true if mapped.
     */
    public boolean isMapped(final long start, final long length)
    {
        return vmas.contains(start, length);
    }

    /**
     * The vmas as {start, end} pairs, clipped to a range.
     *
     * @param start first address.
     * @param end   one past the last address.
     * @return a copy.
     */
    public List<long[]> vmasIn(final long start, final long end)
    {
        final ArrayList<long[]> clipped = new ArrayList<>();
        for (int i = 0; i < vmas.size(); i++)
        {
            if (vmas.end(i) > start && vmas.start(i) < end)
            {
                clipped.add(new long[]{Math.max(start, vmas.start(i)), Math.min(end, vmas.end(i))});
            }
        }
        return clipped;
    }

    /**
     * Every vma as {start, end} pairs.
     *
     * @return a copy.
     */
    public List<long[]> vmas()
    {
        final ArrayList<long[]> copy = new ArrayList<>(vmas.size());
        for (int i = 0; i < vmas.size(); i++)
        {
            copy.add(new long[]{vmas.start(i), vmas.end(i)});
        }
        return copy;
    }

    /**
     * Bytes mapped.
     *
     * @return total vma length.
     */
    public long mappedBytes()
    {
        return mappedBytes;
    }
}
