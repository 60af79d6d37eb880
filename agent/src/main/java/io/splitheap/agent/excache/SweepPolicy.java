package io.splitheap.agent.excache;

/**
 * FIFO that survives sweeps larger than the cache. Under plain FIFO (or LRU) a loop that sweeps an array larger than
 * the ExCache evicts exactly the lines it will need first on its next pass, so every pass misses on every line. Here
 * lines that readahead brought in ({@link #onStreamFill}) first queue in a <em>recent</em> window, long enough to
 * hold every line still on its way or being worked through; lines leaving that window are stacked as <em>old</em>,
 * and victims come from the top of that stack: the stream line that aged last. So a sweep recycles a few frames of its
 * own and keeps what it read first resident for its next pass (about the ExCache's share of the array hits there),
 * and lines not read ahead (random access, first writes) are evicted only when no aged stream line is left, oldest
 * first, as under FIFO.
 */
final class SweepPolicy implements EvictionPolicy
{
    private final int[] fillSequence;
    private final int recentLimit;
    private final Ring main;
    private final Ring recent;
    private final Ring old;

    SweepPolicy(final int frames)
    {
        this.fillSequence = new int[frames];
        this.recentLimit = Math.max(Math.min(frames / 2, 512), frames / 8);
        this.main = new Ring(frames);
        this.recent = new Ring(frames);
        this.old = new Ring(frames);
    }

    public void onFill(final int frame)
    {
        fillSequence[frame]++;
        main.addLast(item(frame));
    }

    public void onStreamFill(final int frame)
    {
        fillSequence[frame]++;
        recent.addLast(item(frame));
        while (recent.size > recentLimit)
        {
            final long aged = recent.removeFirst();
            if (isCurrent(aged))
            {
                old.addLast(aged);
            }
        }
    }

    public int nextVictim()
    {
        while (old.size > 0)
        {
            final long item = old.removeLast();
            if (isCurrent(item))
            {
                return (int)item;
            }
        }
        final int fromMain = oldest(main);
        return fromMain >= 0 ? fromMain : oldest(recent);
    }

    private int oldest(final Ring ring)
    {
        while (ring.size > 0)
        {
            final long item = ring.removeFirst();
            if (isCurrent(item))
            {
                return (int)item;
            }
        }
        return -1;
    }

    public void keep(final int frame)
    {
        main.addLast(item(frame));
    }

    public void remove(final int frame)
    {
        fillSequence[frame]++;
    }

    public int tracked()
    {
        final boolean[] seen = new boolean[fillSequence.length];
        int count = 0;
        for (final Ring ring : new Ring[]{main, recent, old})
        {
            for (int i = 0; i < ring.size; i++)
            {
                final long item = ring.items[(ring.head + i) % ring.items.length];
                if (isCurrent(item) && !seen[(int)item])
                {
                    seen[(int)item] = true;
                    count++;
                }
            }
        }
        return count;
    }

    private long item(final int frame)
    {
        return ((long)fillSequence[frame] << 32) | frame;
    }

    private boolean isCurrent(final long item)
    {
        return (int)(item >>> 32) == fillSequence[(int)item];
    }

    /**
     * A growable ring of (fill sequence, frame) items, used as a queue or a stack; stale items are dropped when it is
     * full.
     */
    private final class Ring
    {
        long[] items;
        int head;
        int size;

        Ring(final int frames)
        {
            items = new long[Math.max(16, frames * 2)];
        }

        void addLast(final long item)
        {
            if (size == items.length)
            {
                compact();
            }
            items[(head + size) % items.length] = item;
            size++;
        }

        long removeFirst()
        {
            final long item = items[head];
            head = head + 1 == items.length ? 0 : head + 1;
            size--;
            return item;
        }

        long removeLast()
        {
            size--;
            return items[(head + size) % items.length];
        }

        private void compact()
        {
            final long[] kept = new long[size == 0 ? items.length : Math.max(items.length, size * 2)];
            int count = 0;
            for (int i = 0; i < size; i++)
            {
                final long item = items[(head + i) % items.length];
                if (isCurrent(item))
                {
                    kept[count++] = item;
                }
            }
            items = kept;
            head = 0;
            size = count;
        }
    }
}
