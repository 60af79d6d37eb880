package io.splitheap.agent.excache;

import org.agrona.UnsafeApi;

/**
 * A far array's line table: one {@code long} per ExCache line saying where the line is ({@link LineState}), and the
 * translation from an element's byte offset to its place in a frame. The table is the only state the hit path reads
 * besides the frames: {@link HitPath} reads an entry, the frame it names, and the entry again. The geometry of the
 * frames (line size, where they start) and the cache's thread slots are fixed for the table's life.
 */
public final class LineTable
{
    static final long BASE = UnsafeApi.arrayBaseOffset(long[].class);

    final long[] entries;
    final long farAddress;
    final int lineShift;
    final long lineMask;
    final long frameBase;
    final ThreadSlots.Slot[] slots;
    final int slotMask;

    LineTable(final int lines, final long farAddress, final ExCache cache)
    {
        this.entries = new long[lines];
        this.farAddress = farAddress;
        this.lineShift = cache.lineShift();
        this.lineMask = cache.lineSize() - 1;
        this.frameBase = cache.frameBase();
        this.slots = cache.slots().table();
        this.slotMask = cache.slots().mask();
    }

    /**
     * Number of lines.
     *
     * @return lines.
     */
    public int lineCount()
    {
        return entries.length;
    }

    /**
     * Far address of a line.
     *
     * @param line line index.
     * @return address.
     */
    public long lineAddress(final int line)
    {
        return farAddress + ((long)line << lineShift);
    }

    /**
     * The line holding a byte offset of the array.
     *
     * @param byteOffset offset from element 0.
     * @return line index.
     */
    int lineOf(final long byteOffset)
    {
        return (int)(byteOffset >>> lineShift);
    }

    /**
     * Where a line's entry is, for {@link UnsafeApi} access relative to {@link #entries}.
     *
     * @param byteOffset an offset in the line.
     * @return the entry's offset.
     */
    long entryOffset(final long byteOffset)
    {
        return BASE + ((byteOffset >>> lineShift) << 3);
    }

    /**
     * The address of a byte offset in the frame a resident entry names.
     *
     * @param entry      a resident entry.
     * @param byteOffset offset from element 0.
     * @return native address.
     */
    long frameAddress(final long entry, final long byteOffset)
    {
        return frameBase + (((entry & LineState.FRAME_MASK) - 1) << lineShift) + (byteOffset & lineMask);
    }

    /**
     * A line's entry (volatile read).
     *
     * @param line line index.
     * @return the entry.
     */
    long entry(final int line)
    {
        return UnsafeApi.getLongVolatile(entries, BASE + ((long)line << 3));
    }

    /**
     * Sets a line's entry (volatile write).
     *
     * @param line  line index.
     * @param entry the entry.
     */
    void entry(final int line, final long entry)
    {
        UnsafeApi.putLongVolatile(entries, BASE + ((long)line << 3), entry);
    }

    /**
     * Changes a line's entry if it holds the expected one.
     *
     * @param line     line index.
     * @param expected the entry expected.
     * @param entry    the new entry.
     * @return true if changed.
     */
    boolean cas(final int line, final long expected, final long entry)
    {
        return UnsafeApi.compareAndSetLong(entries, BASE + ((long)line << 3), expected, entry);
    }
}
