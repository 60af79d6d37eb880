package io.splitheap.memorynode.internal;

import java.util.Arrays;

/**
 * The vmas (mapped ranges) of one process on this node, as disjoint {@code [start, end)} ranges in two sorted primitive
 * arrays. Every read and write of a page asks {@link #contains} first, so that lookup is a binary search that boxes and
 * allocates nothing (a {@code TreeMap<Long, Long>} boxed a {@code Long} per request). Adding and removing ranges
 * shifts the arrays, which is cheap: vmas are arenas of tens of MiB or single large arrays, so a process has few.
 */
final class VmaSet
{
    private static final int INITIAL_CAPACITY = 8;

    private long[] starts = new long[INITIAL_CAPACITY];
    private long[] ends = new long[INITIAL_CAPACITY];
    private int size;

    /**
     * Adds a range that overlaps none of the others.
     *
     * @param start first address.
     * @param end   one past the last address, greater than {@code start}.
     * @return false (and nothing changed) if it overlaps a range already in the set.
     */
    boolean add(final long start, final long end)
    {
        final int at = firstStartingAfter(start);
        if ((at > 0 && ends[at - 1] > start) || (at < size && starts[at] < end))
        {
            return false;
        }
        insert(at, start, end);
        return true;
    }

    /**
     * Adds the parts of {@code [start, end)} that no range of the set covers yet (each part as a range of its own).
     *
     * @param start first address.
     * @param end   one past the last address.
     * @return bytes added.
     */
    long addUncovered(final long start, final long end)
    {
        final long[] added = new long[1];
        forEachGap(start, end, (gapStart, gapEnd) ->
        {
            insert(firstStartingAfter(gapStart), gapStart, gapEnd);
            added[0] += gapEnd - gapStart;
        });
        return added[0];
    }

    /**
     * Calls back with each part of {@code [start, end)} that no range of the set covers, in address order. The
     * callback may add exactly the range it is given.
     *
     * @param start  first address.
     * @param end    one past the last address.
     * @param action receives {@code [gapStart, gapEnd)}.
     */
    void forEachGap(final long start, final long end, final RangeAction action)
    {
        long cursor = start;
        int i = Math.max(0, firstStartingAfter(start) - 1);
        while (cursor < end)
        {
            while (i < size && ends[i] <= cursor)
            {
                i++;
            }
            final long gapEnd = i < size ? Math.min(end, starts[i]) : end;
            if (gapEnd > cursor)
            {
                action.accept(cursor, gapEnd);
                // the action may have inserted [cursor, gapEnd) before index i
                i = firstStartingAfter(cursor);
            }
            cursor = i < size ? Math.max(gapEnd, ends[i]) : end;
        }
    }

    /**
     * The first address at or after {@code address} that a range covers.
     *
     * @param address where to look from.
     * @return that address, or {@code Long.MAX_VALUE} if no range lies at or after it.
     */
    long nextCovered(final long address)
    {
        final int at = firstStartingAfter(address) - 1;
        if (at >= 0 && ends[at] > address)
        {
            return address;
        }
        return at + 1 < size ? starts[at + 1] : Long.MAX_VALUE;
    }

    /**
     * Whether any range overlaps {@code [start, end)}.
     *
     * @param start first address.
     * @param end   one past the last address.
     * @return true if some address of it is covered.
     */
    boolean overlaps(final long start, final long end)
    {
        return nextCovered(start) < end;
    }

    /**
     * Receives a range {@code [start, end)}.
     */
    @FunctionalInterface
    interface RangeAction
    {
        /**
         * A range.
         *
         * @param start first address.
         * @param end   one past the last address.
         */
        void accept(long start, long end);
    }

    /**
     * Removes every part of the ranges that falls in {@code [start, end)}, splitting a range that sticks out on both
     * sides.
     *
     * @param start first address.
     * @param end   one past the last address.
     * @return bytes removed.
     */
    long remove(final long start, final long end)
    {
        long removed = 0;
        int i = Math.max(0, firstStartingAfter(start) - 1);
        while (i < size && starts[i] < end)
        {
            final long rangeStart = starts[i];
            final long rangeEnd = ends[i];
            if (rangeEnd <= start)
            {
                i++;
                continue;
            }
            removed += Math.min(rangeEnd, end) - Math.max(rangeStart, start);
            if (rangeStart < start && rangeEnd > end)
            {
                ends[i] = start;
                insert(i + 1, end, rangeEnd);
                return removed;
            }
            if (rangeStart < start)
            {
                ends[i] = start;
                i++;
            }
            else if (rangeEnd > end)
            {
                starts[i] = end;
                i++;
            }
            else
            {
                delete(i);
            }
        }
        return removed;
    }

    /**
     * Whether {@code [start, start + length)} lies inside one range.
     *
     * @param start  first address.
     * @param length bytes.
     * @return true if one range holds all of it.
     */
    boolean contains(final long start, final long length)
    {
        final int at = firstStartingAfter(start) - 1;
        return at >= 0 && ends[at] >= start + length;
    }

    /**
     * Number of ranges.
     *
     * @return the count.
     */
    int size()
    {
        return size;
    }

    /**
     * Start of range {@code i}, in address order.
     *
     * @param i index below {@link #size()}.
     * @return its first address.
     */
    long start(final int i)
    {
        return starts[i];
    }

    /**
     * End of range {@code i}, in address order.
     *
     * @param i index below {@link #size()}.
     * @return one past its last address.
     */
    long end(final int i)
    {
        return ends[i];
    }

    /**
     * Index of the first range whose start is greater than {@code address}: {@link #size()} if none.
     */
    private int firstStartingAfter(final long address)
    {
        int low = 0;
        int high = size;
        while (low < high)
        {
            final int middle = (low + high) >>> 1;
            if (starts[middle] <= address)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }

    private void insert(final int at, final long start, final long end)
    {
        if (size == starts.length)
        {
            starts = Arrays.copyOf(starts, size * 2);
            ends = Arrays.copyOf(ends, size * 2);
        }
        System.arraycopy(starts, at, starts, at + 1, size - at);
        System.arraycopy(ends, at, ends, at + 1, size - at);
        starts[at] = start;
        ends[at] = end;
        size++;
    }

    private void delete(final int at)
    {
        System.arraycopy(starts, at + 1, starts, at, size - at - 1);
        System.arraycopy(ends, at + 1, ends, at, size - at - 1);
        size--;
    }
}
