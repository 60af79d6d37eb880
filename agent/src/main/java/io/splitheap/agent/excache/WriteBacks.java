package io.splitheap.agent.excache;

import org.agrona.UnsafeApi;
import org.agrona.collections.IntArrayQueue;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * Dirty lines on their way back to memory nodes. The evictor copies a victim's frame into a buffer of this pool and
 * records it by far line address before the line's entry says {@code EVICTED}; a miss on that line copies it from
 * here instead of asking the node, so a write-back in flight is never lost or overtaken. The write-back agent drains
 * the queue in batches and {@link #completed(Pending)} frees the buffer once the node acknowledged.
 */
public final class WriteBacks implements AutoCloseable
{
    /**
     * A line waiting to be written back, or in flight.
     */
    public static final class Pending
    {
        final long lineAddress;
        final int buffer;
        final FarArray owner;

        Pending(final long lineAddress, final int buffer, final FarArray owner)
        {
            this.lineAddress = lineAddress;
            this.buffer = buffer;
            this.owner = owner;
        }

        /**
         * Far address of the line.
         *
         * @return address.
         */
        public long lineAddress()
        {
            return lineAddress;
        }

        /**
         * The array the line belongs to.
         *
         * @return the array.
         */
        public FarArray owner()
        {
            return owner;
        }
    }

    private final int lineSize;
    private final int capacity;
    private final long memory;
    private final IntArrayQueue freeBuffers;
    private final Long2ObjectHashMap<Pending> byLine = new Long2ObjectHashMap<>();
    private final ManyToOneConcurrentArrayQueue<Pending> queue;

    /**
     * A pool of buffers.
     *
     * @param lineSize line length.
     * @param capacity number of buffers.
     */
    public WriteBacks(final int lineSize, final int capacity)
    {
        this.lineSize = lineSize;
        this.capacity = capacity;
        this.memory = UnsafeApi.allocateMemory((long)lineSize * capacity);
        this.freeBuffers = new IntArrayQueue(capacity, -1);
        for (int i = 0; i < capacity; i++)
        {
            freeBuffers.addInt(i);
        }
        this.queue = new ManyToOneConcurrentArrayQueue<>(Math.max(2, capacity));
    }

    /**
     * Copies a dirty line into a buffer and queues it.
     *
     * @param owner         the array.
     * @param lineAddress   far address of the line.
     * @param sourceAddress the frame.
     * @return false if no buffer is free (wait for acknowledgements).
     */
    public boolean offer(final FarArray owner, final long lineAddress, final long sourceAddress)
    {
        final Pending pending;
        synchronized (this)
        {
            if (freeBuffers.isEmpty())
            {
                return false;
            }
            final int buffer = freeBuffers.pollInt();
            UnsafeApi.copyMemory(sourceAddress, bufferAddress(buffer), lineSize);
            pending = new Pending(lineAddress, buffer, owner);
            byLine.put(lineAddress, pending);
        }
        queue.offer(pending);
        return true;
    }

    /**
     * Copies a pending line's data if one is in flight for this address.
     *
     * @param lineAddress far address.
     * @param dstAddress  where to copy.
     * @return true if copied.
     */
    public synchronized boolean copyIfPending(final long lineAddress, final long dstAddress)
    {
        final Pending pending = byLine.get(lineAddress);
        if (pending == null)
        {
            return false;
        }
        UnsafeApi.copyMemory(bufferAddress(pending.buffer), dstAddress, lineSize);
        return true;
    }

    /**
     * Takes queued lines, oldest first.
     *
     * @param into  receives them.
     * @param limit most to take.
     * @return how many were taken.
     */
    public int drain(final Pending[] into, final int limit)
    {
        int count = 0;
        Pending pending;
        while (count < limit && (pending = queue.poll()) != null)
        {
            into[count++] = pending;
        }
        return count;
    }

    /**
     * Native address of a pending line's data.
     *
     * @param pending the line.
     * @return address.
     */
    public long dataAddress(final Pending pending)
    {
        return bufferAddress(pending.buffer);
    }

    /**
     * The node stored the line (or it no longer matters): frees its buffer.
     *
     * @param pending the line.
     */
    public synchronized void completed(final Pending pending)
    {
        if (byLine.get(pending.lineAddress) == pending)
        {
            byLine.remove(pending.lineAddress);
        }
        freeBuffers.addInt(pending.buffer);
        notifyAll();
    }

    /**
     * A write-back that failed (no answer in time, a node unreachable): queued again if it is still the newest copy
     * of its line, so the node gets it in the end; otherwise a newer copy of the line, sent after it on the same
     * link, supersedes it and its buffer is freed.
     *
     * @param pending the line.
     * @return true if queued again.
     */
    public boolean retry(final Pending pending)
    {
        synchronized (this)
        {
            if (byLine.get(pending.lineAddress) != pending)
            {
                completed(pending);
                return false;
            }
        }
        queue.offer(pending);
        return true;
    }

    /**
     * Cancels the pending write-backs of an array that died: its lines are no longer found here (a range reused
     * later never reads them), and their buffers return when the housekeeper drains them (it skips dead owners).
     *
     * @param owner the dead array.
     * @return write-backs cancelled.
     */
    public synchronized int cancel(final FarArray owner)
    {
        int cancelled = 0;
        for (int line = 0, lines = owner.lines.lineCount(); line < lines && !byLine.isEmpty(); line++)
        {
            final long lineAddress = owner.lines.lineAddress(line);
            final Pending pending = byLine.get(lineAddress);
            if (pending != null && pending.owner == owner)
            {
                byLine.remove(lineAddress);
                cancelled++;
            }
        }
        return cancelled;
    }

    /**
     * Buffers free for more write-backs.
     *
     * @return count.
     */
    public synchronized int freeBuffers()
    {
        return freeBuffers.size();
    }

    /**
     * Lines queued or in flight.
     *
     * @return count.
     */
    public synchronized int inFlight()
    {
        return capacity - freeBuffers.size();
    }

    /**
     * Whether any buffer is free.
     *
     * @return true if one is.
     */
    public synchronized boolean hasFreeBuffer()
    {
        return !freeBuffers.isEmpty();
    }

    /**
     * Frees the buffers' memory.
     */
    public void close()
    {
        UnsafeApi.freeMemory(memory);
    }

    private long bufferAddress(final int buffer)
    {
        return memory + (long)buffer * lineSize;
    }
}
