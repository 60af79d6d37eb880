package io.splitheap.agent.excache;

import org.agrona.collections.IntArrayList;
import org.agrona.collections.IntHashSet;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The ExCache's frames: which line each one holds, which are free, and eviction in the policy's order. A frame is
 * taken from the free list, else from the next victim. A clean victim's entry goes to {@code EVICTING} and, if
 * nothing pins the frame, to {@code EVICTED}: readers validate, so no one else needs telling. Dirty victims are
 * evicted in batches ({@link #allocate}): their entries go to {@code EVICTING}, one global safepoint
 * ({@link Handshake}) makes every hit-path writer's hazard visible, frames that a writer is storing into keep their
 * line, the others are copied to the write-back buffer before their entries say {@code EVICTED}, so a miss finds the
 * data there until the node has it. A frame released while pinned waits as a zombie until its pins go.
 */
final class Frames
{
    private static final int MAX_DIRTY_BATCH = 256;

    private final int frameCount;
    private final int lineShift;
    private final long frameBase;
    private final FarArray[] owner;
    private final int[] line;
    private final EvictionPolicy policy;
    private final PinCounts pins;
    private final ThreadSlots slots;
    private final WriteBacks writeBacks;
    private final CacheStats stats;
    private final int dirtyBatch;
    private final ReentrantLock lock = new ReentrantLock();
    private final IntArrayList free;
    private final IntArrayList zombies = new IntArrayList();
    private volatile long generation;
    volatile int epoch;

    Frames(
        final int frameCount,
        final int lineShift,
        final long frameBase,
        final EvictionPolicy policy,
        final PinCounts pins,
        final ThreadSlots slots,
        final WriteBacks writeBacks,
        final CacheStats stats)
    {
        this.frameCount = frameCount;
        this.lineShift = lineShift;
        this.frameBase = frameBase;
        this.owner = new FarArray[frameCount];
        this.line = new int[frameCount];
        this.policy = policy;
        this.pins = pins;
        this.slots = slots;
        this.writeBacks = writeBacks;
        this.stats = stats;
        this.dirtyBatch = Math.max(1, Math.min(MAX_DIRTY_BATCH, frameCount / 64));
        this.epoch = policy.currentStamp();
        this.free = new IntArrayList(frameCount, -1);
        for (int frame = frameCount - 1; frame >= 0; frame--)
        {
            free.addInt(frame);
        }
    }

    int frameOf(final long address)
    {
        return (int)((address - frameBase) >>> lineShift);
    }

    long frameAddress(final int frame)
    {
        return frameBase + ((long)frame << lineShift);
    }

    int[] stamps()
    {
        return policy.stamps();
    }

    /**
     * A frame for a new line: a free one, else the policy's next victim. A clean victim is evicted at once; a dirty
     * one starts a batch of the victims that follow it in the policy's order (up to {@link #dirtyBatch} of them, as
     * many as the write-back buffer takes): their entries go to {@code EVICTING}, one global safepoint, then those
     * no writer is storing into are copied to the write-back buffer and freed, the others keep their lines.
     *
     * @return the frame, or -1 if none could be freed now (all pinned or written to, or the write-back buffer full).
     */
    int allocate()
    {
        final int[] victims;
        final long[] entries;
        int count = 0;
        lock.lock();
        try
        {
            if (!free.isEmpty())
            {
                return free.popInt();
            }
            int first = -1;
            long firstEntry = 0;
            for (int scanned = 0; scanned <= frameCount && first < 0; scanned++)
            {
                final int frame = policy.nextVictim();
                if (frame < 0)
                {
                    return -1;
                }
                final long entry = claim(frame);
                if (entry == 0)
                {
                    continue;
                }
                if (!LineState.isDirty(entry))
                {
                    evicted(frame);
                    return frame;
                }
                first = frame;
                firstEntry = entry;
            }
            if (first < 0)
            {
                return -1;
            }
            final int room = Math.min(dirtyBatch, writeBacks.freeBuffers());
            if (room == 0)
            {
                owner[first].lines.entry(line[first], firstEntry);
                policy.keep(first);
                return -1;
            }
            victims = new int[room];
            entries = new long[room];
            victims[count] = first;
            entries[count++] = firstEntry;
            for (int scanned = 0; scanned <= frameCount && count < room; scanned++)
            {
                final int frame = policy.nextVictim();
                if (frame < 0)
                {
                    break;
                }
                final long entry = claim(frame);
                if (entry == 0)
                {
                    continue;
                }
                if (LineState.isDirty(entry))
                {
                    victims[count] = frame;
                    entries[count++] = entry;
                }
                else
                {
                    evicted(frame);
                    free.addInt(frame);
                }
            }
        }
        finally
        {
            lock.unlock();
        }
        Handshake.run();
        finishDirty(victims, entries, count, slots.activeFrames());
        lock.lock();
        try
        {
            return free.isEmpty() ? -1 : free.popInt();
        }
        finally
        {
            lock.unlock();
        }
    }

    private void finishDirty(final int[] victims, final long[] entries, final int count, final IntHashSet active)
    {
        lock.lock();
        try
        {
            for (int i = 0; i < count; i++)
            {
                final int frame = victims[i];
                final FarArray array = owner[frame];
                final int lineIndex = line[frame];
                if (active.contains(frame + 1) ||
                    !writeBacks.offer(array, array.lines.lineAddress(lineIndex), frameAddress(frame)))
                {
                    array.lines.entry(lineIndex, entries[i]);
                    policy.keep(frame);
                    continue;
                }
                stats.writeBacks.incrementAndGet();
                evicted(frame);
                free.addInt(frame);
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Moves a victim's entry to {@code EVICTING} if it still holds this frame and nothing pins it (caller holds the
     * lock).
     *
     * @return the entry it had, or 0 if the frame cannot be taken now (then the policy keeps it).
     */
    private long claim(final int frame)
    {
        final FarArray array = owner[frame];
        if (array == null)
        {
            return 0;
        }
        final int lineIndex = line[frame];
        final long seen = array.lines.entry(lineIndex);
        final long entry = LineState.disarm(seen);
        if (entry <= 0 || LineState.frame(entry) != frame || !array.lines.cas(lineIndex, seen, LineState.EVICTING))
        {
            policy.keep(frame);
            return 0;
        }
        if (pins.isPinned(frame))
        {
            array.lines.entry(lineIndex, entry);
            policy.keep(frame);
            return 0;
        }
        return entry;
    }

    private void evicted(final int frame)
    {
        owner[frame].lines.entry(line[frame], LineState.EVICTED);
        owner[frame] = null;
        stats.evictions.incrementAndGet();
    }

    /**
     * The generation of the last fill (read without the lock: a hint for stream detection).
     *
     * @return generation.
     */
    long generation()
    {
        return generation;
    }

    /**
     * Maps a frame to a line and tells the policy; the caller publishes the returned entry.
     *
     * @param array the array.
     * @param lineIndex its line.
     * @param frame the frame.
     * @param dirty whether the frame holds data not on the node.
     * @return the resident entry.
     */
    long map(final FarArray array, final int lineIndex, final int frame, final boolean dirty)
    {
        return map(array, lineIndex, frame, dirty, false);
    }

    /**
     * Maps a frame to a line and tells the policy whether readahead filled it; the caller publishes the returned
     * entry.
     *
     * @param array     the array.
     * @param lineIndex its line.
     * @param frame     the frame.
     * @param dirty     whether the frame holds data not on the node.
     * @param stream    whether readahead filled it.
     * @return the resident entry.
     */
    long map(final FarArray array, final int lineIndex, final int frame, final boolean dirty, final boolean stream)
    {
        lock.lock();
        try
        {
            generation++;
            owner[frame] = array;
            line[frame] = lineIndex;
            policy.onMiss();
            epoch = policy.currentStamp();
            if (stream)
            {
                policy.onStreamFill(frame);
            }
            else
            {
                policy.onFill(frame);
            }
            return LineState.resident(generation, frame, dirty);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * A frame leaves use: free again, or a zombie until its pins go.
     *
     * @param frame the frame.
     */
    void release(final int frame)
    {
        lock.lock();
        try
        {
            if (owner[frame] != null)
            {
                owner[frame] = null;
                policy.remove(frame);
            }
            if (pins.isPinned(frame))
            {
                zombies.addInt(frame);
            }
            else
            {
                free.addInt(frame);
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Returns zombies whose pins went to the free list.
     *
     * @return frames freed.
     */
    int reclaimZombies()
    {
        lock.lock();
        try
        {
            int freed = 0;
            for (int i = zombies.size() - 1; i >= 0; i--)
            {
                final int frame = zombies.getInt(i);
                if (!pins.isPinned(frame))
                {
                    zombies.removeAt(i);
                    free.addInt(frame);
                    freed++;
                }
            }
            return freed;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Where the frames are, for error messages: free, resident (and dirty), pinned, being filled, stale, zombies.
     *
     * @return a one-line census.
     */
    String census()
    {
        lock.lock();
        try
        {
            int resident = 0;
            int dirty = 0;
            int pinned = 0;
            int unowned = 0;
            int stale = 0;
            for (int frame = 0; frame < frameCount; frame++)
            {
                pinned += pins.isPinned(frame) ? 1 : 0;
                final FarArray array = owner[frame];
                if (array == null)
                {
                    unowned++;
                    continue;
                }
                final long entry = LineState.disarm(array.lines.entry(line[frame]));
                if (entry > 0 && LineState.frame(entry) == frame)
                {
                    resident++;
                    dirty += LineState.isDirty(entry) ? 1 : 0;
                }
                else
                {
                    stale++;
                }
            }
            return "frames: " + free.size() + " free, " + resident + " resident (" + dirty + " dirty, " +
                policy.tracked() + " tracked by the policy), " + pinned + " pinned, " +
                (unowned - free.size() - zombies.size()) + " filling, " + stale + " stale, " + zombies.size() +
                " zombie";
        }
        finally
        {
            lock.unlock();
        }
    }
}
