package io.splitheap.agent.excache;

import org.agrona.UnsafeApi;

/**
 * The hit path: one element of a far array whose line is resident, read or written where it lives. Everything else
 * (misses, first touches, eviction races, arrays moved to the heap) goes to the slow paths of {@link ExCache}.
 * <p>
 * <b>Reads</b> are a seqlock whose sequence is the line entry ({@link LineState}): read the entry, read the frame it
 * names, and accept the value only if the entry is unchanged. A frame is never given to another line without the
 * entry changing first, and every mapping has a fresh generation, so an unchanged entry means the frame still held
 * this line.
 * <p>
 * <b>Writes</b> cannot be validated after the fact: a store into a frame already recycled for another line could not
 * be undone. A writer therefore publishes the frame it is about to store into as a hazard in its thread slot
 * ({@link ThreadSlots}) with a plain store, checks that the entry is unchanged (and dirty), stores, and clears the
 * hazard. No fence: the frames that need exclusion are dirty ones, and whoever takes a dirty frame away (eviction,
 * moving an array to the heap) first changes its entry, then runs a global safepoint ({@link Handshake}) and only
 * then reads the hazards. After the safepoint every writer either has its hazard visible (the frame is skipped or
 * waited for) or had not yet checked the entry (it sees the change and takes the slow path), wherever the safepoint
 * found it: in compiled code no poll lies between the check and the store, and in the interpreter the hazard was
 * published before the check. A clean frame is never stored into on this path (the first store to a line marks it
 * dirty in the slow path, under a pin), so evicting clean lines needs no safepoint.
 * <p>
 * Nothing here allocates, locks or calls out of line on a hit. LRU and CLOCK note the frame's use
 * ({@link RuntimeFlags#TOUCH} is false under FIFO and sweep, so the JIT drops it); hits are counted per thread only with
 * {@code stats=true}.
 */
final class HitPath
{
    static final long SIGN_OR_DIRTY = Long.MIN_VALUE | LineState.DIRTY;

    private HitPath()
    {
    }

    static void checkIndex(final FarArray array, final int index)
    {
        if (index < 0 || index >= array.length)
        {
            throw new ArrayIndexOutOfBoundsException("Index " + index + " out of bounds for length " + array.length);
        }
    }

    static long loadLong(final FarArray array, final int index)
    {
        checkIndex(array, index);
        final LineTable table = array.lines;
        final long offset = (long)index << 3;
        final long at = table.entryOffset(offset);
        final long entry = UnsafeApi.getLongAcquire(table.entries, at);
        if (entry > 0)
        {
            final long value = UnsafeApi.getLong(table.frameAddress(entry, offset));
            UnsafeApi.loadFence();
            if (UnsafeApi.getLong(table.entries, at) == entry)
            {
                hit(array, table, entry);
                return value;
            }
        }
        return array.cache.loadLongSlow(array, index);
    }

    static void storeLong(final FarArray array, final int index, final long value)
    {
        checkIndex(array, index);
        final LineTable table = array.lines;
        final long offset = (long)index << 3;
        final long at = table.entryOffset(offset);
        final Thread thread = Thread.currentThread();
        final ThreadSlots.Slot slot = table.slots[(int)thread.getId() & table.slotMask];
        final long entry = UnsafeApi.getLongAcquire(table.entries, at);
        if ((entry & SIGN_OR_DIRTY) == LineState.DIRTY && slot.owner == thread)
        {
            slot.active = (int)(entry & LineState.FRAME_MASK);
            if (UnsafeApi.getLongAcquire(table.entries, at) == entry)
            {
                UnsafeApi.putLong(table.frameAddress(entry, offset), value);
                UnsafeApi.putIntRelease(slot, ThreadSlots.ACTIVE, 0);
                storeHit(array, slot, entry);
                return;
            }
            slot.active = 0;
        }
        array.cache.storeLongSlow(array, index, value);
    }

    static int loadInt(final FarArray array, final int index)
    {
        checkIndex(array, index);
        final LineTable table = array.lines;
        final long offset = (long)index << 2;
        final long at = table.entryOffset(offset);
        final long entry = UnsafeApi.getLongAcquire(table.entries, at);
        if (entry > 0)
        {
            final int value = UnsafeApi.getInt(table.frameAddress(entry, offset));
            UnsafeApi.loadFence();
            if (UnsafeApi.getLong(table.entries, at) == entry)
            {
                hit(array, table, entry);
                return value;
            }
        }
        return array.cache.loadIntSlow(array, index);
    }

    static void storeInt(final FarArray array, final int index, final int value)
    {
        checkIndex(array, index);
        final LineTable table = array.lines;
        final long offset = (long)index << 2;
        final long at = table.entryOffset(offset);
        final Thread thread = Thread.currentThread();
        final ThreadSlots.Slot slot = table.slots[(int)thread.getId() & table.slotMask];
        final long entry = UnsafeApi.getLongAcquire(table.entries, at);
        if ((entry & SIGN_OR_DIRTY) == LineState.DIRTY && slot.owner == thread)
        {
            slot.active = (int)(entry & LineState.FRAME_MASK);
            if (UnsafeApi.getLongAcquire(table.entries, at) == entry)
            {
                UnsafeApi.putInt(table.frameAddress(entry, offset), value);
                UnsafeApi.putIntRelease(slot, ThreadSlots.ACTIVE, 0);
                storeHit(array, slot, entry);
                return;
            }
            slot.active = 0;
        }
        array.cache.storeIntSlow(array, index, value);
    }

    static double loadDouble(final FarArray array, final int index)
    {
        checkIndex(array, index);
        final LineTable table = array.lines;
        final long offset = (long)index << 3;
        final long at = table.entryOffset(offset);
        final long entry = UnsafeApi.getLongAcquire(table.entries, at);
        if (entry > 0)
        {
            final double value = UnsafeApi.getDouble(table.frameAddress(entry, offset));
            UnsafeApi.loadFence();
            if (UnsafeApi.getLong(table.entries, at) == entry)
            {
                hit(array, table, entry);
                return value;
            }
        }
        return Double.longBitsToDouble(array.cache.loadLongSlow(array, index));
    }

    static void storeDouble(final FarArray array, final int index, final double value)
    {
        checkIndex(array, index);
        final LineTable table = array.lines;
        final long offset = (long)index << 3;
        final long at = table.entryOffset(offset);
        final Thread thread = Thread.currentThread();
        final ThreadSlots.Slot slot = table.slots[(int)thread.getId() & table.slotMask];
        final long entry = UnsafeApi.getLongAcquire(table.entries, at);
        if ((entry & SIGN_OR_DIRTY) == LineState.DIRTY && slot.owner == thread)
        {
            slot.active = (int)(entry & LineState.FRAME_MASK);
            if (UnsafeApi.getLongAcquire(table.entries, at) == entry)
            {
                UnsafeApi.putDouble(table.frameAddress(entry, offset), value);
                UnsafeApi.putIntRelease(slot, ThreadSlots.ACTIVE, 0);
                storeHit(array, slot, entry);
                return;
            }
            slot.active = 0;
        }
        array.cache.storeLongSlow(array, index, Double.doubleToRawLongBits(value));
    }

    static float loadFloat(final FarArray array, final int index)
    {
        checkIndex(array, index);
        final LineTable table = array.lines;
        final long offset = (long)index << 2;
        final long at = table.entryOffset(offset);
        final long entry = UnsafeApi.getLongAcquire(table.entries, at);
        if (entry > 0)
        {
            final float value = UnsafeApi.getFloat(table.frameAddress(entry, offset));
            UnsafeApi.loadFence();
            if (UnsafeApi.getLong(table.entries, at) == entry)
            {
                hit(array, table, entry);
                return value;
            }
        }
        return Float.intBitsToFloat(array.cache.loadIntSlow(array, index));
    }

    static void storeFloat(final FarArray array, final int index, final float value)
    {
        checkIndex(array, index);
        final LineTable table = array.lines;
        final long offset = (long)index << 2;
        final long at = table.entryOffset(offset);
        final Thread thread = Thread.currentThread();
        final ThreadSlots.Slot slot = table.slots[(int)thread.getId() & table.slotMask];
        final long entry = UnsafeApi.getLongAcquire(table.entries, at);
        if ((entry & SIGN_OR_DIRTY) == LineState.DIRTY && slot.owner == thread)
        {
            slot.active = (int)(entry & LineState.FRAME_MASK);
            if (UnsafeApi.getLongAcquire(table.entries, at) == entry)
            {
                UnsafeApi.putFloat(table.frameAddress(entry, offset), value);
                UnsafeApi.putIntRelease(slot, ThreadSlots.ACTIVE, 0);
                storeHit(array, slot, entry);
                return;
            }
            slot.active = 0;
        }
        array.cache.storeIntSlow(array, index, Float.floatToRawIntBits(value));
    }

    static short loadShort(final FarArray array, final int index)
    {
        checkIndex(array, index);
        final LineTable table = array.lines;
        final long offset = (long)index << 1;
        final long at = table.entryOffset(offset);
        final long entry = UnsafeApi.getLongAcquire(table.entries, at);
        if (entry > 0)
        {
            final short value = UnsafeApi.getShort(table.frameAddress(entry, offset));
            UnsafeApi.loadFence();
            if (UnsafeApi.getLong(table.entries, at) == entry)
            {
                hit(array, table, entry);
                return value;
            }
        }
        return array.cache.loadShortSlow(array, index);
    }

    static void storeShort(final FarArray array, final int index, final short value)
    {
        checkIndex(array, index);
        final LineTable table = array.lines;
        final long offset = (long)index << 1;
        final long at = table.entryOffset(offset);
        final Thread thread = Thread.currentThread();
        final ThreadSlots.Slot slot = table.slots[(int)thread.getId() & table.slotMask];
        final long entry = UnsafeApi.getLongAcquire(table.entries, at);
        if ((entry & SIGN_OR_DIRTY) == LineState.DIRTY && slot.owner == thread)
        {
            slot.active = (int)(entry & LineState.FRAME_MASK);
            if (UnsafeApi.getLongAcquire(table.entries, at) == entry)
            {
                UnsafeApi.putShort(table.frameAddress(entry, offset), value);
                UnsafeApi.putIntRelease(slot, ThreadSlots.ACTIVE, 0);
                storeHit(array, slot, entry);
                return;
            }
            slot.active = 0;
        }
        array.cache.storeShortSlow(array, index, value);
    }

    static byte loadByte(final FarArray array, final int index)
    {
        checkIndex(array, index);
        final LineTable table = array.lines;
        final long offset = index;
        final long at = table.entryOffset(offset);
        final long entry = UnsafeApi.getLongAcquire(table.entries, at);
        if (entry > 0)
        {
            final byte value = UnsafeApi.getByte(table.frameAddress(entry, offset));
            UnsafeApi.loadFence();
            if (UnsafeApi.getLong(table.entries, at) == entry)
            {
                hit(array, table, entry);
                return value;
            }
        }
        return array.cache.loadByteSlow(array, index);
    }

    static void storeByte(final FarArray array, final int index, final byte value)
    {
        checkIndex(array, index);
        final LineTable table = array.lines;
        final long offset = index;
        final long at = table.entryOffset(offset);
        final Thread thread = Thread.currentThread();
        final ThreadSlots.Slot slot = table.slots[(int)thread.getId() & table.slotMask];
        final long entry = UnsafeApi.getLongAcquire(table.entries, at);
        if ((entry & SIGN_OR_DIRTY) == LineState.DIRTY && slot.owner == thread)
        {
            slot.active = (int)(entry & LineState.FRAME_MASK);
            if (UnsafeApi.getLongAcquire(table.entries, at) == entry)
            {
                UnsafeApi.putByte(table.frameAddress(entry, offset), value);
                UnsafeApi.putIntRelease(slot, ThreadSlots.ACTIVE, 0);
                storeHit(array, slot, entry);
                return;
            }
            slot.active = 0;
        }
        array.cache.storeByteSlow(array, index, value);
    }

    private static void hit(final FarArray array, final LineTable table, final long entry)
    {
        if (RuntimeFlags.TOUCH)
        {
            array.cache.touch(entry);
        }
        if (RuntimeFlags.STATS)
        {
            final Thread thread = Thread.currentThread();
            final ThreadSlots.Slot slot = table.slots[(int)thread.getId() & table.slotMask];
            if (slot.owner == thread)
            {
                slot.hits++;
            }
            else
            {
                array.cache.countHit();
            }
        }
    }

    private static void storeHit(final FarArray array, final ThreadSlots.Slot slot, final long entry)
    {
        if (RuntimeFlags.TOUCH)
        {
            array.cache.touch(entry);
        }
        if (RuntimeFlags.STATS)
        {
            slot.hits++;
        }
    }
}
