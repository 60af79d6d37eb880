package io.splitheap.agent.runtime;

import io.splitheap.agent.core.FarMemory;
import io.splitheap.agent.core.Sites;
import io.splitheap.agent.excache.ElementType;
import io.splitheap.agent.excache.RuntimeFlags;

import java.lang.reflect.Array;

/**
 * Array allocation for rewritten code: {@code newarray} and {@code multianewarray} become calls here. A primitive
 * array of at least {@code threshold} bytes, from a site not learned as local, is allocated far; anything else is
 * the ordinary heap array. A negative length throws exactly what the JVM throws.
 */
public final class FarAlloc
{
    private static final int MIN_BOOLEAN = minimum(0);
    private static final int MIN_BYTE = minimum(0);
    private static final int MIN_CHAR = minimum(1);
    private static final int MIN_SHORT = minimum(1);
    private static final int MIN_INT = minimum(2);
    private static final int MIN_FLOAT = minimum(2);
    private static final int MIN_LONG = minimum(3);
    private static final int MIN_DOUBLE = minimum(3);

    private FarAlloc()
    {
    }

    /**
     * {@code newarray boolean}.
     *
     * @param length elements.
     * @param site   allocation site id.
     * @return a heap or far array.
     */
    public static boolean[] newBooleanArray(final int length, final int site)
    {
        if (length < MIN_BOOLEAN || Sites.ALLOCATIONS.isLocal(site))
        {
            return new boolean[length];
        }
        return (boolean[])allocate(ElementType.BOOLEAN, length, site);
    }

    /**
     * {@code newarray byte}.
     *
     * @param length elements.
     * @param site   allocation site id.
     * @return a heap or far array.
     */
    public static byte[] newByteArray(final int length, final int site)
    {
        if (length < MIN_BYTE || Sites.ALLOCATIONS.isLocal(site))
        {
            return new byte[length];
        }
        return (byte[])allocate(ElementType.BYTE, length, site);
    }

    /**
     * {@code newarray char}.
     *
     * @param length elements.
     * @param site   allocation site id.
     * @return a heap or far array.
     */
    public static char[] newCharArray(final int length, final int site)
    {
        if (length < MIN_CHAR || Sites.ALLOCATIONS.isLocal(site))
        {
            return new char[length];
        }
        return (char[])allocate(ElementType.CHAR, length, site);
    }

    /**
     * {@code newarray short}.
     *
     * @param length elements.
     * @param site   allocation site id.
     * @return a heap or far array.
     */
    public static short[] newShortArray(final int length, final int site)
    {
        if (length < MIN_SHORT || Sites.ALLOCATIONS.isLocal(site))
        {
            return new short[length];
        }
        return (short[])allocate(ElementType.SHORT, length, site);
    }

    /**
     * {@code newarray int}.
     *
     * @param length elements.
     * @param site   allocation site id.
     * @return a heap or far array.
     */
    public static int[] newIntArray(final int length, final int site)
    {
        if (length < MIN_INT || Sites.ALLOCATIONS.isLocal(site))
        {
            return new int[length];
        }
        return (int[])allocate(ElementType.INT, length, site);
    }

    /**
     * {@code newarray float}.
     *
     * @param length elements.
     * @param site   allocation site id.
     * @return a heap or far array.
     */
    public static float[] newFloatArray(final int length, final int site)
    {
        if (length < MIN_FLOAT || Sites.ALLOCATIONS.isLocal(site))
        {
            return new float[length];
        }
        return (float[])allocate(ElementType.FLOAT, length, site);
    }

    /**
     * {@code newarray long}.
     *
     * @param length elements.
     * @param site   allocation site id.
     * @return a heap or far array.
     */
    public static long[] newLongArray(final int length, final int site)
    {
        if (length < MIN_LONG || Sites.ALLOCATIONS.isLocal(site))
        {
            return new long[length];
        }
        return (long[])allocate(ElementType.LONG, length, site);
    }

    /**
     * {@code newarray double}.
     *
     * @param length elements.
     * @param site   allocation site id.
     * @return a heap or far array.
     */
    public static double[] newDoubleArray(final int length, final int site)
    {
        if (length < MIN_DOUBLE || Sites.ALLOCATIONS.isLocal(site))
        {
            return new double[length];
        }
        return (double[])allocate(ElementType.DOUBLE, length, site);
    }

    /**
     * {@code multianewarray} with two dimensions.
     *
     * @param d0   first dimension.
     * @param d1   second dimension.
     * @param type the array class.
     * @param site allocation site id of the innermost arrays.
     * @return the array.
     */
    public static Object multiNewArray(final int d0, final int d1, final Class<?> type, final int site)
    {
        return multiNewArray(type, new int[]{d0, d1}, site);
    }

    /**
     * {@code multianewarray} with three dimensions.
     *
     * @param d0   first dimension.
     * @param d1   second dimension.
     * @param d2   third dimension.
     * @param type the array class.
     * @param site allocation site id of the innermost arrays.
     * @return the array.
     */
    public static Object multiNewArray(final int d0, final int d1, final int d2, final Class<?> type, final int site)
    {
        return multiNewArray(type, new int[]{d0, d1, d2}, site);
    }

    /**
     * {@code multianewarray} with four dimensions.
     *
     * @param d0   first dimension.
     * @param d1   second dimension.
     * @param d2   third dimension.
     * @param d3   fourth dimension.
     * @param type the array class.
     * @param site allocation site id of the innermost arrays.
     * @return the array.
     */
    public static Object multiNewArray(
        final int d0, final int d1, final int d2, final int d3, final Class<?> type, final int site)
    {
        return multiNewArray(type, new int[]{d0, d1, d2, d3}, site);
    }

    /**
     * Allocates a multi-dimensional array whose innermost primitive arrays may be far.
     *
     * @param type the array class.
     * @param dimensions the given dimensions (possibly fewer than the rank).
     * @param site allocation site id.
     * @return the array.
     */
    public static Object multiNewArray(final Class<?> type, final int[] dimensions, final int site)
    {
        for (final int dimension : dimensions)
        {
            if (dimension < 0)
            {
                throw new NegativeArraySizeException(Integer.toString(dimension));
            }
        }
        return build(type, dimensions, 0, site);
    }

    /**
     * A primitive array of a given element type (used for clones and copies of far arrays).
     *
     * @param type   element type.
     * @param length elements.
     * @param site   allocation site id.
     * @return a heap or far array.
     */
    public static Object newArray(final ElementType type, final int length, final int site)
    {
        if (length < minimum(type.shift()) || Sites.ALLOCATIONS.isLocal(site))
        {
            return type.newHeapArray(length);
        }
        return allocate(type, length, site);
    }

    private static Object build(final Class<?> type, final int[] dimensions, final int level, final int site)
    {
        final Class<?> component = type.getComponentType();
        final int length = dimensions[level];
        if (component.isPrimitive())
        {
            return newArray(ElementType.ofClass(type), length, site);
        }
        final Object array = Array.newInstance(component, length);
        if (level + 1 < dimensions.length)
        {
            final Object[] rows = (Object[])array;
            for (int i = 0; i < length; i++)
            {
                rows[i] = build(component, dimensions, level + 1, site);
            }
        }
        return array;
    }

    private static Object allocate(final ElementType type, final int length, final int site)
    {
        final FarMemory farMemory = FarMemory.current();
        if (farMemory == null)
        {
            return type.newHeapArray(length);
        }
        return farMemory.allocate(type, length, site);
    }

    private static int minimum(final int shift)
    {
        final long elements = (RuntimeFlags.THRESHOLD_BYTES + (1L << shift) - 1) >>> shift;
        return (int)Math.max(1, Math.min(Integer.MAX_VALUE, elements));
    }
}
