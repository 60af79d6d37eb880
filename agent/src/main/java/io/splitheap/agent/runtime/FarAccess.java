package io.splitheap.agent.runtime;

import io.splitheap.agent.core.FarRegistry;
import io.splitheap.agent.excache.FarArray;

import java.lang.reflect.Array;

/**
 * Array element access for rewritten code: every primitive {@code xaload}, {@code xastore} and {@code arraylength}
 * becomes a call here. The first test is the JVM's own bounds check, so an ordinary heap array takes the same path
 * as before (the JIT inlines these and removes the duplicate check); a far array's zero-length placeholder fails it
 * and goes to its descriptor. A null array or a bad index of a heap array re-executes the original access, so it
 * throws exactly what the JVM throws.
 */
public final class FarAccess
{
    private FarAccess()
    {
    }

    /**
     * {@code laload}.
     *
     * @param array the array.
     * @param index the index.
     * @return the element.
     */
    public static long laload(final long[] array, final int index)
    {
        if (array != null && index >= 0 && index < array.length)
        {
            return array[index];
        }
        return laloadSlow(array, index);
    }

    /**
     * {@code lastore}.
     *
     * @param array the array.
     * @param index the index.
     * @param value the value.
     */
    public static void lastore(final long[] array, final int index, final long value)
    {
        if (array != null && index >= 0 && index < array.length)
        {
            array[index] = value;
            return;
        }
        lastoreSlow(array, index, value);
    }

    private static long laloadSlow(final long[] array, final int index)
    {
        final FarArray far = array == null ? null : FarRegistry.find(array);
        if (far == null)
        {
            return array[index];
        }
        return far.loadLong(index);
    }

    private static void lastoreSlow(final long[] array, final int index, final long value)
    {
        final FarArray far = array == null ? null : FarRegistry.find(array);
        if (far == null)
        {
            array[index] = value;
            return;
        }
        far.storeLong(index, value);
    }

    /**
     * {@code iaload}.
     *
     * @param array the array.
     * @param index the index.
     * @return the element.
     */
    public static int iaload(final int[] array, final int index)
    {
        if (array != null && index >= 0 && index < array.length)
        {
            return array[index];
        }
        return ialoadSlow(array, index);
    }

    /**
     * {@code iastore}.
     *
     * @param array the array.
     * @param index the index.
     * @param value the value.
     */
    public static void iastore(final int[] array, final int index, final int value)
    {
        if (array != null && index >= 0 && index < array.length)
        {
            array[index] = value;
            return;
        }
        iastoreSlow(array, index, value);
    }

    private static int ialoadSlow(final int[] array, final int index)
    {
        final FarArray far = array == null ? null : FarRegistry.find(array);
        if (far == null)
        {
            return array[index];
        }
        return far.loadInt(index);
    }

    private static void iastoreSlow(final int[] array, final int index, final int value)
    {
        final FarArray far = array == null ? null : FarRegistry.find(array);
        if (far == null)
        {
            array[index] = value;
            return;
        }
        far.storeInt(index, value);
    }

    /**
     * {@code faload}.
     *
     * @param array the array.
     * @param index the index.
     * @return the element.
     */
    public static float faload(final float[] array, final int index)
    {
        if (array != null && index >= 0 && index < array.length)
        {
            return array[index];
        }
        return faloadSlow(array, index);
    }

    /**
     * {@code fastore}.
     *
     * @param array the array.
     * @param index the index.
     * @param value the value.
     */
    public static void fastore(final float[] array, final int index, final float value)
    {
        if (array != null && index >= 0 && index < array.length)
        {
            array[index] = value;
            return;
        }
        fastoreSlow(array, index, value);
    }

    private static float faloadSlow(final float[] array, final int index)
    {
        final FarArray far = array == null ? null : FarRegistry.find(array);
        if (far == null)
        {
            return array[index];
        }
        return far.loadFloat(index);
    }

    private static void fastoreSlow(final float[] array, final int index, final float value)
    {
        final FarArray far = array == null ? null : FarRegistry.find(array);
        if (far == null)
        {
            array[index] = value;
            return;
        }
        far.storeFloat(index, value);
    }

    /**
     * {@code daload}.
     *
     * @param array the array.
     * @param index the index.
     * @return the element.
     */
    public static double daload(final double[] array, final int index)
    {
        if (array != null && index >= 0 && index < array.length)
        {
            return array[index];
        }
        return daloadSlow(array, index);
    }

    /**
     * {@code dastore}.
     *
     * @param array the array.
     * @param index the index.
     * @param value the value.
     */
    public static void dastore(final double[] array, final int index, final double value)
    {
        if (array != null && index >= 0 && index < array.length)
        {
            array[index] = value;
            return;
        }
        dastoreSlow(array, index, value);
    }

    private static double daloadSlow(final double[] array, final int index)
    {
        final FarArray far = array == null ? null : FarRegistry.find(array);
        if (far == null)
        {
            return array[index];
        }
        return far.loadDouble(index);
    }

    private static void dastoreSlow(final double[] array, final int index, final double value)
    {
        final FarArray far = array == null ? null : FarRegistry.find(array);
        if (far == null)
        {
            array[index] = value;
            return;
        }
        far.storeDouble(index, value);
    }

    /**
     * {@code saload}.
     *
     * @param array the array.
     * @param index the index.
     * @return the element.
     */
    public static short saload(final short[] array, final int index)
    {
        if (array != null && index >= 0 && index < array.length)
        {
            return array[index];
        }
        return saloadSlow(array, index);
    }

    /**
     * {@code sastore}.
     *
     * @param array the array.
     * @param index the index.
     * @param value the value.
     */
    public static void sastore(final short[] array, final int index, final int value)
    {
        if (array != null && index >= 0 && index < array.length)
        {
            array[index] = (short)value;
            return;
        }
        sastoreSlow(array, index, value);
    }

    private static short saloadSlow(final short[] array, final int index)
    {
        final FarArray far = array == null ? null : FarRegistry.find(array);
        if (far == null)
        {
            return array[index];
        }
        return far.loadShort(index);
    }

    private static void sastoreSlow(final short[] array, final int index, final int value)
    {
        final FarArray far = array == null ? null : FarRegistry.find(array);
        if (far == null)
        {
            array[index] = (short)value;
            return;
        }
        far.storeShort(index, (short)value);
    }

    /**
     * {@code caload}.
     *
     * @param array the array.
     * @param index the index.
     * @return the element.
     */
    public static char caload(final char[] array, final int index)
    {
        if (array != null && index >= 0 && index < array.length)
        {
            return array[index];
        }
        return caloadSlow(array, index);
    }

    /**
     * {@code castore}.
     *
     * @param array the array.
     * @param index the index.
     * @param value the value.
     */
    public static void castore(final char[] array, final int index, final int value)
    {
        if (array != null && index >= 0 && index < array.length)
        {
            array[index] = (char)value;
            return;
        }
        castoreSlow(array, index, value);
    }

    private static char caloadSlow(final char[] array, final int index)
    {
        final FarArray far = array == null ? null : FarRegistry.find(array);
        if (far == null)
        {
            return array[index];
        }
        return (char)far.loadShort(index);
    }

    private static void castoreSlow(final char[] array, final int index, final int value)
    {
        final FarArray far = array == null ? null : FarRegistry.find(array);
        if (far == null)
        {
            array[index] = (char)value;
            return;
        }
        far.storeShort(index, (short)value);
    }

    /**
     * {@code baload} on a {@code byte[]} or a {@code boolean[]} (the same instruction serves both).
     *
     * @param array the array.
     * @param index the index.
     * @return the element, a boolean as 0 or 1.
     */
    public static byte baload(final Object array, final int index)
    {
        if (array instanceof byte[])
        {
            final byte[] bytes = (byte[])array;
            if (index >= 0 && index < bytes.length)
            {
                return bytes[index];
            }
        }
        else if (array instanceof boolean[])
        {
            final boolean[] booleans = (boolean[])array;
            if (index >= 0 && index < booleans.length)
            {
                return booleans[index] ? (byte)1 : (byte)0;
            }
        }
        return baloadSlow(array, index);
    }

    /**
     * {@code bastore} on a {@code byte[]} (stores the low 8 bits) or a {@code boolean[]} (stores the low bit).
     *
     * @param array the array.
     * @param index the index.
     * @param value the value.
     */
    public static void bastore(final Object array, final int index, final int value)
    {
        if (array instanceof byte[])
        {
            final byte[] bytes = (byte[])array;
            if (index >= 0 && index < bytes.length)
            {
                bytes[index] = (byte)value;
                return;
            }
        }
        else if (array instanceof boolean[])
        {
            final boolean[] booleans = (boolean[])array;
            if (index >= 0 && index < booleans.length)
            {
                booleans[index] = (value & 1) != 0;
                return;
            }
        }
        bastoreSlow(array, index, value);
    }

    /**
     * {@code arraylength} of any array.
     *
     * @param array the array.
     * @return its length, the far length for a far array.
     */
    public static int arraylength(final Object array)
    {
        if (array == null)
        {
            return nullLength((int[])array);
        }
        final int length = Array.getLength(array);
        return length != 0 ? length : lengthOfEmpty(array);
    }

    private static int nullLength(final int[] array)
    {
        return array.length;
    }

    private static int lengthOfEmpty(final Object array)
    {
        if (array instanceof Object[])
        {
            return 0;
        }
        final FarArray far = FarRegistry.find(array);
        return far == null ? 0 : far.length();
    }

    private static byte baloadSlow(final Object array, final int index)
    {
        final FarArray far = array == null ? null : FarRegistry.find(array);
        if (far == null)
        {
            if (array instanceof boolean[])
            {
                return ((boolean[])array)[index] ? (byte)1 : (byte)0;
            }
            return ((byte[])array)[index];
        }
        return far.loadByte(index);
    }

    private static void bastoreSlow(final Object array, final int index, final int value)
    {
        final FarArray far = array == null ? null : FarRegistry.find(array);
        if (far == null)
        {
            if (array instanceof boolean[])
            {
                ((boolean[])array)[index] = (value & 1) != 0;
                return;
            }
            ((byte[])array)[index] = (byte)value;
            return;
        }
        far.storeByte(index, array instanceof boolean[] ? (byte)(value & 1) : (byte)value);
    }
}
