package io.splitheap.agent.excache;

import org.agrona.UnsafeApi;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;

/**
 * A far array: the descriptor behind a zero-length placeholder array that is the array's identity on the heap.
 * It holds the array's far address and length, and its line table, one entry per ExCache line (see
 * {@link LineState}). The element accessors below are the hit path: translate the index to a line, read the
 * entry, touch the frame, validate. Everything else (misses, first touches, eviction races, localization) is in
 * {@link ExCache}.
 * <p>
 * The descriptor is a phantom reference to its placeholder: when the placeholder becomes unreachable the
 * descriptor is enqueued and the far memory is freed.
 */
public final class FarArray extends PhantomReference<Object>
{
    static final long LINES_BASE = UnsafeApi.arrayBaseOffset(long[].class);
    static final long SIGN_OR_DIRTY = Long.MIN_VALUE | LineState.DIRTY;

    final ElementType type;
    final long address;
    final int length;
    final int site;
    final int identityHash;
    final long[] lines;
    final ExCache cache;
    final long frameBase;
    final int lineShift;
    final long lineMask;
    final int[] stamps;
    final WriterSlots.Slot[] slots;
    final int slotMask;
    volatile Object heap;
    volatile Object backing;
    volatile boolean dead;
    int lastMissLine = -2;
    int prefetchWindow;

    FarArray(
        final Object placeholder,
        final ReferenceQueue<Object> queue,
        final ElementType type,
        final long address,
        final int length,
        final int site,
        final int identityHash,
        final ExCache cache)
    {
        super(placeholder, queue);
        this.identityHash = identityHash;
        this.type = type;
        this.address = address;
        this.length = length;
        this.site = site;
        this.cache = cache;
        this.frameBase = cache.frameBase();
        this.lineShift = cache.lineShift();
        this.lineMask = cache.lineSize() - 1;
        this.stamps = cache.stamps();
        this.slots = cache.slots().table();
        this.slotMask = cache.slots().mask();
        final long bytes = (long)length << type.shift();
        this.lines = new long[(int)((bytes + lineMask) >>> lineShift)];
    }

    /**
     * Element type.
     *
     * @return type.
     */
    public ElementType type()
    {
        return type;
    }

    /**
     * Far address of element 0 (line aligned).
     *
     * @return address.
     */
    public long address()
    {
        return address;
    }

    /**
     * Number of elements.
     *
     * @return length.
     */
    public int length()
    {
        return length;
    }

    /**
     * Bytes of far memory the array occupies (whole lines).
     *
     * @return bytes.
     */
    public long farBytes()
    {
        return (long)lines.length << lineShift;
    }

    /**
     * Allocation site id.
     *
     * @return site.
     */
    public int site()
    {
        return site;
    }

    /**
     * Identity hash of the placeholder (its slot in the registry).
     *
     * @return hash.
     */
    public int identityHash()
    {
        return identityHash;
    }

    /**
     * Whether the array was freed.
     *
     * @return true once released.
     */
    public boolean isDead()
    {
        return dead;
    }

    /**
     * The cache holding its lines.
     *
     * @return cache.
     */
    public ExCache cache()
    {
        return cache;
    }

    /**
     * The heap array it moved to, once localized.
     *
     * @return backing array or null.
     */
    public Object backing()
    {
        return backing;
    }

    /**
     * Whether the array moved to the heap.
     *
     * @return true once localized.
     */
    public boolean isLocalized()
    {
        return backing != null;
    }

    /**
     * Reads a {@code long} element.
     *
     * @param index element index.
     * @return the element.
     */
    public long loadLong(final int index)
    {
        checkIndex(index);
        final long offset = (long)index << 3;
        final long entryOffset = entryOffset(offset);
        final long entry = UnsafeApi.getLongVolatile(lines, entryOffset);
        if (entry > 0)
        {
            final long value = UnsafeApi.getLong(frameAddress(entry, offset));
            UnsafeApi.loadFence();
            if (UnsafeApi.getLongVolatile(lines, entryOffset) == entry)
            {
                touch(entry);
                return value;
            }
        }
        return cache.loadLongSlow(this, index);
    }

    /**
     * Writes a {@code long} element.
     *
     * @param index element index.
     * @param value the value.
     */
    public void storeLong(final int index, final long value)
    {
        checkIndex(index);
        final long offset = (long)index << 3;
        final long entryOffset = entryOffset(offset);
        final long entry = UnsafeApi.getLongVolatile(lines, entryOffset);
        if (isPinnedDirty(entry))
        {
            UnsafeApi.putLong(frameAddress(entry, offset), value);
            if (UnsafeApi.getLongVolatile(lines, entryOffset) == entry)
            {
                touch(entry);
                return;
            }
        }
        cache.storeLongSlow(this, index, value);
    }

    /**
     * Reads an {@code int} element.
     *
     * @param index element index.
     * @return the element.
     */
    public int loadInt(final int index)
    {
        checkIndex(index);
        final long offset = (long)index << 2;
        final long entryOffset = entryOffset(offset);
        final long entry = UnsafeApi.getLongVolatile(lines, entryOffset);
        if (entry > 0)
        {
            final int value = UnsafeApi.getInt(frameAddress(entry, offset));
            UnsafeApi.loadFence();
            if (UnsafeApi.getLongVolatile(lines, entryOffset) == entry)
            {
                touch(entry);
                return value;
            }
        }
        return cache.loadIntSlow(this, index);
    }

    /**
     * Writes an {@code int} element.
     *
     * @param index element index.
     * @param value the value.
     */
    public void storeInt(final int index, final int value)
    {
        checkIndex(index);
        final long offset = (long)index << 2;
        final long entryOffset = entryOffset(offset);
        final long entry = UnsafeApi.getLongVolatile(lines, entryOffset);
        if (isPinnedDirty(entry))
        {
            UnsafeApi.putInt(frameAddress(entry, offset), value);
            if (UnsafeApi.getLongVolatile(lines, entryOffset) == entry)
            {
                touch(entry);
                return;
            }
        }
        cache.storeIntSlow(this, index, value);
    }

    /**
     * Reads a {@code double} element.
     *
     * @param index element index.
     * @return the element.
     */
    public double loadDouble(final int index)
    {
        checkIndex(index);
        final long offset = (long)index << 3;
        final long entryOffset = entryOffset(offset);
        final long entry = UnsafeApi.getLongVolatile(lines, entryOffset);
        if (entry > 0)
        {
            final double value = UnsafeApi.getDouble(frameAddress(entry, offset));
            UnsafeApi.loadFence();
            if (UnsafeApi.getLongVolatile(lines, entryOffset) == entry)
            {
                touch(entry);
                return value;
            }
        }
        return Double.longBitsToDouble(cache.loadLongSlow(this, index));
    }

    /**
     * Writes a {@code double} element.
     *
     * @param index element index.
     * @param value the value.
     */
    public void storeDouble(final int index, final double value)
    {
        checkIndex(index);
        final long offset = (long)index << 3;
        final long entryOffset = entryOffset(offset);
        final long entry = UnsafeApi.getLongVolatile(lines, entryOffset);
        if (isPinnedDirty(entry))
        {
            UnsafeApi.putDouble(frameAddress(entry, offset), value);
            if (UnsafeApi.getLongVolatile(lines, entryOffset) == entry)
            {
                touch(entry);
                return;
            }
        }
        cache.storeLongSlow(this, index, Double.doubleToRawLongBits(value));
    }

    /**
     * Reads a {@code float} element.
     *
     * @param index element index.
     * @return the element.
     */
    public float loadFloat(final int index)
    {
        checkIndex(index);
        final long offset = (long)index << 2;
        final long entryOffset = entryOffset(offset);
        final long entry = UnsafeApi.getLongVolatile(lines, entryOffset);
        if (entry > 0)
        {
            final float value = UnsafeApi.getFloat(frameAddress(entry, offset));
            UnsafeApi.loadFence();
            if (UnsafeApi.getLongVolatile(lines, entryOffset) == entry)
            {
                touch(entry);
                return value;
            }
        }
        return Float.intBitsToFloat(cache.loadIntSlow(this, index));
    }

    /**
     * Writes a {@code float} element.
     *
     * @param index element index.
     * @param value the value.
     */
    public void storeFloat(final int index, final float value)
    {
        checkIndex(index);
        final long offset = (long)index << 2;
        final long entryOffset = entryOffset(offset);
        final long entry = UnsafeApi.getLongVolatile(lines, entryOffset);
        if (isPinnedDirty(entry))
        {
            UnsafeApi.putFloat(frameAddress(entry, offset), value);
            if (UnsafeApi.getLongVolatile(lines, entryOffset) == entry)
            {
                touch(entry);
                return;
            }
        }
        cache.storeIntSlow(this, index, Float.floatToRawIntBits(value));
    }

    /**
     * Reads a 16-bit element ({@code short} or {@code char}).
     *
     * @param index element index.
     * @return the element's bits.
     */
    public short loadShort(final int index)
    {
        checkIndex(index);
        final long offset = (long)index << 1;
        final long entryOffset = entryOffset(offset);
        final long entry = UnsafeApi.getLongVolatile(lines, entryOffset);
        if (entry > 0)
        {
            final short value = UnsafeApi.getShort(frameAddress(entry, offset));
            UnsafeApi.loadFence();
            if (UnsafeApi.getLongVolatile(lines, entryOffset) == entry)
            {
                touch(entry);
                return value;
            }
        }
        return cache.loadShortSlow(this, index);
    }

    /**
     * Writes a 16-bit element ({@code short} or {@code char}).
     *
     * @param index element index.
     * @param value the element's bits.
     */
    public void storeShort(final int index, final short value)
    {
        checkIndex(index);
        final long offset = (long)index << 1;
        final long entryOffset = entryOffset(offset);
        final long entry = UnsafeApi.getLongVolatile(lines, entryOffset);
        if (isPinnedDirty(entry))
        {
            UnsafeApi.putShort(frameAddress(entry, offset), value);
            if (UnsafeApi.getLongVolatile(lines, entryOffset) == entry)
            {
                touch(entry);
                return;
            }
        }
        cache.storeShortSlow(this, index, value);
    }

    /**
     * Reads an 8-bit element ({@code byte}, or {@code boolean} as 0/1).
     *
     * @param index element index.
     * @return the element's bits.
     */
    public byte loadByte(final int index)
    {
        checkIndex(index);
        final long offset = index;
        final long entryOffset = entryOffset(offset);
        final long entry = UnsafeApi.getLongVolatile(lines, entryOffset);
        if (entry > 0)
        {
            final byte value = UnsafeApi.getByte(frameAddress(entry, offset));
            UnsafeApi.loadFence();
            if (UnsafeApi.getLongVolatile(lines, entryOffset) == entry)
            {
                touch(entry);
                return value;
            }
        }
        return cache.loadByteSlow(this, index);
    }

    /**
     * Writes an 8-bit element ({@code byte}, or {@code boolean} as 0/1).
     *
     * @param index element index.
     * @param value the element's bits.
     */
    public void storeByte(final int index, final byte value)
    {
        checkIndex(index);
        final long offset = index;
        final long entryOffset = entryOffset(offset);
        final long entry = UnsafeApi.getLongVolatile(lines, entryOffset);
        if (isPinnedDirty(entry))
        {
            UnsafeApi.putByte(frameAddress(entry, offset), value);
            if (UnsafeApi.getLongVolatile(lines, entryOffset) == entry)
            {
                touch(entry);
                return;
            }
        }
        cache.storeByteSlow(this, index, value);
    }

    /**
     * Throws exactly what the JVM throws for an index outside the array.
     *
     * @param index the index.
     */
    public void checkIndex(final int index)
    {
        if (index < 0 || index >= length)
        {
            throw new ArrayIndexOutOfBoundsException("Index " + index + " out of bounds for length " + length);
        }
    }

    long entryOffset(final long byteOffset)
    {
        return LINES_BASE + ((byteOffset >>> lineShift) << 3);
    }

    long frameAddress(final long entry, final long byteOffset)
    {
        return frameBase + (((entry & LineState.FRAME_MASK) - 1) << lineShift) + (byteOffset & lineMask);
    }

    long entry(final int line)
    {
        return UnsafeApi.getLongVolatile(lines, LINES_BASE + ((long)line << 3));
    }

    void entry(final int line, final long entry)
    {
        UnsafeApi.putLongVolatile(lines, LINES_BASE + ((long)line << 3), entry);
    }

    boolean casEntry(final int line, final long expected, final long entry)
    {
        return UnsafeApi.compareAndSetLong(lines, LINES_BASE + ((long)line << 3), expected, entry);
    }

    int lineCount()
    {
        return lines.length;
    }

    long lineAddress(final int line)
    {
        return address + ((long)line << lineShift);
    }

    private boolean isPinnedDirty(final long entry)
    {
        if ((entry & SIGN_OR_DIRTY) != LineState.DIRTY)
        {
            return false;
        }
        final Thread thread = Thread.currentThread();
        final WriterSlots.Slot slot = slots[(int)thread.getId() & slotMask];
        return slot.owner == thread && slot.frame == (int)((entry & LineState.FRAME_MASK) - 1);
    }

    private void touch(final long entry)
    {
        final int[] stamps = this.stamps;
        if (stamps != null)
        {
            final int frame = (int)((entry & LineState.FRAME_MASK) - 1);
            final int epoch = cache.epoch;
            if (stamps[frame] != epoch)
            {
                stamps[frame] = epoch;
            }
        }
        if (RuntimeFlags.STATS)
        {
            cache.countHit();
        }
    }
}
