package io.splitheap.agent.excache;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Per-thread write pins (hazard slots), found by thread id without a {@code ThreadLocal}. A thread that writes to a
 * frame first pins it: it raises the frame's pin count with an atomic add, re-checks the line entry, and records the
 * frame in its slot. The pin stays while the thread keeps writing to that frame, so later stores are plain; it
 * moves when the thread writes to another frame. The evictor never recycles a pinned frame: it marks the entry
 * {@code EVICTING} with a CAS and then reads the pin count, so either the writer sees the eviction or the evictor
 * sees the pin (both sides use full-fence atomics).
 * <p>
 * The fast path looks only at the slot {@code threadId & mask}; a thread whose home slot is taken by another live
 * thread probes a few neighbours and then always takes the slow path, which is correct, only slower.
 */
public final class WriterSlots
{
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
        int frame = -1;
        long hits;
        long p11, p12, p13, p14, p15, p16, p17;
    }

    private final Slot[] slots;
    private final int mask;
    private final PinCounts pins;

    /**
     * Slots for a cache.
     *
     * @param count power of two.
     * @param pins  the cache's pin counts.
     */
    public WriterSlots(final int count, final PinCounts pins)
    {
        this.slots = new Slot[count];
        this.mask = count - 1;
        this.pins = pins;
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
     * Moves a slot's pin to another frame. The caller must re-check the line entry after this returns.
     *
     * @param slot  the calling thread's slot.
     * @param frame the frame to pin.
     */
    public void pin(final Slot slot, final int frame)
    {
        final int previous = slot.frame;
        if (previous == frame)
        {
            return;
        }
        pins.increment(frame);
        slot.frame = frame;
        if (previous >= 0)
        {
            pins.decrement(previous);
        }
    }

    /**
     * Drops a slot's pin (the pinned line went away under it).
     *
     * @param slot the calling thread's slot.
     */
    public void unpin(final Slot slot)
    {
        final int previous = slot.frame;
        if (previous >= 0)
        {
            slot.frame = -1;
            pins.decrement(previous);
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

    private boolean reclaim(final Slot slot, final Thread deadOwner)
    {
        synchronized (slot)
        {
            if (slot.owner != deadOwner)
            {
                return false;
            }
            final int frame = slot.frame;
            slot.frame = -1;
            if (frame >= 0)
            {
                pins.decrement(frame);
            }
            slot.owner = null;
            return true;
        }
    }
}
