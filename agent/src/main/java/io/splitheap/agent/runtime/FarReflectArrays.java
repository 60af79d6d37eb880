package io.splitheap.agent.runtime;

import java.lang.reflect.Array;

/**
 * {@code java.lang.reflect.Array} for rewritten and guarded code: libraries that walk arrays reflectively (mappers,
 * {@code toString} builders, comparators) read and write a far array element by element where it lives instead of
 * moving it to the heap. Heap arrays, and anything that is not a far array, go to the JDK unchanged. For a far array
 * the index is checked first, as the JDK does; the element then travels through a one-element heap array of its
 * type, and the JDK's own method does the conversion, so widening and exceptions ({@code argument type mismatch})
 * are the JDK's.
 */
public final class FarReflectArrays
{
    private FarReflectArrays()
    {
    }

    /**
     * {@link Array#getLength}.
     *
     * @param array an array.
     * @return its length.
     */
    public static int getLength(final Object array)
    {
        return FarArrays.far(array) == null ? Array.getLength(array) : FarAccess.arraylength(array);
    }

    /**
     * {@link Array#get}.
     *
     * @param array an array.
     * @param index the index.
     * @return the element, boxed.
     */
    public static Object get(final Object array, final int index)
    {
        return FarArrays.far(array) == null ? Array.get(array, index) : Array.get(element(array, index), 0);
    }

    /**
     * {@link Array#set}.
     *
     * @param array an array.
     * @param index the index.
     * @param value the value, unboxed and widened as the JDK does.
     */
    public static void set(final Object array, final int index, final Object value)
    {
        if (FarArrays.far(array) == null)
        {
            Array.set(array, index, value);
            return;
        }
        if (value == null)
        {
            // the JDK refuses null for a primitive array before it looks at the index
            Array.set(Array.newInstance(array.getClass().getComponentType(), 1), 0, null);
        }
        final Object one = slot(array, index);
        Array.set(one, 0, value);
        FarArrays.arraycopy(one, 0, array, index, 1);
    }

    /**
     * {@link Array#getBoolean}.
     *
     * @param array an array.
     * @param index the index.
     * @return the element.
     */
    public static boolean getBoolean(final Object array, final int index)
    {
        return FarArrays.far(array) == null ? Array.getBoolean(array, index) :
            Array.getBoolean(element(array, index), 0);
    }

    /**
     * {@link Array#setBoolean}.
     *
     * @param array an array.
     * @param index the index.
     * @param value the value.
     */
    public static void setBoolean(final Object array, final int index, final boolean value)
    {
        if (FarArrays.far(array) == null)
        {
            Array.setBoolean(array, index, value);
            return;
        }
        final Object one = slot(array, index);
        Array.setBoolean(one, 0, value);
        FarArrays.arraycopy(one, 0, array, index, 1);
    }

    /**
     * {@link Array#getByte}.
     *
     * @param array an array.
     * @param index the index.
     * @return the element.
     */
    public static byte getByte(final Object array, final int index)
    {
        return FarArrays.far(array) == null ? Array.getByte(array, index) :
            Array.getByte(element(array, index), 0);
    }

    /**
     * {@link Array#setByte}.
     *
     * @param array an array.
     * @param index the index.
     * @param value the value.
     */
    public static void setByte(final Object array, final int index, final byte value)
    {
        if (FarArrays.far(array) == null)
        {
            Array.setByte(array, index, value);
            return;
        }
        final Object one = slot(array, index);
        Array.setByte(one, 0, value);
        FarArrays.arraycopy(one, 0, array, index, 1);
    }

    /**
     * {@link Array#getChar}.
     *
     * @param array an array.
     * @param index the index.
     * @return the element.
     */
    public static char getChar(final Object array, final int index)
    {
        return FarArrays.far(array) == null ? Array.getChar(array, index) :
            Array.getChar(element(array, index), 0);
    }

    /**
     * {@link Array#setChar}.
     *
     * @param array an array.
     * @param index the index.
     * @param value the value.
     */
    public static void setChar(final Object array, final int index, final char value)
    {
        if (FarArrays.far(array) == null)
        {
            Array.setChar(array, index, value);
            return;
        }
        final Object one = slot(array, index);
        Array.setChar(one, 0, value);
        FarArrays.arraycopy(one, 0, array, index, 1);
    }

    /**
     * {@link Array#getShort}.
     *
     * @param array an array.
     * @param index the index.
     * @return the element, widened.
     */
    public static short getShort(final Object array, final int index)
    {
        return FarArrays.far(array) == null ? Array.getShort(array, index) :
            Array.getShort(element(array, index), 0);
    }

    /**
     * {@link Array#setShort}.
     *
     * @param array an array.
     * @param index the index.
     * @param value the value.
     */
    public static void setShort(final Object array, final int index, final short value)
    {
        if (FarArrays.far(array) == null)
        {
            Array.setShort(array, index, value);
            return;
        }
        final Object one = slot(array, index);
        Array.setShort(one, 0, value);
        FarArrays.arraycopy(one, 0, array, index, 1);
    }

    /**
     * {@link Array#getInt}.
     *
     * @param array an array.
     * @param index the index.
     * @return the element, widened.
     */
    public static int getInt(final Object array, final int index)
    {
        return FarArrays.far(array) == null ? Array.getInt(array, index) :
            Array.getInt(element(array, index), 0);
    }

    /**
     * {@link Array#setInt}.
     *
     * @param array an array.
     * @param index the index.
     * @param value the value.
     */
    public static void setInt(final Object array, final int index, final int value)
    {
        if (FarArrays.far(array) == null)
        {
            Array.setInt(array, index, value);
            return;
        }
        final Object one = slot(array, index);
        Array.setInt(one, 0, value);
        FarArrays.arraycopy(one, 0, array, index, 1);
    }

    /**
     * {@link Array#getLong}.
     *
     * @param array an array.
     * @param index the index.
     * @return the element, widened.
     */
    public static long getLong(final Object array, final int index)
    {
        return FarArrays.far(array) == null ? Array.getLong(array, index) :
            Array.getLong(element(array, index), 0);
    }

    /**
     * {@link Array#setLong}.
     *
     * @param array an array.
     * @param index the index.
     * @param value the value.
     */
    public static void setLong(final Object array, final int index, final long value)
    {
        if (FarArrays.far(array) == null)
        {
            Array.setLong(array, index, value);
            return;
        }
        final Object one = slot(array, index);
        Array.setLong(one, 0, value);
        FarArrays.arraycopy(one, 0, array, index, 1);
    }

    /**
     * {@link Array#getFloat}.
     *
     * @param array an array.
     * @param index the index.
     * @return the element, widened.
     */
    public static float getFloat(final Object array, final int index)
    {
        return FarArrays.far(array) == null ? Array.getFloat(array, index) :
            Array.getFloat(element(array, index), 0);
    }

    /**
     * {@link Array#setFloat}.
     *
     * @param array an array.
     * @param index the index.
     * @param value the value.
     */
    public static void setFloat(final Object array, final int index, final float value)
    {
        if (FarArrays.far(array) == null)
        {
            Array.setFloat(array, index, value);
            return;
        }
        final Object one = slot(array, index);
        Array.setFloat(one, 0, value);
        FarArrays.arraycopy(one, 0, array, index, 1);
    }

    /**
     * {@link Array#getDouble}.
     *
     * @param array an array.
     * @param index the index.
     * @return the element, widened.
     */
    public static double getDouble(final Object array, final int index)
    {
        return FarArrays.far(array) == null ? Array.getDouble(array, index) :
            Array.getDouble(element(array, index), 0);
    }

    /**
     * {@link Array#setDouble}.
     *
     * @param array an array.
     * @param index the index.
     * @param value the value.
     */
    public static void setDouble(final Object array, final int index, final double value)
    {
        if (FarArrays.far(array) == null)
        {
            Array.setDouble(array, index, value);
            return;
        }
        final Object one = slot(array, index);
        Array.setDouble(one, 0, value);
        FarArrays.arraycopy(one, 0, array, index, 1);
    }

    private static Object element(final Object array, final int index)
    {
        final Object one = slot(array, index);
        FarArrays.arraycopy(array, index, one, 0, 1);
        return one;
    }

    private static Object slot(final Object array, final int index)
    {
        if (index < 0 || index >= FarAccess.arraylength(array))
        {
            throw new ArrayIndexOutOfBoundsException();
        }
        return Array.newInstance(array.getClass().getComponentType(), 1);
    }
}
