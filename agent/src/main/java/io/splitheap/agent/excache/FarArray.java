package io.splitheap.agent.excache;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;

/**
 * A far array: the descriptor behind a zero-length placeholder array that is the array's identity on the heap. It
 * holds the array's far address, length and element type, and its {@link LineTable}; its elements are read and
 * written through {@link HitPath}, and everything that is not a hit (misses, eviction, moving to the heap) is done
 * by its {@link ExCache}.
 * <p>
 * The descriptor is a phantom reference to its placeholder: when the placeholder becomes unreachable the
 * descriptor is enqueued and the far memory is freed.
 */
public final class FarArray extends PhantomReference<Object>
{
    final ElementType type;
    final long address;
    final int length;
    final int site;
    final int identityHash;
    final long farBytes;
    final ExCache cache;
    LineTable lines;
    volatile Object heap;
    volatile Object backing;
    volatile boolean dead;

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
        final long bytes = (long)length << type.shift();
        final int lineCount = (int)((bytes + cache.lineSize() - 1) >>> cache.lineShift());
        this.lines = new LineTable(lineCount, address, cache);
        this.farBytes = (long)lineCount << cache.lineShift();
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
        return farBytes;
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
     * Its line table.
     *
     * @return the table.
     */
    public LineTable lines()
    {
        return lines;
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
     * Throws exactly what the JVM throws for an index outside the array.
     *
     * @param index the index.
     */
    public void checkIndex(final int index)
    {
        HitPath.checkIndex(this, index);
    }

    /**
     * Reads a {@code long} element.
     *
     * @param index element index.
     * @return the element.
     */
    public long loadLong(final int index)
    {
        return HitPath.loadLong(this, index);
    }

    /**
     * Writes a {@code long} element.
     *
     * @param index element index.
     * @param value the value.
     */
    public void storeLong(final int index, final long value)
    {
        HitPath.storeLong(this, index, value);
    }

    /**
     * Reads a {@code int} element.
     *
     * @param index element index.
     * @return the element.
     */
    public int loadInt(final int index)
    {
        return HitPath.loadInt(this, index);
    }

    /**
     * Writes a {@code int} element.
     *
     * @param index element index.
     * @param value the value.
     */
    public void storeInt(final int index, final int value)
    {
        HitPath.storeInt(this, index, value);
    }

    /**
     * Reads a {@code double} element.
     *
     * @param index element index.
     * @return the element.
     */
    public double loadDouble(final int index)
    {
        return HitPath.loadDouble(this, index);
    }

    /**
     * Writes a {@code double} element.
     *
     * @param index element index.
     * @param value the value.
     */
    public void storeDouble(final int index, final double value)
    {
        HitPath.storeDouble(this, index, value);
    }

    /**
     * Reads a {@code float} element.
     *
     * @param index element index.
     * @return the element.
     */
    public float loadFloat(final int index)
    {
        return HitPath.loadFloat(this, index);
    }

    /**
     * Writes a {@code float} element.
     *
     * @param index element index.
     * @param value the value.
     */
    public void storeFloat(final int index, final float value)
    {
        HitPath.storeFloat(this, index, value);
    }

    /**
     * Reads a {@code short} element ({@code short} or {@code char}).
     *
     * @param index element index.
     * @return the element.
     */
    public short loadShort(final int index)
    {
        return HitPath.loadShort(this, index);
    }

    /**
     * Writes a {@code short} element ({@code short} or {@code char}).
     *
     * @param index element index.
     * @param value the value.
     */
    public void storeShort(final int index, final short value)
    {
        HitPath.storeShort(this, index, value);
    }

    /**
     * Reads a {@code byte} element ({@code byte}, or {@code boolean} as 0/1).
     *
     * @param index element index.
     * @return the element.
     */
    public byte loadByte(final int index)
    {
        return HitPath.loadByte(this, index);
    }

    /**
     * Writes a {@code byte} element ({@code byte}, or {@code boolean} as 0/1).
     *
     * @param index element index.
     * @param value the value.
     */
    public void storeByte(final int index, final byte value)
    {
        HitPath.storeByte(this, index, value);
    }
}
