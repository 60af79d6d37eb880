package io.splitheap.agent.runtime;

import io.splitheap.agent.excache.ElementType;
import io.splitheap.agent.excache.FarArray;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Methods of {@code java.util.Arrays} that rewritten code calls on primitive arrays, for far arrays in bounded local
 * memory. A call whose arrays are all on the heap (or far arrays already moved to the heap) goes to the JDK. With a
 * far array, the work goes through heap buffers of {@link #BLOCK} elements, so a far array larger than the heap can
 * be filled, copied, compared and hashed without being moved to the heap. The rewriter redirects every call to
 * {@code java.util.Arrays} whose name and descriptor this class declares; the others (binarySearch, stream,
 * setAll, mismatch, compare, toString...) still move a far array to the heap at the boundary.
 */
public final class FarJdkArrays
{
    static final int BLOCK = 1 << 12;

    private FarJdkArrays()
    {
    }

    /**
     * {@code Arrays.fill}.
     *
     * @param array the array.
     * @param value the value.
     */
    public static void fill(final boolean[] array, final boolean value)
    {
        if (!isFar(array))
        {
            Arrays.fill((boolean[])heapOf(array), value);
            return;
        }
        fillFar(array, 0, FarArrays.length(array), block -> Arrays.fill((boolean[])block, value));
    }

    /**
     * {@code Arrays.fill} of a range.
     *
     * @param array the array.
     * @param from  first index.
     * @param to    index after the last.
     * @param value the value.
     */
    public static void fill(final boolean[] array, final int from, final int to, final boolean value)
    {
        if (!isFar(array))
        {
            Arrays.fill((boolean[])heapOf(array), from, to, value);
            return;
        }
        fillFar(array, from, to, block -> Arrays.fill((boolean[])block, value));
    }

    /**
     * {@code Arrays.copyOf}.
     *
     * @param array  the array.
     * @param length the copy's length.
     * @return the copy.
     */
    public static boolean[] copyOf(final boolean[] array, final int length)
    {
        return isFar(array) ? (boolean[])copyFar(array, 0, length, false) :
            Arrays.copyOf((boolean[])heapOf(array), length);
    }

    /**
     * {@code Arrays.copyOfRange}.
     *
     * @param array the array.
     * @param from  first index copied.
     * @param to    index after the last copied (may be past the end).
     * @return the copy.
     */
    public static boolean[] copyOfRange(final boolean[] array, final int from, final int to)
    {
        return isFar(array) ? (boolean[])copyFar(array, from, to, true) :
            Arrays.copyOfRange((boolean[])heapOf(array), from, to);
    }

    /**
     * {@code Arrays.equals}.
     *
     * @param a an array.
     * @param b another.
     * @return whether they hold the same elements.
     */
    public static boolean equals(final boolean[] a, final boolean[] b)
    {
        return isFar(a) || isFar(b) ? equalsFar(a, b) : Arrays.equals((boolean[])heapOf(a), (boolean[])heapOf(b));
    }

    /**
     * {@code Arrays.hashCode}.
     *
     * @param array the array.
     * @return its content hash.
     */
    public static int hashCode(final boolean[] array)
    {
        return isFar(array) ? hashFar(array) : Arrays.hashCode((boolean[])heapOf(array));
    }

    /**
     * {@code Arrays.fill}.
     *
     * @param array the array.
     * @param value the value.
     */
    public static void fill(final byte[] array, final byte value)
    {
        if (!isFar(array))
        {
            Arrays.fill((byte[])heapOf(array), value);
            return;
        }
        fillFar(array, 0, FarArrays.length(array), block -> Arrays.fill((byte[])block, value));
    }

    /**
     * {@code Arrays.fill} of a range.
     *
     * @param array the array.
     * @param from  first index.
     * @param to    index after the last.
     * @param value the value.
     */
    public static void fill(final byte[] array, final int from, final int to, final byte value)
    {
        if (!isFar(array))
        {
            Arrays.fill((byte[])heapOf(array), from, to, value);
            return;
        }
        fillFar(array, from, to, block -> Arrays.fill((byte[])block, value));
    }

    /**
     * {@code Arrays.copyOf}.
     *
     * @param array  the array.
     * @param length the copy's length.
     * @return the copy.
     */
    public static byte[] copyOf(final byte[] array, final int length)
    {
        return isFar(array) ? (byte[])copyFar(array, 0, length, false) :
            Arrays.copyOf((byte[])heapOf(array), length);
    }

    /**
     * {@code Arrays.copyOfRange}.
     *
     * @param array the array.
     * @param from  first index copied.
     * @param to    index after the last copied (may be past the end).
     * @return the copy.
     */
    public static byte[] copyOfRange(final byte[] array, final int from, final int to)
    {
        return isFar(array) ? (byte[])copyFar(array, from, to, true) :
            Arrays.copyOfRange((byte[])heapOf(array), from, to);
    }

    /**
     * {@code Arrays.equals}.
     *
     * @param a an array.
     * @param b another.
     * @return whether they hold the same elements.
     */
    public static boolean equals(final byte[] a, final byte[] b)
    {
        return isFar(a) || isFar(b) ? equalsFar(a, b) : Arrays.equals((byte[])heapOf(a), (byte[])heapOf(b));
    }

    /**
     * {@code Arrays.hashCode}.
     *
     * @param array the array.
     * @return its content hash.
     */
    public static int hashCode(final byte[] array)
    {
        return isFar(array) ? hashFar(array) : Arrays.hashCode((byte[])heapOf(array));
    }

    /**
     * {@code Arrays.fill}.
     *
     * @param array the array.
     * @param value the value.
     */
    public static void fill(final char[] array, final char value)
    {
        if (!isFar(array))
        {
            Arrays.fill((char[])heapOf(array), value);
            return;
        }
        fillFar(array, 0, FarArrays.length(array), block -> Arrays.fill((char[])block, value));
    }

    /**
     * {@code Arrays.fill} of a range.
     *
     * @param array the array.
     * @param from  first index.
     * @param to    index after the last.
     * @param value the value.
     */
    public static void fill(final char[] array, final int from, final int to, final char value)
    {
        if (!isFar(array))
        {
            Arrays.fill((char[])heapOf(array), from, to, value);
            return;
        }
        fillFar(array, from, to, block -> Arrays.fill((char[])block, value));
    }

    /**
     * {@code Arrays.copyOf}.
     *
     * @param array  the array.
     * @param length the copy's length.
     * @return the copy.
     */
    public static char[] copyOf(final char[] array, final int length)
    {
        return isFar(array) ? (char[])copyFar(array, 0, length, false) :
            Arrays.copyOf((char[])heapOf(array), length);
    }

    /**
     * {@code Arrays.copyOfRange}.
     *
     * @param array the array.
     * @param from  first index copied.
     * @param to    index after the last copied (may be past the end).
     * @return the copy.
     */
    public static char[] copyOfRange(final char[] array, final int from, final int to)
    {
        return isFar(array) ? (char[])copyFar(array, from, to, true) :
            Arrays.copyOfRange((char[])heapOf(array), from, to);
    }

    /**
     * {@code Arrays.equals}.
     *
     * @param a an array.
     * @param b another.
     * @return whether they hold the same elements.
     */
    public static boolean equals(final char[] a, final char[] b)
    {
        return isFar(a) || isFar(b) ? equalsFar(a, b) : Arrays.equals((char[])heapOf(a), (char[])heapOf(b));
    }

    /**
     * {@code Arrays.hashCode}.
     *
     * @param array the array.
     * @return its content hash.
     */
    public static int hashCode(final char[] array)
    {
        return isFar(array) ? hashFar(array) : Arrays.hashCode((char[])heapOf(array));
    }

    /**
     * {@code Arrays.fill}.
     *
     * @param array the array.
     * @param value the value.
     */
    public static void fill(final short[] array, final short value)
    {
        if (!isFar(array))
        {
            Arrays.fill((short[])heapOf(array), value);
            return;
        }
        fillFar(array, 0, FarArrays.length(array), block -> Arrays.fill((short[])block, value));
    }

    /**
     * {@code Arrays.fill} of a range.
     *
     * @param array the array.
     * @param from  first index.
     * @param to    index after the last.
     * @param value the value.
     */
    public static void fill(final short[] array, final int from, final int to, final short value)
    {
        if (!isFar(array))
        {
            Arrays.fill((short[])heapOf(array), from, to, value);
            return;
        }
        fillFar(array, from, to, block -> Arrays.fill((short[])block, value));
    }

    /**
     * {@code Arrays.copyOf}.
     *
     * @param array  the array.
     * @param length the copy's length.
     * @return the copy.
     */
    public static short[] copyOf(final short[] array, final int length)
    {
        return isFar(array) ? (short[])copyFar(array, 0, length, false) :
            Arrays.copyOf((short[])heapOf(array), length);
    }

    /**
     * {@code Arrays.copyOfRange}.
     *
     * @param array the array.
     * @param from  first index copied.
     * @param to    index after the last copied (may be past the end).
     * @return the copy.
     */
    public static short[] copyOfRange(final short[] array, final int from, final int to)
    {
        return isFar(array) ? (short[])copyFar(array, from, to, true) :
            Arrays.copyOfRange((short[])heapOf(array), from, to);
    }

    /**
     * {@code Arrays.equals}.
     *
     * @param a an array.
     * @param b another.
     * @return whether they hold the same elements.
     */
    public static boolean equals(final short[] a, final short[] b)
    {
        return isFar(a) || isFar(b) ? equalsFar(a, b) : Arrays.equals((short[])heapOf(a), (short[])heapOf(b));
    }

    /**
     * {@code Arrays.hashCode}.
     *
     * @param array the array.
     * @return its content hash.
     */
    public static int hashCode(final short[] array)
    {
        return isFar(array) ? hashFar(array) : Arrays.hashCode((short[])heapOf(array));
    }

    /**
     * {@code Arrays.fill}.
     *
     * @param array the array.
     * @param value the value.
     */
    public static void fill(final int[] array, final int value)
    {
        if (!isFar(array))
        {
            Arrays.fill((int[])heapOf(array), value);
            return;
        }
        fillFar(array, 0, FarArrays.length(array), block -> Arrays.fill((int[])block, value));
    }

    /**
     * {@code Arrays.fill} of a range.
     *
     * @param array the array.
     * @param from  first index.
     * @param to    index after the last.
     * @param value the value.
     */
    public static void fill(final int[] array, final int from, final int to, final int value)
    {
        if (!isFar(array))
        {
            Arrays.fill((int[])heapOf(array), from, to, value);
            return;
        }
        fillFar(array, from, to, block -> Arrays.fill((int[])block, value));
    }

    /**
     * {@code Arrays.copyOf}.
     *
     * @param array  the array.
     * @param length the copy's length.
     * @return the copy.
     */
    public static int[] copyOf(final int[] array, final int length)
    {
        return isFar(array) ? (int[])copyFar(array, 0, length, false) :
            Arrays.copyOf((int[])heapOf(array), length);
    }

    /**
     * {@code Arrays.copyOfRange}.
     *
     * @param array the array.
     * @param from  first index copied.
     * @param to    index after the last copied (may be past the end).
     * @return the copy.
     */
    public static int[] copyOfRange(final int[] array, final int from, final int to)
    {
        return isFar(array) ? (int[])copyFar(array, from, to, true) :
            Arrays.copyOfRange((int[])heapOf(array), from, to);
    }

    /**
     * {@code Arrays.equals}.
     *
     * @param a an array.
     * @param b another.
     * @return whether they hold the same elements.
     */
    public static boolean equals(final int[] a, final int[] b)
    {
        return isFar(a) || isFar(b) ? equalsFar(a, b) : Arrays.equals((int[])heapOf(a), (int[])heapOf(b));
    }

    /**
     * {@code Arrays.hashCode}.
     *
     * @param array the array.
     * @return its content hash.
     */
    public static int hashCode(final int[] array)
    {
        return isFar(array) ? hashFar(array) : Arrays.hashCode((int[])heapOf(array));
    }

    /**
     * {@code Arrays.fill}.
     *
     * @param array the array.
     * @param value the value.
     */
    public static void fill(final float[] array, final float value)
    {
        if (!isFar(array))
        {
            Arrays.fill((float[])heapOf(array), value);
            return;
        }
        fillFar(array, 0, FarArrays.length(array), block -> Arrays.fill((float[])block, value));
    }

    /**
     * {@code Arrays.fill} of a range.
     *
     * @param array the array.
     * @param from  first index.
     * @param to    index after the last.
     * @param value the value.
     */
    public static void fill(final float[] array, final int from, final int to, final float value)
    {
        if (!isFar(array))
        {
            Arrays.fill((float[])heapOf(array), from, to, value);
            return;
        }
        fillFar(array, from, to, block -> Arrays.fill((float[])block, value));
    }

    /**
     * {@code Arrays.copyOf}.
     *
     * @param array  the array.
     * @param length the copy's length.
     * @return the copy.
     */
    public static float[] copyOf(final float[] array, final int length)
    {
        return isFar(array) ? (float[])copyFar(array, 0, length, false) :
            Arrays.copyOf((float[])heapOf(array), length);
    }

    /**
     * {@code Arrays.copyOfRange}.
     *
     * @param array the array.
     * @param from  first index copied.
     * @param to    index after the last copied (may be past the end).
     * @return the copy.
     */
    public static float[] copyOfRange(final float[] array, final int from, final int to)
    {
        return isFar(array) ? (float[])copyFar(array, from, to, true) :
            Arrays.copyOfRange((float[])heapOf(array), from, to);
    }

    /**
     * {@code Arrays.equals}.
     *
     * @param a an array.
     * @param b another.
     * @return whether they hold the same elements.
     */
    public static boolean equals(final float[] a, final float[] b)
    {
        return isFar(a) || isFar(b) ? equalsFar(a, b) : Arrays.equals((float[])heapOf(a), (float[])heapOf(b));
    }

    /**
     * {@code Arrays.hashCode}.
     *
     * @param array the array.
     * @return its content hash.
     */
    public static int hashCode(final float[] array)
    {
        return isFar(array) ? hashFar(array) : Arrays.hashCode((float[])heapOf(array));
    }

    /**
     * {@code Arrays.fill}.
     *
     * @param array the array.
     * @param value the value.
     */
    public static void fill(final long[] array, final long value)
    {
        if (!isFar(array))
        {
            Arrays.fill((long[])heapOf(array), value);
            return;
        }
        fillFar(array, 0, FarArrays.length(array), block -> Arrays.fill((long[])block, value));
    }

    /**
     * {@code Arrays.fill} of a range.
     *
     * @param array the array.
     * @param from  first index.
     * @param to    index after the last.
     * @param value the value.
     */
    public static void fill(final long[] array, final int from, final int to, final long value)
    {
        if (!isFar(array))
        {
            Arrays.fill((long[])heapOf(array), from, to, value);
            return;
        }
        fillFar(array, from, to, block -> Arrays.fill((long[])block, value));
    }

    /**
     * {@code Arrays.copyOf}.
     *
     * @param array  the array.
     * @param length the copy's length.
     * @return the copy.
     */
    public static long[] copyOf(final long[] array, final int length)
    {
        return isFar(array) ? (long[])copyFar(array, 0, length, false) :
            Arrays.copyOf((long[])heapOf(array), length);
    }

    /**
     * {@code Arrays.copyOfRange}.
     *
     * @param array the array.
     * @param from  first index copied.
     * @param to    index after the last copied (may be past the end).
     * @return the copy.
     */
    public static long[] copyOfRange(final long[] array, final int from, final int to)
    {
        return isFar(array) ? (long[])copyFar(array, from, to, true) :
            Arrays.copyOfRange((long[])heapOf(array), from, to);
    }

    /**
     * {@code Arrays.equals}.
     *
     * @param a an array.
     * @param b another.
     * @return whether they hold the same elements.
     */
    public static boolean equals(final long[] a, final long[] b)
    {
        return isFar(a) || isFar(b) ? equalsFar(a, b) : Arrays.equals((long[])heapOf(a), (long[])heapOf(b));
    }

    /**
     * {@code Arrays.hashCode}.
     *
     * @param array the array.
     * @return its content hash.
     */
    public static int hashCode(final long[] array)
    {
        return isFar(array) ? hashFar(array) : Arrays.hashCode((long[])heapOf(array));
    }

    /**
     * {@code Arrays.fill}.
     *
     * @param array the array.
     * @param value the value.
     */
    public static void fill(final double[] array, final double value)
    {
        if (!isFar(array))
        {
            Arrays.fill((double[])heapOf(array), value);
            return;
        }
        fillFar(array, 0, FarArrays.length(array), block -> Arrays.fill((double[])block, value));
    }

    /**
     * {@code Arrays.fill} of a range.
     *
     * @param array the array.
     * @param from  first index.
     * @param to    index after the last.
     * @param value the value.
     */
    public static void fill(final double[] array, final int from, final int to, final double value)
    {
        if (!isFar(array))
        {
            Arrays.fill((double[])heapOf(array), from, to, value);
            return;
        }
        fillFar(array, from, to, block -> Arrays.fill((double[])block, value));
    }

    /**
     * {@code Arrays.copyOf}.
     *
     * @param array  the array.
     * @param length the copy's length.
     * @return the copy.
     */
    public static double[] copyOf(final double[] array, final int length)
    {
        return isFar(array) ? (double[])copyFar(array, 0, length, false) :
            Arrays.copyOf((double[])heapOf(array), length);
    }

    /**
     * {@code Arrays.copyOfRange}.
     *
     * @param array the array.
     * @param from  first index copied.
     * @param to    index after the last copied (may be past the end).
     * @return the copy.
     */
    public static double[] copyOfRange(final double[] array, final int from, final int to)
    {
        return isFar(array) ? (double[])copyFar(array, from, to, true) :
            Arrays.copyOfRange((double[])heapOf(array), from, to);
    }

    /**
     * {@code Arrays.equals}.
     *
     * @param a an array.
     * @param b another.
     * @return whether they hold the same elements.
     */
    public static boolean equals(final double[] a, final double[] b)
    {
        return isFar(a) || isFar(b) ? equalsFar(a, b) : Arrays.equals((double[])heapOf(a), (double[])heapOf(b));
    }

    /**
     * {@code Arrays.hashCode}.
     *
     * @param array the array.
     * @return its content hash.
     */
    public static int hashCode(final double[] array)
    {
        return isFar(array) ? hashFar(array) : Arrays.hashCode((double[])heapOf(array));
    }

    private static boolean isFar(final Object array)
    {
        final FarArray far = FarArrays.far(array);
        return far != null && far.backing() == null;
    }

    private static Object heapOf(final Object array)
    {
        final FarArray far = FarArrays.far(array);
        return far == null ? array : far.backing();
    }

    private static void fillFar(final Object array, final int from, final int to, final Consumer<Object> fillBlock)
    {
        FarSort.rangeCheck(FarArrays.length(array), from, to);
        final Object block = ElementType.of(array).newHeapArray(Math.min(BLOCK, to - from));
        fillBlock.accept(block);
        for (int start = from; start < to; start += BLOCK)
        {
            FarArrays.arraycopy(block, 0, array, start, Math.min(BLOCK, to - start));
        }
    }

    private static Object copyFar(final Object array, final int from, final int to, final boolean range)
    {
        final FarArray far = FarArrays.far(array);
        final int newLength = to - from;
        if (range && newLength < 0)
        {
            throw new IllegalArgumentException(from + " > " + to);
        }
        final Object copy = FarAlloc.newArray(far.type(), newLength, far.site());
        FarArrays.arraycopy(array, from, copy, 0, Math.min(far.length() - from, newLength));
        return copy;
    }

    private static boolean equalsFar(final Object a, final Object b)
    {
        if (a == b)
        {
            return true;
        }
        if (a == null || b == null)
        {
            return false;
        }
        final int length = FarArrays.length(a);
        if (FarArrays.length(b) != length)
        {
            return false;
        }
        final ElementType type = ElementType.of(a);
        final Object x = type.newHeapArray(Math.min(BLOCK, length));
        final Object y = type.newHeapArray(Math.min(BLOCK, length));
        for (int start = 0; start < length; start += BLOCK)
        {
            final int count = Math.min(BLOCK, length - start);
            FarArrays.arraycopy(a, start, x, 0, count);
            FarArrays.arraycopy(b, start, y, 0, count);
            if (!blockEquals(type, x, y, count))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean blockEquals(final ElementType type, final Object x, final Object y, final int count)
    {
        switch (type)
        {
            case BOOLEAN:
                return Arrays.equals((boolean[])x, 0, count, (boolean[])y, 0, count);
            case BYTE:
                return Arrays.equals((byte[])x, 0, count, (byte[])y, 0, count);
            case CHAR:
                return Arrays.equals((char[])x, 0, count, (char[])y, 0, count);
            case SHORT:
                return Arrays.equals((short[])x, 0, count, (short[])y, 0, count);
            case INT:
                return Arrays.equals((int[])x, 0, count, (int[])y, 0, count);
            case FLOAT:
                return Arrays.equals((float[])x, 0, count, (float[])y, 0, count);
            case LONG:
                return Arrays.equals((long[])x, 0, count, (long[])y, 0, count);
            default:
                return Arrays.equals((double[])x, 0, count, (double[])y, 0, count);
        }
    }

    private static int hashFar(final Object array)
    {
        final int length = FarArrays.length(array);
        final ElementType type = ElementType.of(array);
        final Object block = type.newHeapArray(Math.min(BLOCK, length));
        int result = 1;
        for (int start = 0; start < length; start += BLOCK)
        {
            final int count = Math.min(BLOCK, length - start);
            FarArrays.arraycopy(array, start, block, 0, count);
            for (int i = 0; i < count; i++)
            {
                result = 31 * result + elementHash(type, block, i);
            }
        }
        return result;
    }

    private static int elementHash(final ElementType type, final Object block, final int i)
    {
        switch (type)
        {
            case BOOLEAN:
                return Boolean.hashCode(((boolean[])block)[i]);
            case BYTE:
                return ((byte[])block)[i];
            case CHAR:
                return ((char[])block)[i];
            case SHORT:
                return ((short[])block)[i];
            case INT:
                return ((int[])block)[i];
            case FLOAT:
                return Float.hashCode(((float[])block)[i]);
            case LONG:
                return Long.hashCode(((long[])block)[i]);
            default:
                return Double.hashCode(((double[])block)[i]);
        }
    }
}
