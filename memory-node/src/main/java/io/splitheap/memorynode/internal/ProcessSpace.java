package io.splitheap.memorynode.internal;

import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What this node knows of one process's far address space: the vRegions it was assigned and the fine-grained vmas
 * (mapped ranges) inside them.
 */
public final class ProcessSpace
{
    private final int pid;
    private final Long2ObjectHashMap<Region> regions = new Long2ObjectHashMap<>();
    private final TreeMap<Long, Long> vmas = new TreeMap<>();
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
        final long end = start + length;
        final Map.Entry<Long, Long> before = vmas.floorEntry(start);
        if (before != null && before.getValue() > start)
        {
            return false;
        }
        final Map.Entry<Long, Long> after = vmas.ceilingEntry(start);
        if (after != null && after.getKey() < end)
        {
            return false;
        }
        vmas.put(start, end);
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
        final long end = start + length;
        long removed = 0;
        Map.Entry<Long, Long> entry = vmas.floorEntry(start);
        if (entry == null || entry.getValue() <= start)
        {
            entry = vmas.higherEntry(start);
        }
        while (entry != null && entry.getKey() < end)
        {
            final long vmaStart = entry.getKey();
            final long vmaEnd = entry.getValue();
            vmas.remove(vmaStart);
            if (vmaStart < start)
            {
                vmas.put(vmaStart, start);
            }
            if (vmaEnd > end)
            {
                vmas.put(end, vmaEnd);
            }
            removed += Math.min(vmaEnd, end) - Math.max(vmaStart, start);
            entry = vmas.higherEntry(vmaStart);
        }
        mappedBytes -= removed;
        return removed;
    }

    /**
     * Whether a range lies inside one vma.
     *
     * @param start  first address.
     * @param length bytes.
     * @return true if mapped.
     */
    public boolean isMapped(final long start, final long length)
    {
        final Map.Entry<Long, Long> entry = vmas.floorEntry(start);
        return entry != null && entry.getValue() >= start + length;
    }

    /**
     * Every vma as {start, end} pairs.
     *
     * @return a copy.
     */
    public List<long[]> vmas()
    {
        final ArrayList<long[]> copy = new ArrayList<>(vmas.size());
        vmas.forEach((start, end) -> copy.add(new long[]{start, end}));
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
