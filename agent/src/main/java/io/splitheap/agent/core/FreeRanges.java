package io.splitheap.agent.core;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Free address ranges by size, for best-fit reuse: the smallest range that holds a request, the lowest address
 * among ranges of that size. Not thread-safe; {@link FarAllocator} guards it.
 */
final class FreeRanges
{
    private final TreeMap<Long, TreeSet<Long>> bySize = new TreeMap<>();
    private long bytes;

    void add(final long address, final long length)
    {
        bySize.computeIfAbsent(length, ignored -> new TreeSet<>()).add(address);
        bytes += length;
    }

    void remove(final long address, final long length)
    {
        final TreeSet<Long> addresses = bySize.get(length);
        if (addresses != null && addresses.remove(address))
        {
            bytes -= length;
            if (addresses.isEmpty())
            {
                bySize.remove(length);
            }
        }
    }

    /**
     * Finds the best-fitting range for a request; the caller splits it and gives back the rest.
     *
     * @param length bytes needed.
     * @return the range's address (removed from here), or 0 if none is large enough.
     */
    long take(final long length)
    {
        final Map.Entry<Long, TreeSet<Long>> fit = bySize.ceilingEntry(length);
        if (fit == null)
        {
            return 0;
        }
        final long address = fit.getValue().first();
        remove(address, fit.getKey());
        return address;
    }

    long bytes()
    {
        return bytes;
    }
}
