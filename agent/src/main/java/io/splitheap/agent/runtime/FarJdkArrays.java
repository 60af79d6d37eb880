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
 * {@code java.util.Arrays} whose name and descriptor this class declares: fill, copyOf, copyOfRange, equals,
 * hashCode, sort (through {@link FarSort}), binarySearch, mismatch, toString, and setAll and stream of int, long and
 * double arrays (a stream over a {@link FarSpliterators} spliterator, as the JDK's is over its own).
 * {@link FarArrayComparisons} has compare and the ranges of equals and mismatch, {@link FarParallelArrays} the
 * parallel operations and spliterators.
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

    /**
     * {@code Arrays.binarySearch}.
     *
     * @param array the sorted array.
     * @param key   the value searched.
     * @return its index, or {@code -(insertion point) - 1}.
     */
    public static int binarySearch(final byte[] array, final byte key)
    {
        return isFar(array) ? search(array, 0, FarArrays.length(array), key) :
            Arrays.binarySearch((byte[])heapOf(array), key);
    }

    /**
     * {@code Arrays.binarySearch} of a range.
     *
     * @param array the array, sorted in the range.
     * @param from  first index searched.
     * @param to    index after the last searched.
     * @param key   the value searched.
     * @return its index, or {@code -(insertion point) - 1}.
     */
    public static int binarySearch(final byte[] array, final int from, final int to, final byte key)
    {
        if (!isFar(array))
        {
            return Arrays.binarySearch((byte[])heapOf(array), from, to, key);
        }
        FarSort.rangeCheck(FarArrays.length(array), from, to);
        return search(array, from, to, key);
    }

    private static int search(final byte[] array, final int from, final int to, final byte key)
    {
        int low = from;
        int high = to - 1;
        while (low <= high)
        {
            final int middle = (low + high) >>> 1;
            final byte value = FarAccess.baload(array, middle);
            if (value < key)
            {
                low = middle + 1;
            }
            else if (value > key)
            {
                high = middle - 1;
            }
            else
            {
                return middle;
            }
        }
        return -(low + 1);
    }

    /**
     * {@code Arrays.mismatch}.
     *
     * @param a an array.
     * @param b another.
     * @return the first index where they differ, or -1.
     */
    public static int mismatch(final byte[] a, final byte[] b)
    {
        return isFar(a) || isFar(b) ? mismatchFar(a, b) : Arrays.mismatch((byte[])heapOf(a), (byte[])heapOf(b));
    }

    /**
     * {@code Arrays.toString}.
     *
     * @param array the array.
     * @return its elements as the JDK formats them.
     */
    public static String toString(final byte[] array)
    {
        return isFar(array) ? toStringFar(array) : Arrays.toString((byte[])heapOf(array));
    }

    /**
     * {@code Arrays.binarySearch}.
     *
     * @param array the sorted array.
     * @param key   the value searched.
     * @return its index, or {@code -(insertion point) - 1}.
     */
    public static int binarySearch(final char[] array, final char key)
    {
        return isFar(array) ? search(array, 0, FarArrays.length(array), key) :
            Arrays.binarySearch((char[])heapOf(array), key);
    }

    /**
     * {@code Arrays.binarySearch} of a range.
     *
     * @param array the array, sorted in the range.
     * @param from  first index searched.
     * @param to    index after the last searched.
     * @param key   the value searched.
     * @return its index, or {@code -(insertion point) - 1}.
     */
    public static int binarySearch(final char[] array, final int from, final int to, final char key)
    {
        if (!isFar(array))
        {
            return Arrays.binarySearch((char[])heapOf(array), from, to, key);
        }
        FarSort.rangeCheck(FarArrays.length(array), from, to);
        return search(array, from, to, key);
    }

    private static int search(final char[] array, final int from, final int to, final char key)
    {
        int low = from;
        int high = to - 1;
        while (low <= high)
        {
            final int middle = (low + high) >>> 1;
            final char value = FarAccess.caload(array, middle);
            if (value < key)
            {
                low = middle + 1;
            }
            else if (value > key)
            {
                high = middle - 1;
            }
            else
            {
                return middle;
            }
        }
        return -(low + 1);
    }

    /**
     * {@code Arrays.mismatch}.
     *
     * @param a an array.
     * @param b another.
     * @return the first index where they differ, or -1.
     */
    public static int mismatch(final char[] a, final char[] b)
    {
        return isFar(a) || isFar(b) ? mismatchFar(a, b) : Arrays.mismatch((char[])heapOf(a), (char[])heapOf(b));
    }

    /**
     * {@code Arrays.toString}.
     *
     * @param array the array.
     * @return its elements as the JDK formats them.
     */
    public static String toString(final char[] array)
    {
        return isFar(array) ? toStringFar(array) : Arrays.toString((char[])heapOf(array));
    }

    /**
     * {@code Arrays.binarySearch}.
     *
     * @param array the sorted array.
     * @param key   the value searched.
     * @return its index, or {@code -(insertion point) - 1}.
     */
    public static int binarySearch(final short[] array, final short key)
    {
        return isFar(array) ? search(array, 0, FarArrays.length(array), key) :
            Arrays.binarySearch((short[])heapOf(array), key);
    }

    /**
     * {@code Arrays.binarySearch} of a range.
     *
     * @param array the array, sorted in the range.
     * @param from  first index searched.
     * @param to    index after the last searched.
     * @param key   the value searched.
     * @return its index, or {@code -(insertion point) - 1}.
     */
    public static int binarySearch(final short[] array, final int from, final int to, final short key)
    {
        if (!isFar(array))
        {
            return Arrays.binarySearch((short[])heapOf(array), from, to, key);
        }
        FarSort.rangeCheck(FarArrays.length(array), from, to);
        return search(array, from, to, key);
    }

    private static int search(final short[] array, final int from, final int to, final short key)
    {
        int low = from;
        int high = to - 1;
        while (low <= high)
        {
            final int middle = (low + high) >>> 1;
            final short value = FarAccess.saload(array, middle);
            if (value < key)
            {
                low = middle + 1;
            }
            else if (value > key)
            {
                high = middle - 1;
            }
            else
            {
                return middle;
            }
        }
        return -(low + 1);
    }

    /**
     * {@code Arrays.mismatch}.
     *
     * @param a an array.
     * @param b another.
     * @return the first index where they differ, or -1.
     */
    public static int mismatch(final short[] a, final short[] b)
    {
        return isFar(a) || isFar(b) ? mismatchFar(a, b) : Arrays.mismatch((short[])heapOf(a), (short[])heapOf(b));
    }

    /**
     * {@code Arrays.toString}.
     *
     * @param array the array.
     * @return its elements as the JDK formats them.
     */
    public static String toString(final short[] array)
    {
        return isFar(array) ? toStringFar(array) : Arrays.toString((short[])heapOf(array));
    }

    /**
     * {@code Arrays.binarySearch}.
     *
     * @param array the sorted array.
     * @param key   the value searched.
     * @return its index, or {@code -(insertion point) - 1}.
     */
    public static int binarySearch(final int[] array, final int key)
    {
        return isFar(array) ? search(array, 0, FarArrays.length(array), key) :
            Arrays.binarySearch((int[])heapOf(array), key);
    }

    /**
     * {@code Arrays.binarySearch} of a range.
     *
     * @param array the array, sorted in the range.
     * @param from  first index searched.
     * @param to    index after the last searched.
     * @param key   the value searched.
     * @return its index, or {@code -(insertion point) - 1}.
     */
    public static int binarySearch(final int[] array, final int from, final int to, final int key)
    {
        if (!isFar(array))
        {
            return Arrays.binarySearch((int[])heapOf(array), from, to, key);
        }
        FarSort.rangeCheck(FarArrays.length(array), from, to);
        return search(array, from, to, key);
    }

    private static int search(final int[] array, final int from, final int to, final int key)
    {
        int low = from;
        int high = to - 1;
        while (low <= high)
        {
            final int middle = (low + high) >>> 1;
            final int value = FarAccess.iaload(array, middle);
            if (value < key)
            {
                low = middle + 1;
            }
            else if (value > key)
            {
                high = middle - 1;
            }
            else
            {
                return middle;
            }
        }
        return -(low + 1);
    }

    /**
     * {@code Arrays.mismatch}.
     *
     * @param a an array.
     * @param b another.
     * @return the first index where they differ, or -1.
     */
    public static int mismatch(final int[] a, final int[] b)
    {
        return isFar(a) || isFar(b) ? mismatchFar(a, b) : Arrays.mismatch((int[])heapOf(a), (int[])heapOf(b));
    }

    /**
     * {@code Arrays.toString}.
     *
     * @param array the array.
     * @return its elements as the JDK formats them.
     */
    public static String toString(final int[] array)
    {
        return isFar(array) ? toStringFar(array) : Arrays.toString((int[])heapOf(array));
    }

    /**
     * {@code Arrays.binarySearch}.
     *
     * @param array the sorted array.
     * @param key   the value searched.
     * @return its index, or {@code -(insertion point) - 1}.
     */
    public static int binarySearch(final long[] array, final long key)
    {
        return isFar(array) ? search(array, 0, FarArrays.length(array), key) :
            Arrays.binarySearch((long[])heapOf(array), key);
    }

    /**
     * {@code Arrays.binarySearch} of a range.
     *
     * @param array the array, sorted in the range.
     * @param from  first index searched.
     * @param to    index after the last searched.
     * @param key   the value searched.
     * @return its index, or {@code -(insertion point) - 1}.
     */
    public static int binarySearch(final long[] array, final int from, final int to, final long key)
    {
        if (!isFar(array))
        {
            return Arrays.binarySearch((long[])heapOf(array), from, to, key);
        }
        FarSort.rangeCheck(FarArrays.length(array), from, to);
        return search(array, from, to, key);
    }

    private static int search(final long[] array, final int from, final int to, final long key)
    {
        int low = from;
        int high = to - 1;
        while (low <= high)
        {
            final int middle = (low + high) >>> 1;
            final long value = FarAccess.laload(array, middle);
            if (value < key)
            {
                low = middle + 1;
            }
            else if (value > key)
            {
                high = middle - 1;
            }
            else
            {
                return middle;
            }
        }
        return -(low + 1);
    }

    /**
     * {@code Arrays.mismatch}.
     *
     * @param a an array.
     * @param b another.
     * @return the first index where they differ, or -1.
     */
    public static int mismatch(final long[] a, final long[] b)
    {
        return isFar(a) || isFar(b) ? mismatchFar(a, b) : Arrays.mismatch((long[])heapOf(a), (long[])heapOf(b));
    }

    /**
     * {@code Arrays.toString}.
     *
     * @param array the array.
     * @return its elements as the JDK formats them.
     */
    public static String toString(final long[] array)
    {
        return isFar(array) ? toStringFar(array) : Arrays.toString((long[])heapOf(array));
    }

    /**
     * {@code Arrays.binarySearch}.
     *
     * @param array the sorted array.
     * @param key   the value searched.
     * @return its index, or {@code -(insertion point) - 1}.
     */
    public static int binarySearch(final float[] array, final float key)
    {
        return isFar(array) ? search(array, 0, FarArrays.length(array), key) :
            Arrays.binarySearch((float[])heapOf(array), key);
    }

    /**
     * {@code Arrays.binarySearch} of a range.
     *
     * @param array the array, sorted in the range.
     * @param from  first index searched.
     * @param to    index after the last searched.
     * @param key   the value searched.
     * @return its index, or {@code -(insertion point) - 1}.
     */
    public static int binarySearch(final float[] array, final int from, final int to, final float key)
    {
        if (!isFar(array))
        {
            return Arrays.binarySearch((float[])heapOf(array), from, to, key);
        }
        FarSort.rangeCheck(FarArrays.length(array), from, to);
        return search(array, from, to, key);
    }

    private static int search(final float[] array, final int from, final int to, final float key)
    {
        int low = from;
        int high = to - 1;
        while (low <= high)
        {
            final int middle = (low + high) >>> 1;
            final float value = FarAccess.faload(array, middle);
            if (value < key)
            {
                low = middle + 1;
            }
            else if (value > key)
            {
                high = middle - 1;
            }
            else
            {
                final int valueBits = Float.floatToIntBits(value);
                final int keyBits = Float.floatToIntBits(key);
                if (valueBits == keyBits)
                {
                    return middle;
                }
                if (valueBits < keyBits)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle - 1;
                }
            }
        }
        return -(low + 1);
    }

    /**
     * {@code Arrays.mismatch}.
     *
     * @param a an array.
     * @param b another.
     * @return the first index where they differ, or -1.
     */
    public static int mismatch(final float[] a, final float[] b)
    {
        return isFar(a) || isFar(b) ? mismatchFar(a, b) : Arrays.mismatch((float[])heapOf(a), (float[])heapOf(b));
    }

    /**
     * {@code Arrays.toString}.
     *
     * @param array the array.
     * @return its elements as the JDK formats them.
     */
    public static String toString(final float[] array)
    {
        return isFar(array) ? toStringFar(array) : Arrays.toString((float[])heapOf(array));
    }

    /**
     * {@code Arrays.binarySearch}.
     *
     * @param array the sorted array.
     * @param key   the value searched.
     * @return its index, or {@code -(insertion point) - 1}.
     */
    public static int binarySearch(final double[] array, final double key)
    {
        return isFar(array) ? search(array, 0, FarArrays.length(array), key) :
            Arrays.binarySearch((double[])heapOf(array), key);
    }

    /**
     * {@code Arrays.binarySearch} of a range.
     *
     * @param array the array, sorted in the range.
     * @param from  first index searched.
     * @param to    index after the last searched.
     * @param key   the value searched.
     * @return its index, or {@code -(insertion point) - 1}.
     */
    public static int binarySearch(final double[] array, final int from, final int to, final double key)
    {
        if (!isFar(array))
        {
            return Arrays.binarySearch((double[])heapOf(array), from, to, key);
        }
        FarSort.rangeCheck(FarArrays.length(array), from, to);
        return search(array, from, to, key);
    }

    private static int search(final double[] array, final int from, final int to, final double key)
    {
        int low = from;
        int high = to - 1;
        while (low <= high)
        {
            final int middle = (low + high) >>> 1;
            final double value = FarAccess.daload(array, middle);
            if (value < key)
            {
                low = middle + 1;
            }
            else if (value > key)
            {
                high = middle - 1;
            }
            else
            {
                final long valueBits = Double.doubleToLongBits(value);
                final long keyBits = Double.doubleToLongBits(key);
                if (valueBits == keyBits)
                {
                    return middle;
                }
                if (valueBits < keyBits)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle - 1;
                }
            }
        }
        return -(low + 1);
    }

    /**
     * {@code Arrays.mismatch}.
     *
     * @param a an array.
     * @param b another.
     * @return the first index where they differ, or -1.
     */
    public static int mismatch(final double[] a, final double[] b)
    {
        return isFar(a) || isFar(b) ? mismatchFar(a, b) : Arrays.mismatch((double[])heapOf(a), (double[])heapOf(b));
    }

    /**
     * {@code Arrays.toString}.
     *
     * @param array the array.
     * @return its elements as the JDK formats them.
     */
    public static String toString(final double[] array)
    {
        return isFar(array) ? toStringFar(array) : Arrays.toString((double[])heapOf(array));
    }

    /**
     * {@code Arrays.toString}.
     *
     * @param array the array.
     * @return its elements as the JDK formats them.
     */
    public static String toString(final boolean[] array)
    {
        return isFar(array) ? toStringFar(array) : Arrays.toString((boolean[])heapOf(array));
    }

    /**
     * {@code Arrays.mismatch}.
     *
     * @param a an array.
     * @param b another.
     * @return the first index where they differ, or -1.
     */
    public static int mismatch(final boolean[] a, final boolean[] b)
    {
        return isFar(a) || isFar(b) ? mismatchFar(a, b) : Arrays.mismatch((boolean[])heapOf(a), (boolean[])heapOf(b));
    }

    /**
     * {@code Arrays.setAll}.
     *
     * @param array     the array.
     * @param generator the value of each index.
     */
    public static void setAll(final int[] array, final java.util.function.IntUnaryOperator generator)
    {
        if (!isFar(array))
        {
            Arrays.setAll((int[])heapOf(array), generator);
            return;
        }
        java.util.Objects.requireNonNull(generator);
        for (int i = 0, length = FarArrays.length(array); i < length; i++)
        {
            FarAccess.iastore(array, i, generator.applyAsInt(i));
        }
    }

    /**
     * {@code Arrays.stream}.
     *
     * @param array the array.
     * @return its elements.
     */
    public static java.util.stream.IntStream stream(final int[] array)
    {
        return isFar(array) ? stream(array, 0, FarArrays.length(array)) : Arrays.stream((int[])heapOf(array));
    }

    /**
     * {@code Arrays.stream} of a range.
     *
     * @param array the array.
     * @param from  first index.
     * @param to    index after the last.
     * @return the range's elements.
     */
    public static java.util.stream.IntStream stream(final int[] array, final int from, final int to)
    {
        if (!isFar(array))
        {
            return Arrays.stream((int[])heapOf(array), from, to);
        }
        return java.util.stream.StreamSupport.intStream(FarSpliterators.of(array, from, to), false);
    }

    /**
     * {@code Arrays.setAll}.
     *
     * @param array     the array.
     * @param generator the value of each index.
     */
    public static void setAll(final long[] array, final java.util.function.IntToLongFunction generator)
    {
        if (!isFar(array))
        {
            Arrays.setAll((long[])heapOf(array), generator);
            return;
        }
        java.util.Objects.requireNonNull(generator);
        for (int i = 0, length = FarArrays.length(array); i < length; i++)
        {
            FarAccess.lastore(array, i, generator.applyAsLong(i));
        }
    }

    /**
     * {@code Arrays.stream}.
     *
     * @param array the array.
     * @return its elements.
     */
    public static java.util.stream.LongStream stream(final long[] array)
    {
        return isFar(array) ? stream(array, 0, FarArrays.length(array)) : Arrays.stream((long[])heapOf(array));
    }

    /**
     * {@code Arrays.stream} of a range.
     *
     * @param array the array.
     * @param from  first index.
     * @param to    index after the last.
     * @return the range's elements.
     */
    public static java.util.stream.LongStream stream(final long[] array, final int from, final int to)
    {
        if (!isFar(array))
        {
            return Arrays.stream((long[])heapOf(array), from, to);
        }
        return java.util.stream.StreamSupport.longStream(FarSpliterators.of(array, from, to), false);
    }

    /**
     * {@code Arrays.setAll}.
     *
     * @param array     the array.
     * @param generator the value of each index.
     */
    public static void setAll(final double[] array, final java.util.function.IntToDoubleFunction generator)
    {
        if (!isFar(array))
        {
            Arrays.setAll((double[])heapOf(array), generator);
            return;
        }
        java.util.Objects.requireNonNull(generator);
        for (int i = 0, length = FarArrays.length(array); i < length; i++)
        {
            FarAccess.dastore(array, i, generator.applyAsDouble(i));
        }
    }

    /**
     * {@code Arrays.stream}.
     *
     * @param array the array.
     * @return its elements.
     */
    public static java.util.stream.DoubleStream stream(final double[] array)
    {
        return isFar(array) ? stream(array, 0, FarArrays.length(array)) : Arrays.stream((double[])heapOf(array));
    }

    /**
     * {@code Arrays.stream} of a range.
     *
     * @param array the array.
     * @param from  first index.
     * @param to    index after the last.
     * @return the range's elements.
     */
    public static java.util.stream.DoubleStream stream(final double[] array, final int from, final int to)
    {
        if (!isFar(array))
        {
            return Arrays.stream((double[])heapOf(array), from, to);
        }
        return java.util.stream.StreamSupport.doubleStream(FarSpliterators.of(array, from, to), false);
    }


    static String toStringFar(final Object array)
    {
        final int length = FarArrays.length(array);
        if (length == 0)
        {
            return "[]";
        }
        final Object block = ElementType.of(array).newHeapArray(Math.min(BLOCK, length));
        final StringBuilder text = new StringBuilder().append('[');
        for (int start = 0; start < length; start += BLOCK)
        {
            final int count = Math.min(BLOCK, length - start);
            FarArrays.arraycopy(array, start, block, 0, count);
            for (int i = 0; i < count; i++)
            {
                if (start + i > 0)
                {
                    text.append(", ");
                }
                text.append(java.lang.reflect.Array.get(block, i));
            }
        }
        return text.append(']').toString();
    }

    private static int mismatchFar(final Object a, final Object b)
    {
        final int lengthA = FarArrays.length(a);
        final int lengthB = FarArrays.length(b);
        final int length = Math.min(lengthA, lengthB);
        final ElementType type = ElementType.of(a);
        final Object x = type.newHeapArray(Math.min(BLOCK, Math.max(1, length)));
        final Object y = type.newHeapArray(Math.min(BLOCK, Math.max(1, length)));
        for (int start = 0; start < length; start += BLOCK)
        {
            final int count = Math.min(BLOCK, length - start);
            FarArrays.arraycopy(a, start, x, 0, count);
            FarArrays.arraycopy(b, start, y, 0, count);
            final int at = blockMismatch(type, x, y, count);
            if (at >= 0)
            {
                return start + at;
            }
        }
        return lengthA == lengthB ? -1 : length;
    }

    static int blockMismatch(final ElementType type, final Object x, final Object y, final int count)
    {
        switch (type)
        {
            case BOOLEAN:
                return Arrays.mismatch((boolean[])x, 0, count, (boolean[])y, 0, count);
            case BYTE:
                return Arrays.mismatch((byte[])x, 0, count, (byte[])y, 0, count);
            case CHAR:
                return Arrays.mismatch((char[])x, 0, count, (char[])y, 0, count);
            case SHORT:
                return Arrays.mismatch((short[])x, 0, count, (short[])y, 0, count);
            case INT:
                return Arrays.mismatch((int[])x, 0, count, (int[])y, 0, count);
            case FLOAT:
                return Arrays.mismatch((float[])x, 0, count, (float[])y, 0, count);
            case LONG:
                return Arrays.mismatch((long[])x, 0, count, (long[])y, 0, count);
            default:
                return Arrays.mismatch((double[])x, 0, count, (double[])y, 0, count);
        }
    }

    static boolean isFar(final Object array)
    {
        final FarArray far = FarArrays.far(array);
        return far != null && far.backing() == null;
    }

    static Object heapOf(final Object array)
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

    static boolean equalsFar(final Object a, final Object b)
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

    static int hashFar(final Object array)
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
