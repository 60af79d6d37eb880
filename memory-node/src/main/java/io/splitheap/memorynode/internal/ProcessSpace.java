package io.splitheap.memorynode.internal;

import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.List;

/**
 * What this node knows of one process's far address space: the vRegions it was assigned and the fine-grained vmas
 * (mapped ranges) inside them.
 */
public final class ProcessSpace
{
    private final int pid;
    private final Long2ObjectHashMap<Region> regions = new Long2ObjectHashMap<>();
    private final VmaSet vmas = new VmaSet();
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
