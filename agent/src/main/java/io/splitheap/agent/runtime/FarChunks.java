package io.splitheap.agent.runtime;

import io.splitheap.agent.core.FarRegistry;
import io.splitheap.agent.excache.ElementType;
import io.splitheap.agent.excache.FarArray;
import org.agrona.UnsafeApi;

import java.lang.ref.Reference;

/**
 * Runtime side of chunked loops (see {@code LoopChunker}). A counted loop over far arrays runs line by line: at the
 * start of each chunk of iterations the loop pins the line of each array it walks ({@link #pin}), learns where the
 * chunk must end ({@link #end}), and then reads and writes the pinned frames directly ({@code getLong} ...
 * {@code putByte}: plain loads and stores the JIT compiles like array accesses, with no lookup, check or fence per
 * element). Every way out of the loop releases the pins ({@link #unpinAll}).
 */
public final class FarChunks
{
    private FarChunks()
    {
    }

    /**
     * Whether a loop over an array should run in chunks: the array is far and has not moved to the heap.
     *
     * @param array any array, or null.
     * @return true for a far array that lives in far memory.
     */
    public static boolean isFar(final Object array)
    {
        if (array == null || java.lang.reflect.Array.getLength(array) != 0)
        {
            return false;
        }
        final FarArray far = FarRegistry.find(array);
        return far != null && !far.isLocalized();
    }

    /**
     * Pins the line holding an element for the next chunk of a loop.
     *
     * @param array    the array.
     * @param index    the loop's next index.
     * @param write    1 if the loop stores into the array, else 0.
     * @param pinIndex which of the thread's chunk pins (one per array of the loop).
     * @return the base address (element {@code j} is at {@code base + (j << shift)}), or 0 when the loop must go on
     *         element by element: the array is not far (any more), the index is outside it, or it is a boolean array.
     */
    public static long pin(final Object array, final int index, final int write, final int pinIndex)
    {
        final FarArray far = array == null ? null : FarRegistry.find(array);
        if (far == null || index < 0 || index >= far.length() || far.type() == ElementType.BOOLEAN)
        {
            return 0;
        }
        final long base = far.cache().pinChunk(far, index, write != 0, pinIndex);
        Reference.reachabilityFence(array);
        return base;
    }

    /**
     * Where a chunk starting at an index must end: the end of its line, or of the array.
     *
     * @param array the array (far; {@link #pin} succeeded for it).
     * @param index the loop's next index.
     * @return the first index not in the same line.
     */
    public static int end(final Object array, final int index)
    {
        final FarArray far = FarRegistry.find(array);
        final int perLineShift = far.cache().lineShift() - far.type().shift();
        return (int)Math.min(far.length(), (((long)index >> perLineShift) + 1) << perLineShift);
    }

    /**
     * Releases the calling thread's chunk pins.
     */
    public static void unpinAll()
    {
        final io.splitheap.agent.core.FarMemory farMemory = io.splitheap.agent.core.FarMemory.current();
        if (farMemory != null)
        {
            farMemory.cache().unpinChunks();
        }
    }

    /**
     * A {@code long} or {@code double} element's bits.
     *
     * @param address element address.
     * @return the value.
     */
    public static long getLong(final long address)
    {
        return UnsafeApi.getLong(address);
    }

    /**
     * Stores a {@code long}.
     *
     * @param address element address.
     * @param value   the value.
     */
    public static void putLong(final long address, final long value)
    {
        UnsafeApi.putLong(address, value);
    }

    /**
     * A {@code double}.
     *
     * @param address element address.
     * @return the value.
     */
    public static double getDouble(final long address)
    {
        return UnsafeApi.getDouble(address);
    }

    /**
     * Stores a {@code double}.
     *
     * @param address element address.
     * @param value   the value.
     */
    public static void putDouble(final long address, final double value)
    {
        UnsafeApi.putDouble(address, value);
    }

    /**
     * An {@code int}.
     *
     * @param address element address.
     * @return the value.
     */
    public static int getInt(final long address)
    {
        return UnsafeApi.getInt(address);
    }

    /**
     * Stores an {@code int}.
     *
     * @param address element address.
     * @param value   the value.
     */
    public static void putInt(final long address, final int value)
    {
        UnsafeApi.putInt(address, value);
    }

    /**
     * A {@code float}.
     *
     * @param address element address.
     * @return the value.
     */
    public static float getFloat(final long address)
    {
        return UnsafeApi.getFloat(address);
    }

    /**
     * Stores a {@code float}.
     *
     * @param address element address.
     * @param value   the value.
     */
    public static void putFloat(final long address, final float value)
    {
        UnsafeApi.putFloat(address, value);
    }

    /**
     * A {@code short}.
     *
     * @param address element address.
     * @return the value.
     */
    public static short getShort(final long address)
    {
        return UnsafeApi.getShort(address);
    }

    /**
     * Stores a {@code short} (the low 16 bits, as {@code sastore}).
     *
     * @param address element address.
     * @param value   the value.
     */
    public static void putShort(final long address, final int value)
    {
        UnsafeApi.putShort(address, (short)value);
    }

    /**
     * A {@code char}.
     *
     * @param address element address.
     * @return the value.
     */
    public static char getChar(final long address)
    {
        return UnsafeApi.getChar(address);
    }

    /**
     * Stores a {@code char} (the low 16 bits, as {@code castore}).
     *
     * @param address element address.
     * @param value   the value.
     */
    public static void putChar(final long address, final int value)
    {
        UnsafeApi.putChar(address, (char)value);
    }

    /**
     * A {@code byte}.
     *
     * @param address element address.
     * @return the value.
     */
    public static byte getByte(final long address)
    {
        return UnsafeApi.getByte(address);
    }

    /**
     * Stores a {@code byte} (the low 8 bits, as {@code bastore} on a {@code byte[]}).
     *
     * @param address element address.
     * @param value   the value.
     */
    public static void putByte(final long address, final int value)
    {
        UnsafeApi.putByte(address, (byte)value);
    }
}
