package io.splitheap.agent.runtime;

import io.splitheap.agent.core.FarRegistry;
import io.splitheap.agent.excache.FarArray;

import java.lang.ref.Reference;
import java.lang.reflect.Array;

/**
 * Array element access for rewritten code: every primitive {@code xaload}, {@code xastore} and {@code arraylength}
 * becomes a call to a helper of its own site, which calls the {@code xxxFar} methods here when its fast check fails
 * (see {@code SiteHelpers}), or, in classes that cannot hold such helpers, a call to the shared helpers here. The
 * first test is the JVM's own bounds check, so an ordinary heap array takes the same path as before (the JIT inlines
 * these and removes the duplicate check); a far array's zero-length placeholder fails it and goes to its descriptor.
 * A null array or a bad index of a heap array re-executes the original access, so it throws what the JVM throws.
 * <p>
 * A far access ends with {@link Reference#reachabilityFence}: the descriptor does not keep the placeholder alive (its
 * death is what frees the far range), and compiled code keeps no local alive past its last use, so without the fence
 * an access that is the array's last use could see the array collected and freed while it waits for a miss
 * ({@code ReclaimerTest.shouldKeepAnArrayAliveWhileItsLastAccessWaitsForAMiss}).
 */
public final class FarAccess
{
    /**
     * The memo slot of the shared helpers (see {@link FarRegistry#find(Object, int)}).
     */
    private static final int SHARED_SITE = -1;

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
        return laloadFar(array, index, SHARED_SITE);
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
        lastoreFar(array, index, value, SHARED_SITE);
    }

    /**
     * {@code laload} when the fast check failed: a far array, or a heap array whose access throws.
     *
     * @param array the array.
     * @param index the index.
     * @param site  the access site's number (see {@link FarRegistry#find(Object, int)}).
     * @return the element.
     */
    public static long laloadFar(final long[] array, final int index, final int site)
    {
        final FarArray far = FarRegistry.find(array, site);
        if (far == null)
        {
            HeapChecks.check(array == null ? -1 : array.length, index, "Cannot load from long array");
            return array[index];
        }
        final long value = far.loadLong(index);
        Reference.reachabilityFence(array);
        return value;
    }

    /**
     * {@code lastore} when the fast check failed: a far array, or a heap array whose access throws.
     *
     * @param array the array.
     * @param index the index.
     * @param value the value.
     * @param site  the access site's number (see {@link FarRegistry#find(Object, int)}).
     */
    public static void lastoreFar(final long[] array, final int index, final long value, final int site)
    {
        final FarArray far = FarRegistry.find(array, site);
        if (far == null)
        {
            HeapChecks.check(array == null ? -1 : array.length, index, "Cannot store to long array");
            array[index] = value;
            return;
        }
        far.storeLong(index, value);
        Reference.reachabilityFence(array);
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
        return ialoadFar(array, index, SHARED_SITE);
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
        iastoreFar(array, index, value, SHARED_SITE);
    }

    /**
     * {@code iaload} when the fast check failed: a far array, or a heap array whose access throws.
     *
     * @param array the array.
     * @param index the index.
     * @param site  the access site's number (see {@link FarRegistry#find(Object, int)}).
     * @return the element.
     */
    public static int ialoadFar(final int[] array, final int index, final int site)
    {
        final FarArray far = FarRegistry.find(array, site);
        if (far == null)
        {
            HeapChecks.check(array == null ? -1 : array.length, index, "Cannot load from int array");
            return array[index];
        }
        final int value = far.loadInt(index);
        Reference.reachabilityFence(array);
        return value;
    }

    /**
     * {@code iastore} when the fast check failed: a far array, or a heap array whose access throws.
     *
     * @param array the array.
     * @param index the index.
     * @param value the value.
     * @param site  the access site's number (see {@link FarRegistry#find(Object, int)}).
     */
    public static void iastoreFar(final int[] array, final int index, final int value, final int site)
    {
        final FarArray far = FarRegistry.find(array, site);
        if (far == null)
        {
            HeapChecks.check(array == null ? -1 : array.length, index, "Cannot store to int array");
            array[index] = value;
            return;
        }
        far.storeInt(index, value);
        Reference.reachabilityFence(array);
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
        return faloadFar(array, index, SHARED_SITE);
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
        fastoreFar(array, index, value, SHARED_SITE);
    }

    /**
     * {@code faload} when the fast check failed: a far array, or a heap array whose access throws.
     *
     * @param array the array.
     * @param index the index.
     * @param site  the access site's number (see {@link FarRegistry#find(Object, int)}).
     * @return the element.
     */
    public static float faloadFar(final float[] array, final int index, final int site)
    {
        final FarArray far = FarRegistry.find(array, site);
        if (far == null)
        {
            HeapChecks.check(array == null ? -1 : array.length, index, "Cannot load from float array");
            return array[index];
        }
        final float value = far.loadFloat(index);
        Reference.reachabilityFence(array);
        return value;
    }

    /**
     * {@code fastore} when the fast check failed: a far array, or a heap array whose access throws.
     *
     * @param array the array.
     * @param index the index.
     * @param value the value.
     * @param site  the access site's number (see {@link FarRegistry#find(Object, int)}).
     */
    public static void fastoreFar(final float[] array, final int index, final float value, final int site)
    {
        final FarArray far = FarRegistry.find(array, site);
        if (far == null)
        {
            HeapChecks.check(array == null ? -1 : array.length, index, "Cannot store to float array");
            array[index] = value;
            return;
        }
        far.storeFloat(index, value);
        Reference.reachabilityFence(array);
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
        return daloadFar(array, index, SHARED_SITE);
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
        dastoreFar(array, index, value, SHARED_SITE);
    }

    /**
     * {@code daload} when the fast check failed: a far array, or a heap array whose access throws.
     *
     * @param array the array.
     * @param index the index.
     * @param site  the access site's number (see {@link FarRegistry#find(Object, int)}).
     * @return the element.
     */
    public static double daloadFar(final double[] array, final int index, final int site)
    {
        final FarArray far = FarRegistry.find(array, site);
        if (far == null)
        {
            HeapChecks.check(array == null ? -1 : array.length, index, "Cannot load from double array");
            return array[index];
        }
        final double value = far.loadDouble(index);
        Reference.reachabilityFence(array);
        return value;
    }

    /**
     * {@code dastore} when the fast check failed: a far array, or a heap array whose access throws.
     *
     * @param array the array.
     * @param index the index.
     * @param value the value.
     * @param site  the access site's number (see {@link FarRegistry#find(Object, int)}).
     */
    public static void dastoreFar(final double[] array, final int index, final double value, final int site)
    {
        final FarArray far = FarRegistry.find(array, site);
        if (far == null)
        {
            HeapChecks.check(array == null ? -1 : array.length, index, "Cannot store to double array");
            array[index] = value;
            return;
        }
        far.storeDouble(index, value);
        Reference.reachabilityFence(array);
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
        return saloadFar(array, index, SHARED_SITE);
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
        sastoreFar(array, index, value, SHARED_SITE);
    }

    /**
     * {@code saload} when the fast check failed: a far array, or a heap array whose access throws.
     *
     * @param array the array.
     * @param index the index.
     * @param site  the access site's number (see {@link FarRegistry#find(Object, int)}).
     * @return the element.
     */
    public static short saloadFar(final short[] array, final int index, final int site)
    {
        final FarArray far = FarRegistry.find(array, site);
        if (far == null)
        {
            HeapChecks.check(array == null ? -1 : array.length, index, "Cannot load from short array");
            return array[index];
        }
        final short value = far.loadShort(index);
        Reference.reachabilityFence(array);
        return value;
    }

    /**
     * {@code sastore} when the fast check failed: a far array, or a heap array whose access throws.
     *
     * @param array the array.
     * @param index the index.
     * @param value the value.
     * @param site  the access site's number (see {@link FarRegistry#find(Object, int)}).
     */
    public static void sastoreFar(final short[] array, final int index, final int value, final int site)
    {
        final FarArray far = FarRegistry.find(array, site);
        if (far == null)
        {
            HeapChecks.check(array == null ? -1 : array.length, index, "Cannot store to short array");
            array[index] = (short)value;
            return;
        }
        far.storeShort(index, (short)value);
        Reference.reachabilityFence(array);
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
        return caloadFar(array, index, SHARED_SITE);
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
        castoreFar(array, index, value, SHARED_SITE);
    }

    /**
     * {@code caload} when the fast check failed: a far array, or a heap array whose access throws.
     *
     * @param array the array.
     * @param index the index.
     * @param site  the access site's number (see {@link FarRegistry#find(Object, int)}).
     * @return the element.
     */
    public static char caloadFar(final char[] array, final int index, final int site)
    {
        final FarArray far = FarRegistry.find(array, site);
        if (far == null)
        {
            HeapChecks.check(array == null ? -1 : array.length, index, "Cannot load from char array");
            return array[index];
        }
        final char value = (char)far.loadShort(index);
        Reference.reachabilityFence(array);
        return value;
    }

    /**
     * {@code castore} when the fast check failed: a far array, or a heap array whose access throws.
     *
     * @param array the array.
     * @param index the index.
     * @param value the value.
     * @param site  the access site's number (see {@link FarRegistry#find(Object, int)}).
     */
    public static void castoreFar(final char[] array, final int index, final int value, final int site)
    {
        final FarArray far = FarRegistry.find(array, site);
        if (far == null)
        {
            HeapChecks.check(array == null ? -1 : array.length, index, "Cannot store to char array");
            array[index] = (char)value;
            return;
        }
        far.storeShort(index, (short)value);
        Reference.reachabilityFence(array);
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
        return baloadFar(array, index, SHARED_SITE);
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
        bastoreFar(array, index, value, SHARED_SITE);
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

    /**
     * {@code baload} when the fast check failed: a far array, or a heap array whose access throws.
     *
     * @param array the array.
     * @param index the index.
     * @param site  the access site's number (see {@link FarRegistry#find(Object, int)}).
     * @return the element.
     */
    public static byte baloadFar(final Object array, final int index, final int site)
    {
        final FarArray far = FarRegistry.find(array, site);
        if (far == null)
        {
            HeapChecks.check(array == null ? -1 : Array.getLength(array), index,
                "Cannot load from byte/boolean array");
            if (array instanceof boolean[])
            {
                return ((boolean[])array)[index] ? (byte)1 : (byte)0;
            }
            return ((byte[])array)[index];
        }
        final byte value = far.loadByte(index);
        Reference.reachabilityFence(array);
        return value;
    }

    /**
     * {@code bastore} when the fast check failed: a far array, or a heap array whose access throws.
     *
     * @param array the array.
     * @param index the index.
     * @param value the value.
     * @param site  the access site's number (see {@link FarRegistry#find(Object, int)}).
     */
    public static void bastoreFar(final Object array, final int index, final int value, final int site)
    {
        final FarArray far = FarRegistry.find(array, site);
        if (far == null)
        {
            HeapChecks.check(array == null ? -1 : Array.getLength(array), index,
                "Cannot store to byte/boolean array");
            if (array instanceof boolean[])
            {
                ((boolean[])array)[index] = (value & 1) != 0;
                return;
            }
            ((byte[])array)[index] = (byte)value;
            return;
        }
        far.storeByte(index, array instanceof boolean[] ? (byte)(value & 1) : (byte)value);
        Reference.reachabilityFence(array);
    }
}
