package io.splitheap.agent.excache;

/**
 * Least recently used, at the granularity of misses: the clock advances once per miss and a hit stamps its frame
 * with the clock (a plain store, and only when the stamp changes, so hot frames are not written on every hit).
 * Victims come from a lazy min-heap of (stamp, frame): a popped frame whose stamp moved on since it was pushed is
 * pushed again with its new stamp, so the victim is always the frame least recently touched.
 * <p>
 * A frame that cannot be evicted now ({@link #keep}) becomes strictly the youngest: the clock advances for it. (With
 * the clock unchanged it tied with every frame hit since the last miss and, as the lowest frame number among equal
 * stamps, came back as the victim on every try: one pinned frame could stall eviction for good.) Before the clock
 * would overflow, stamps are renumbered in their order.
 */
final class LruPolicy implements EvictionPolicy
{
    private final int[] stamps;
    private final int[] fillSequence;
    private final boolean[] resident;
    private long[] heap;
    private int heapSize;
    private int clock;

    LruPolicy(final int frames)
    {
        this(frames, 1);
    }

    LruPolicy(final int frames, final int initialClock)
    {
        this.stamps = new int[frames];
        this.fillSequence = new int[frames];
        this.resident = new boolean[frames];
        this.heap = new long[Math.max(16, frames * 2)];
        this.clock = initialClock;
    }

    public void onFill(final int frame)
    {
        fillSequence[frame]++;
        resident[frame] = true;
        stamps[frame] = clock;
        push(clock, frame);
    }

    public int nextVictim()
    {
        while (heapSize > 0)
        {
            final long top = pop();
            final int frame = (int)(top & 0xFFFF_FFFFL);
            final int stamp = (int)(top >>> 32);
            if (!resident[frame])
            {
                continue;
            }
            if (stamps[frame] != stamp)
            {
                push(stamps[frame], frame);
                continue;
            }
            resident[frame] = false;
            return frame;
        }
        return -1;
    }

    public void keep(final int frame)
    {
        advance();
        resident[frame] = true;
        stamps[frame] = clock;
        push(clock, frame);
    }

    public void remove(final int frame)
    {
        resident[frame] = false;
    }

    public int[] stamps()
    {
        return stamps;
    }

    public int currentStamp()
    {
        return clock;
    }

    public void onMiss()
    {
        advance();
    }

    private void advance()
    {
        if (clock == Integer.MAX_VALUE)
        {
            renumber();
        }
        clock++;
    }

    /**
     * Gives the resident frames stamps 1..n in their current order and restarts the clock after them.
     */
    private void renumber()
    {
        final long[] order = new long[stamps.length];
        int count = 0;
        for (int frame = 0; frame < stamps.length; frame++)
        {
            if (resident[frame])
            {
                order[count++] = ((long)stamps[frame] << 32) | frame;
            }
        }
        java.util.Arrays.sort(order, 0, count);
        heapSize = 0;
        for (int i = 0; i < count; i++)
        {
            final int frame = (int)(order[i] & 0xFFFF_FFFFL);
            stamps[frame] = i + 1;
            push(i + 1, frame);
        }
        clock = count + 1;
    }

    public int tracked()
    {
        final boolean[] seen = new boolean[resident.length];
        int count = 0;
        for (int i = 0; i < heapSize; i++)
        {
            final int frame = (int)(heap[i] & 0xFFFF_FFFFL);
            if (resident[frame] && !seen[frame])
            {
                seen[frame] = true;
                count++;
            }
        }
        return count;
    }

    private void push(final int stamp, final int frame)
    {
        if (heapSize == heap.length)
        {
            compact();
        }
        int index = heapSize++;
        final long item = ((long)stamp << 32) | frame;
        while (index > 0)
        {
            final int parent = (index - 1) >>> 1;
            if (heap[parent] <= item)
            {
                break;
            }
            heap[index] = heap[parent];
            index = parent;
        }
        heap[index] = item;
    }

    private long pop()
    {
        final long top = heap[0];
        final long last = heap[--heapSize];
        int index = 0;
        while (true)
        {
            int child = 2 * index + 1;
            if (child >= heapSize)
            {
                break;
            }
            if (child + 1 < heapSize && heap[child + 1] < heap[child])
            {
                child++;
            }
            if (heap[child] >= last)
            {
                break;
            }
            heap[index] = heap[child];
            index = child;
        }
        if (heapSize > 0)
        {
            heap[index] = last;
        }
        return top;
    }

    private void compact()
    {
        final long[] old = heap;
        final int oldSize = heapSize;
        heap = new long[old.length];
        heapSize = 0;
        final boolean[] seen = new boolean[resident.length];
        for (int i = 0; i < oldSize; i++)
        {
            final int frame = (int)(old[i] & 0xFFFF_FFFFL);
            if (resident[frame] && !seen[frame])
            {
                seen[frame] = true;
                push(stamps[frame], frame);
            }
        }
        if (heapSize == heap.length)
        {
            heap = java.util.Arrays.copyOf(heap, heap.length * 2);
        }
    }
}
