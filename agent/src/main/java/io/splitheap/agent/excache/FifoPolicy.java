package io.splitheap.agent.excache;

/**
 * First in, first out: frames are evicted in the order they were filled; hits cost nothing. A frame that cannot be
 * evicted now goes to the back. The queue holds (fill sequence, frame) pairs: a frame that left the cache and was
 * filled again has a new sequence, so its old entry is recognised as stale and skipped. Stale entries are dropped
 * when the queue fills up.
 */
final class FifoPolicy implements EvictionPolicy
{
    private final int[] fillSequence;
    private long[] queue;
    private int head;
    private int size;

    FifoPolicy(final int frames)
    {
        this.fillSequence = new int[frames];
        this.queue = new long[Math.max(16, frames * 2)];
    }

    public void onFill(final int frame)
    {
        fillSequence[frame]++;
        push(frame);
    }

    public int nextVictim()
    {
        while (size > 0)
        {
            final long item = queue[head];
            head = head + 1 == queue.length ? 0 : head + 1;
            size--;
            final int frame = (int)item;
            if ((int)(item >>> 32) == fillSequence[frame])
            {
                return frame;
            }
        }
        return -1;
    }

    public void keep(final int frame)
    {
        push(frame);
    }

    public void remove(final int frame)
    {
        fillSequence[frame]++;
    }

    public int tracked()
    {
        final boolean[] seen = new boolean[fillSequence.length];
        int count = 0;
        for (int i = 0; i < size; i++)
        {
            final long item = queue[(head + i) % queue.length];
            final int frame = (int)item;
            if ((int)(item >>> 32) == fillSequence[frame] && !seen[frame])
            {
                seen[frame] = true;
                count++;
            }
        }
        return count;
    }

    private void push(final int frame)
    {
        if (size == queue.length)
        {
            compact();
        }
        final int tail = (head + size) % queue.length;
        queue[tail] = ((long)fillSequence[frame] << 32) | frame;
        size++;
    }

    private void compact()
    {
        final long[] old = queue;
        final long[] live = new long[old.length];
        int count = 0;
        for (int i = 0; i < size; i++)
        {
            final long item = old[(head + i) % old.length];
            if ((int)(item >>> 32) == fillSequence[(int)item])
            {
                live[count++] = item;
            }
        }
        queue = count == old.length ? java.util.Arrays.copyOf(live, old.length * 2) : live;
        head = 0;
        size = count;
    }
}
