package io.splitheap.agent.core;

import io.splitheap.agent.backend.PageBackend;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;

/**
 * The process-local allocator of far address space, over coarse ranges the coordinator places on memory nodes.
 * Small arrays come from arenas (one coordinator round trip per arena); arrays larger than a quarter of an arena get
 * a range of their own, unmapped (and their capacity given back to the cluster) when they die.
 * <p>
 * Address space inside an arena is reused, so that reserved capacity follows the live data rather than everything
 * ever allocated: a dead array's range first has its pages freed on the node, and only once that free is
 * acknowledged ({@link #reclaimed}) does the range join the arena's free ranges (coalesced with its neighbours), from
 * which later allocations take the best fit before the current arena's bump pointer grows. Reusing a range before
 * its free was acknowledged could let that late free drop pages of the new array. An arena with nothing live in it
 * is unmapped as a whole once it is no longer the current one.
 */
public final class FarAllocator
{
    /**
     * What to tell the nodes after a free.
     *
     * @param freePagesAddress first address of pages to discard, 0 if none.
     * @param freePagesLength  bytes of pages to discard.
     * @param unmapAddress     first address of a range to unmap, 0 if none.
     * @param unmapLength      bytes to unmap.
     */
    public record Release(long freePagesAddress, long freePagesLength, long unmapAddress, long unmapLength)
    {
    }

    private static final class Arena
    {
        final long address;
        final long length;
        final TreeMap<Long, Long> free = new TreeMap<>();
        long used;
        long live;

        Arena(final long address, final long length)
        {
            this.address = address;
            this.length = length;
        }
    }

    private final PageBackend backend;
    private final long arenaSize;
    private final TreeMap<Long, Arena> arenas = new TreeMap<>();
    private final TreeMap<Long, Long> large = new TreeMap<>();
    private final FreeRanges freeRanges = new FreeRanges();
    private final ArrayDeque<Release> pendingUnmaps = new ArrayDeque<>();
    private Arena current;
    private long reservedBytes;

    /**
     * An allocator.
     *
     * @param backend   where ranges come from.
     * @param arenaSize bytes per arena (a multiple of the line size).
     */
    public FarAllocator(final PageBackend backend, final long arenaSize)
    {
        this.backend = backend;
        this.arenaSize = arenaSize;
    }

    /**
     * Allocates far memory: a reused free range if one fits, else the current arena, else a new range from the
     * cluster (which may fail with the cluster's capacity error).
     *
     * @param bytes length, a multiple of the line size.
     * @return the address.
     */
    public synchronized long allocate(final long bytes)
    {
        if (bytes > arenaSize / 4)
        {
            final long address = backend.allocate(bytes);
            large.put(address, bytes);
            reservedBytes += bytes;
            return address;
        }
        final long reused = freeRanges.take(bytes);
        if (reused != 0)
        {
            final Arena arena = arenas.floorEntry(reused).getValue();
            final long rest = arena.free.remove(reused) - bytes;
            if (rest > 0)
            {
                arena.free.put(reused + bytes, rest);
                freeRanges.add(reused + bytes, rest);
            }
            arena.live += bytes;
            return reused;
        }
        if (current == null || current.length - current.used < bytes)
        {
            final Arena arena = new Arena(backend.allocate(arenaSize), arenaSize);
            final Arena previous = current;
            current = arena;
            arenas.put(arena.address, arena);
            reservedBytes += arenaSize;
            if (previous != null)
            {
                retire(previous);
            }
        }
        final long address = current.address + current.used;
        current.used += bytes;
        current.live += bytes;
        return address;
    }

    /**
     * Frees far memory of a dead array.
     *
     * @param address its address.
     * @param bytes   its length.
     * @return what to tell the nodes.
     */
    public synchronized Release free(final long address, final long bytes)
    {
        final Long largeLength = large.remove(address);
        if (largeLength != null)
        {
            reservedBytes -= largeLength;
            return new Release(0, 0, address, largeLength);
        }
        final Arena arena = arenaOf(address);
        if (arena == null)
        {
            throw new IllegalArgumentException("free of unknown far range 0x" + Long.toHexString(address));
        }
        arena.live -= bytes;
        if (arena.live == 0 && arena != current)
        {
            drop(arena);
            return new Release(0, 0, arena.address, arena.length);
        }
        return new Release(address, bytes, 0, 0);
    }

    /**
     * The free of a dead array's pages was acknowledged by its node: its range may be handed out again.
     *
     * @param address first address of the freed pages.
     * @param bytes   their length.
     */
    public synchronized void reclaimed(final long address, final long bytes)
    {
        final Arena arena = arenaOf(address);
        if (arena == null)
        {
            return;
        }
        long start = address;
        long length = bytes;
        final Map.Entry<Long, Long> before = arena.free.lowerEntry(start);
        if (before != null && before.getKey() + before.getValue() == start)
        {
            arena.free.remove(before.getKey());
            freeRanges.remove(before.getKey(), before.getValue());
            start = before.getKey();
            length += before.getValue();
        }
        final Long after = arena.free.remove(address + bytes);
        if (after != null)
        {
            freeRanges.remove(address + bytes, after);
            length += after;
        }
        if (arena == current && start + length == arena.address + arena.used)
        {
            arena.used = start - arena.address;
            return;
        }
        arena.free.put(start, length);
        freeRanges.add(start, length);
    }

    /**
     * Takes an arena that emptied while it was current and has been replaced since.
     *
     * @return a release, or null if none.
     */
    public synchronized Release pollPendingUnmap()
    {
        return pendingUnmaps.poll();
    }

    /**
     * Whether arenas wait to be taken by {@link #pollPendingUnmap}.
     *
     * @return true if any.
     */
    public synchronized boolean hasPendingUnmaps()
    {
        return !pendingUnmaps.isEmpty();
    }

    /**
     * Address space reserved from the cluster.
     *
     * @return bytes.
     */
    public synchronized long reservedBytes()
    {
        return reservedBytes;
    }

    /**
     * Bytes of free ranges ready for reuse inside arenas.
     *
     * @return bytes.
     */
    public synchronized long reusableBytes()
    {
        return freeRanges.bytes();
    }

    private void retire(final Arena previous)
    {
        if (previous.live == 0)
        {
            drop(previous);
            pendingUnmaps.add(new Release(0, 0, previous.address, previous.length));
        }
        else if (previous.used < previous.length)
        {
            final long tail = previous.address + previous.used;
            final long tailLength = previous.length - previous.used;
            previous.used = previous.length;
            previous.free.put(tail, tailLength);
            freeRanges.add(tail, tailLength);
            coalesceTail(previous, tail);
        }
    }

    private void coalesceTail(final Arena arena, final long tail)
    {
        final Map.Entry<Long, Long> before = arena.free.lowerEntry(tail);
        if (before != null && before.getKey() + before.getValue() == tail)
        {
            final long tailLength = arena.free.remove(tail);
            freeRanges.remove(tail, tailLength);
            freeRanges.remove(before.getKey(), before.getValue());
            arena.free.put(before.getKey(), before.getValue() + tailLength);
            freeRanges.add(before.getKey(), before.getValue() + tailLength);
        }
    }

    private void drop(final Arena arena)
    {
        arenas.remove(arena.address);
        reservedBytes -= arena.length;
        for (final Map.Entry<Long, Long> range : arena.free.entrySet())
        {
            freeRanges.remove(range.getKey(), range.getValue());
        }
        arena.free.clear();
    }

    private Arena arenaOf(final long address)
    {
        final Map.Entry<Long, Arena> entry = arenas.floorEntry(address);
        if (entry == null || address >= entry.getKey() + entry.getValue().length)
        {
            return null;
        }
        return entry.getValue();
    }
}
