package io.splitheap.agent.core;

import io.splitheap.agent.backend.PageBackend;

import java.util.Map;
import java.util.TreeMap;

/**
 * The process-local allocator of far address space, over coarse ranges the coordinator places on memory nodes.
 * Small arrays are bump-allocated from arenas (one coordinator round trip per arena); arrays larger than a quarter
 * of an arena get a range of their own. Dead arrays give their pages back at once (the node drops them); an arena
 * is unmapped once nothing in it lives and it is no longer the current one. Address space itself is not reused
 * inside a live arena: the 48-bit space is large and reuse would need fragmentation management.
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
    private final java.util.ArrayDeque<Release> pendingUnmaps = new java.util.ArrayDeque<>();
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
     * Allocates far memory.
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
        if (current == null || current.length - current.used < bytes)
        {
            final Arena previous = current;
            current = new Arena(backend.allocate(arenaSize), arenaSize);
            arenas.put(current.address, current);
            reservedBytes += arenaSize;
            if (previous != null && previous.live == 0)
            {
                arenas.remove(previous.address);
                reservedBytes -= previous.length;
                pendingUnmaps.add(new Release(0, 0, previous.address, previous.length));
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
        final Map.Entry<Long, Arena> entry = arenas.floorEntry(address);
        if (entry == null || address >= entry.getKey() + entry.getValue().length)
        {
            throw new IllegalArgumentException("free of unknown far range 0x" + Long.toHexString(address));
        }
        final Arena arena = entry.getValue();
        arena.live -= bytes;
        if (arena.live == 0 && arena != current)
        {
            arenas.remove(arena.address);
            reservedBytes -= arena.length;
            return new Release(0, 0, arena.address, arena.length);
        }
        return new Release(address, bytes, 0, 0);
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
     * Address space reserved from the cluster.
     *
     * @return bytes.
     */
    public synchronized long reservedBytes()
    {
        return reservedBytes;
    }
}
