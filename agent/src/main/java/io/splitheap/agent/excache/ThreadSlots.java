package io.splitheap.agent.excache;

import org.agrona.UnsafeApi;
import org.agrona.collections.IntHashSet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One slot per application thread, found by thread id without a {@code ThreadLocal}: what the thread holds in the
 * ExCache. {@code active} is the frame (plus one) the thread is storing into right now on the hit path: a hazard
 * published with a plain store, which an evictor reads only after a global safepoint ({@link Handshake}), so a
 * store never lands in a frame that was recycled (see {@link HitPath}). {@code chunkFrames} are the frames a chunked
 * loop pins (pin counts with full-fence atomics). {@code hits} counts the thread's hits when statistics are on.
 * <p>
 * The fast path looks only at the slot {@code threadId & mask}; a thread whose home slot is taken by another live
 * thread probes a few neighbours and then always takes the slow path, which is correct, only slower.
 */
public final class ThreadSlots
{
    /**
     * Most arrays a chunked loop pins a line of at once.
     */
    public static final int CHUNK_PINS = 4;

    static final long ACTIVE = UnsafeApi.objectFieldOffset(Slot.class, "active");

    private static final VarHandle OWNER;
    private static final int PROBES = 8;

    static
    {
        try
        {
            OWNER = MethodHandles.lookup().findVarHandle(Slot.class, "owner", Thread.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /**
     * One thread's slot. Padded against false sharing between neighbouring slots.
     */
    public static final class Slot
    {
        long p01, p02, p03, p04, p05, p06, p07;
        volatile Thread owner;
        int active;
        long hits;
        long chunks;
        final int[] chunkFrames = {-1, -1, -1, -1};
        long p11, p12, p13, p14, p15, p16, p17;
    }

    private final Slot[] slots;
    private final int mask;
    private final PinCounts pins;
    private final int[] used;
    private int usedCount;

    /**
     * Slots for a cache.
     *
     * @param count power of two.
     * @param pins  the cache's pin counts.
     */
    public ThreadSlots(final int count, final PinCounts pins)
    {
        this.slots = new Slot[count];
        this.mask = count - 1;
        this.pins = pins;
        this.used = new int[count];
        for (int i = 0; i < count; i++)
        {
            slots[i] = new Slot();
        }
    }

    /**
     * The slot table, for the fast path.
     *
     * @return slots.
     */
    public Slot[] table()
    {
        return slots;
    }

    /**
     * Index mask of the slot table.
     *
     * @return mask.
     */
    public int mask()
    {
        return mask;
    }

    /**
     * The calling thread's slot, claiming one if needed.
     *
     * @param thread the current thread.
     * @return its slot, or null if every probed slot belongs to a live thread.
     */
    public Slot acquire(final Thread thread)
    {
        final int home = (int)thread.getId() & mask;
        for (int probe = 0; probe < PROBES; probe++)
        {
            final Slot slot = slots[(home + probe) & mask];
            final Thread owner = slot.owner;
            if (owner == thread)
            {
                return slot;
            }
            if (owner == null && OWNER.compareAndSet(slot, (Thread)null, thread))
            {
                noteUsed((home + probe) & mask);
                return slot;
            }
        }
        for (int probe = 0; probe < PROBES; probe++)
        {
            final Slot slot = slots[(home + probe) & mask];
            final Thread owner = slot.owner;
            if (owner != null && !owner.isAlive() && reclaim(slot, owner) && OWNER.compareAndSet(slot, null, thread))
            {
                return slot;
            }
        }
        return null;
    }

    /**
     * The calling thread's slot if it has one already (cheap), else claims one.
     *
     * @return the slot, or null.
     */
    Slot current()
    {
        final Thread thread = Thread.currentThread();
        final Slot slot = slots[(int)thread.getId() & mask];
        return slot.owner == thread ? slot : acquire(thread);
    }

    /**
     * Frames (plus one) that threads are storing into on the hit path. Only meaningful right after a global
     * safepoint ({@link Handshake#run}), which makes every thread's earlier hazard stores visible.
     *
     * @return the frames, plus one.
     */
    IntHashSet activeFrames()
    {
        final IntHashSet active = new IntHashSet();
        final int count;
        synchronized (used)
        {
            count = usedCount;
        }
        for (int i = 0; i < count; i++)
        {
            final Slot slot = slots[used[i]];
            final int frame = UnsafeApi.getIntVolatile(slot, ACTIVE);
            if (frame != 0)
            {
                active.add(frame);
            }
        }
        return active;
    }

    /**
     * Whether any thread is storing into a frame right now (after a global safepoint).
     *
     * @param frame the frame.
     * @return true if a thread's hazard names it.
     */
    boolean isActive(final int frame)
    {
        final int count;
        synchronized (used)
        {
            count = usedCount;
        }
        for (int i = 0; i < count; i++)
        {
            if (UnsafeApi.getIntVolatile(slots[used[i]], ACTIVE) == frame + 1)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Makes a frame the chunk pin {@code index} of a slot, releasing the one it replaces. The caller has raised the
     * frame's pin count already.
     *
     * @param slot  the calling thread's slot.
     * @param index which of the thread's chunk pins.
     * @param frame the frame.
     */
    void holdChunk(final Slot slot, final int index, final int frame)
    {
        final int previous = slot.chunkFrames[index];
        slot.chunkFrames[index] = frame;
        if (previous >= 0)
        {
            pins.decrement(previous);
        }
    }

    /**
     * Releases every chunk pin of a slot (a chunked loop ended, normally or not).
     *
     * @param slot the slot.
     */
    void unpinChunks(final Slot slot)
    {
        final int[] frames = slot.chunkFrames;
        for (int i = 0; i < frames.length; i++)
        {
            final int frame = frames[i];
            if (frame >= 0)
            {
                frames[i] = -1;
                pins.decrement(frame);
            }
        }
    }

    /**
     * Releases the slots and pins of threads that died.
     *
     * @return slots reclaimed.
     */
    public int reclaimDead()
    {
        int reclaimed = 0;
        for (final Slot slot : slots)
        {
            final Thread owner = slot.owner;
            if (owner != null && !owner.isAlive() && reclaim(slot, owner))
            {
                reclaimed++;
            }
        }
        return reclaimed;
    }

    /**
     * Sum of the per-thread hit counters.
     *
     * @return hits.
     */
    public long hits()
    {
        long total = 0;
        for (final Slot slot : slots)
        {
            total += slot.hits;
        }
        return total;
    }

    /**
     * Sum of the per-thread chunk counters.
     *
     * @return chunks of rewritten loops that ran over a pinned line.
     */
    public long chunks()
    {
        long total = 0;
        for (final Slot slot : slots)
        {
            total += slot.chunks;
        }
        return total;
    }

    private void noteUsed(final int index)
    {
        synchronized (used)
        {
            for (int i = 0; i < usedCount; i++)
            {
                if (used[i] == index)
                {
                    return;
                }
            }
            used[usedCount++] = index;
        }
    }

    private boolean reclaim(final Slot slot, final Thread deadOwner)
    {
        synchronized (slot)
        {
            if (slot.owner != deadOwner)
            {
                return false;
            }
            unpinChunks(slot);
            slot.active = 0;
            slot.owner = null;
            return true;
        }
    }
}
