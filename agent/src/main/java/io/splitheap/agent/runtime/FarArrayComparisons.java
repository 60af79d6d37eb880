package io.splitheap.agent.runtime;

import io.splitheap.agent.excache.ElementType;

import java.util.Arrays;

/**
 * The rest of {@code java.util.Arrays} for far arrays, in bounded local memory like {@link FarJdkArrays}: the range
 * forms of {@code equals} and {@code mismatch}, {@code compare} and {@code compareUnsigned} (whole and ranges);
 * {@link FarParallelArrays} has {@code parallelPrefix}, {@code parallelSetAll} and {@code spliterator}. Calls whose
 * arrays are all on the heap go to the JDK. With a far array, ranges are compared through heap buffers of {@link FarJdkArrays#BLOCK} elements and
 * the first differing elements are compared by the JDK itself (one-element arrays), so results and exceptions are the
 * JDK's.
 */
public final class FarArrayComparisons
{
    private FarArrayComparisons()
    {
    }

    /**
     * {@code Arrays.equals} of two ranges.
     *
     * @param a     first array.
     * @param aFrom first index in a.
     * @param aTo   index after the last in a.
     * @param b     second array.
     * @param bFrom first index in b.
     * @param bTo   index after the last in b.
     * @return true if the ranges hold the same elements.
     */
    public static boolean equals(final boolean[] a, final int aFrom, final int aTo, final boolean[] b, final int bFrom,
        final int bTo)
    {
        return anyFar(a, b) ? equalsFar(a, aFrom, aTo, b, bFrom, bTo) :
            Arrays.equals((boolean[])heapOf(a), aFrom, aTo, (boolean[])heapOf(b), bFrom, bTo);
    }

    /**
     * {@code Arrays.mismatch} of two ranges.
     *
     * @param a     first array.
     * @param aFrom first index in a.
     * @param aTo   index after the last in a.
     * @param b     second array.
     * @param bFrom first index in b.
     * @param bTo   index after the last in b.
     * @return the relative index of the first difference, or -1.
     */
    public static int mismatch(final boolean[] a, final int aFrom, final int aTo, final boolean[] b, final int bFrom,
        final int bTo)
    {
        return anyFar(a, b) ? mismatchFar(a, aFrom, aTo, b, bFrom, bTo) :
            Arrays.mismatch((boolean[])heapOf(a), aFrom, aTo, (boolean[])heapOf(b), bFrom, bTo);
    }

    /**
     * {@code Arrays.compare}.
     *
     * @param a first array.
     * @param b second array.
     * @return the lexicographic comparison.
     */
    public static int compare(final boolean[] a, final boolean[] b)
    {
        return anyFar(a, b) ? compareFar(a, b, false) : Arrays.compare((boolean[])heapOf(a), (boolean[])heapOf(b));
    }

    /**
     * {@code Arrays.compare} of two ranges.
     *
     * @param a     first array.
     * @param aFrom first index in a.
     * @param aTo   index after the last in a.
     * @param b     second array.
     * @param bFrom first index in b.
     * @param bTo   index after the last in b.
     * @return the lexicographic comparison.
     */
    public static int compare(final boolean[] a, final int aFrom, final int aTo, final boolean[] b, final int bFrom,
        final int bTo)
    {
        return anyFar(a, b) ? compareFar(a, aFrom, aTo, b, bFrom, bTo, false) :
            Arrays.compare((boolean[])heapOf(a), aFrom, aTo, (boolean[])heapOf(b), bFrom, bTo);
    }

    /**
     * {@code Arrays.equals} of two ranges.
     *
     * @param a     first array.
     * @param aFrom first index in a.
     * @param aTo   index after the last in a.
     * @param b     second array.
     * @param bFrom first index in b.
     * @param bTo   index after the last in b.
     * @return true if the ranges hold the same elements.
     */
    public static boolean equals(final byte[] a, final int aFrom, final int aTo, final byte[] b, final int bFrom,
        final int bTo)
    {
        return anyFar(a, b) ? equalsFar(a, aFrom, aTo, b, bFrom, bTo) :
            Arrays.equals((byte[])heapOf(a), aFrom, aTo, (byte[])heapOf(b), bFrom, bTo);
    }

    /**
     * {@code Arrays.mismatch} of two ranges.
     *
     * @param a     first array.
     * @param aFrom first index in a.
     * @param aTo   index after the last in a.
     * @param b     second array.
     * @param bFrom first index in b.
     * @param bTo   index after the last in b.
     * @return the relative index of the first difference, or -1.
     */
    public static int mismatch(final byte[] a, final int aFrom, final int aTo, final byte[] b, final int bFrom,
        final int bTo)
    {
        return anyFar(a, b) ? mismatchFar(a, aFrom, aTo, b, bFrom, bTo) :
            Arrays.mismatch((byte[])heapOf(a), aFrom, aTo, (byte[])heapOf(b), bFrom, bTo);
    }

    /**
     * {@code Arrays.compare}.
     *
     * @param a first array.
     * @param b second array.
     * @return the lexicographic comparison.
     */
    public static int compare(final byte[] a, final byte[] b)
    {
        return anyFar(a, b) ? compareFar(a, b, false) : Arrays.compare((byte[])heapOf(a), (byte[])heapOf(b));
    }

    /**
     * {@code Arrays.compare} of two ranges.
     *
     * @param a     first array.
     * @param aFrom first index in a.
     * @param aTo   index after the last in a.
     * @param b     second array.
     * @param bFrom first index in b.
     * @param bTo   index after the last in b.
     * @return the lexicographic comparison.
     */
    public static int compare(final byte[] a, final int aFrom, final int aTo, final byte[] b, final int bFrom,
        final int bTo)
    {
        return anyFar(a, b) ? compareFar(a, aFrom, aTo, b, bFrom, bTo, false) :
            Arrays.compare((byte[])heapOf(a), aFrom, aTo, (byte[])heapOf(b), bFrom, bTo);
    }

    /**
     * {@code Arrays.compareUnsigned}.
     *
     * @param a first array.
     * @param b second array.
     * @return the lexicographic comparison, elements unsigned.
     */
    public static int compareUnsigned(final byte[] a, final byte[] b)
    {
        return anyFar(a, b) ? compareFar(a, b, true) : Arrays.compareUnsigned((byte[])heapOf(a), (byte[])heapOf(b));
    }

    /**
     * {@code Arrays.compareUnsigned} of two ranges.
     *
     * @param a     first array.
     * @param aFrom first index in a.
     * @param aTo   index after the last in a.
     * @param b     second array.
     * @param bFrom first index in b.
     * @param bTo   index after the last in b.
     * @return the lexicographic comparison, elements unsigned.
     */
    public static int compareUnsigned(final byte[] a, final int aFrom, final int aTo, final byte[] b,
        final int bFrom, final int bTo)
    {
        return anyFar(a, b) ? compareFar(a, aFrom, aTo, b, bFrom, bTo, true) :
            Arrays.compareUnsigned((byte[])heapOf(a), aFrom, aTo, (byte[])heapOf(b), bFrom, bTo);
    }

    /**
     * {@code Arrays.equals} of two ranges.
     *
     * @param a     first array.
     * @param aFrom first index in a.
     * @param aTo   index after the last in a.
     * @param b     second array.
     * @param bFrom first index in b.
     * @param bTo   index after the last in b.
     * @return true if the ranges hold the same elements.
     */
    public static boolean equals(final char[] a, final int aFrom, final int aTo, final char[] b, final int bFrom,
        final int bTo)
    {
        return anyFar(a, b) ? equalsFar(a, aFrom, aTo, b, bFrom, bTo) :
            Arrays.equals((char[])heapOf(a), aFrom, aTo, (char[])heapOf(b), bFrom, bTo);
    }

    /**
     * {@code Arrays.mismatch} of two ranges.
     *
     * @param a     first array.
     * @param aFrom first index in a.
     * @param aTo   index after the last in a.
     * @param b     second array.
     * @param bFrom first index in b.
     * @param bTo   index after the last in b.
     * @return the relative index of the first difference, or -1.
     */
    public static int mismatch(final char[] a, final int aFrom, final int aTo, final char[] b, final int bFrom,
        final int bTo)
    {
        return anyFar(a, b) ? mismatchFar(a, aFrom, aTo, b, bFrom, bTo) :
            Arrays.mismatch((char[])heapOf(a), aFrom, aTo, (char[])heapOf(b), bFrom, bTo);
    }

    /**
     * {@code Arrays.compare}.
     *
     * @param a first array.
     * @param b second array.
     * @return the lexicographic comparison.
     */
    public static int compare(final char[] a, final char[] b)
    {
        return anyFar(a, b) ? compareFar(a, b, false) : Arrays.compare((char[])heapOf(a), (char[])heapOf(b));
    }

    /**
     * {@code Arrays.compare} of two ranges.
     *
     * @param a     first array.
     * @param aFrom first index in a.
     * @param aTo   index after the last in a.
     * @param b     second array.
     * @param bFrom first index in b.
     * @param bTo   index after the last in b.
     * @return the lexicographic comparison.
     */
    public static int compare(final char[] a, final int aFrom, final int aTo, final char[] b, final int bFrom,
        final int bTo)
    {
        return anyFar(a, b) ? compareFar(a, aFrom, aTo, b, bFrom, bTo, false) :
            Arrays.compare((char[])heapOf(a), aFrom, aTo, (char[])heapOf(b), bFrom, bTo);
    }

    /**
     * {@code Arrays.equals} of two ranges.
     *
     * @param a     first array.
     * @param aFrom first index in a.
     * @param aTo   index after the last in a.
     * @param b     second array.
     * @param bFrom first index in b.
     * @param bTo   index after the last in b.
     * @return true if the ranges hold the same elements.
     */
    public static boolean equals(final short[] a, final int aFrom, final int aTo, final short[] b, final int bFrom,
        final int bTo)
    {
        return anyFar(a, b) ? equalsFar(a, aFrom, aTo, b, bFrom, bTo) :
            Arrays.equals((short[])heapOf(a), aFrom, aTo, (short[])heapOf(b), bFrom, bTo);
    }

    /**
     * {@code Arrays.mismatch} of two ranges.
     *
     * @param a     first array.
     * @param aFrom first index in a.
     * @param aTo   index after the last in a.
     * @param b     second array.
     * @param bFrom first index in b.
     * @param bTo   index after the last in b.
     * @return the relative index of the first difference, or -1.
     */
    public static int mismatch(final short[] a, final int aFrom, final int aTo, final short[] b, final int bFrom,
        final int bTo)
    {
        return anyFar(a, b) ? mismatchFar(a, aFrom, aTo, b, bFrom, bTo) :
            Arrays.mismatch((short[])heapOf(a), aFrom, aTo, (short[])heapOf(b), bFrom, bTo);
    }

    /**
     * {@code Arrays.compare}.
     *
     * @param a first array.
     * @param b second array.
     * @return the lexicographic comparison.
     */
    public static int compare(final short[] a, final short[] b)
    {
        return anyFar(a, b) ? compareFar(a, b, false) : Arrays.compare((short[])heapOf(a), (short[])heapOf(b));
    }

    /**
     * {@code Arrays.compare} of two ranges.
     *
     * @param a     first array.
     * @param aFrom first index in a.
     * @param aTo   index after the last in a.
     * @param b     second array.
     * @param bFrom first index in b.
     * @param bTo   index after the last in b.
     * @return the lexicographic comparison.
     */
    public static int compare(final short[] a, final int aFrom, final int aTo, final short[] b, final int bFrom,
        final int bTo)
    {
        return anyFar(a, b) ? compareFar(a, aFrom, aTo, b, bFrom, bTo, false) :
            Arrays.compare((short[])heapOf(a), aFrom, aTo, (short[])heapOf(b), bFrom, bTo);
    }

    /**
     * {@code Arrays.compareUnsigned}.
     *
     * @param a first array.
     * @param b second array.
     * @return the lexicographic comparison, elements unsigned.
     */
    public static int compareUnsigned(final short[] a, final short[] b)
    {
        return anyFar(a, b) ? compareFar(a, b, true) : Arrays.compareUnsigned((short[])heapOf(a), (short[])heapOf(b));
    }

    /**
     * {@code Arrays.compareUnsigned} of two ranges.
     *
     * @param a     first array.
     * @param aFrom first index in a.
     * @param aTo   index after the last in a.
     * @param b     second array.
     * @param bFrom first index in b.
     * @param bTo   index after the last in b.
     * @return the lexicographic comparison, elements unsigned.
     */
    public static int compareUnsigned(final short[] a, final int aFrom, final int aTo, final short[] b,
        final int bFrom, final int bTo)
    {
        return anyFar(a, b) ? compareFar(a, aFrom, aTo, b, bFrom, bTo, true) :
            Arrays.compareUnsigned((short[])heapOf(a), aFrom, aTo, (short[])heapOf(b), bFrom, bTo);
    }

    /**
     * {@code Arrays.equals} of two ranges.
     *
     * @param a     first array.
     * @param aFrom first index in a.
     * @param aTo   index after the last in a.
     * @param b     second array.
     * @param bFrom first index in b.
     * @param bTo   index after the last in b.
     * @return true if the ranges hold the same elements.
     */
    public static boolean equals(final int[] a, final int aFrom, final int aTo, final int[] b, final int bFrom,
        final int bTo)
    {
        return anyFar(a, b) ? equalsFar(a, aFrom, aTo, b, bFrom, bTo) :
            Arrays.equals((int[])heapOf(a), aFrom, aTo, (int[])heapOf(b), bFrom, bTo);
    }

    /**
     * {@code Arrays.mismatch} of two ranges.
     *
     * @param a     first array.
     * @param aFrom first index in a.
     * @param aTo   index after the last in a.
     * @param b     second array.
     * @param bFrom first index in b.
     * @param bTo   index after the last in b.
     * @return the relative index of the first difference, or -1.
     */
    public static int mismatch(final int[] a, final int aFrom, final int aTo, final int[] b, final int bFrom,
        final int bTo)
    {
        return anyFar(a, b) ? mismatchFar(a, aFrom, aTo, b, bFrom, bTo) :
            Arrays.mismatch((int[])heapOf(a), aFrom, aTo, (int[])heapOf(b), bFrom, bTo);
    }

    /**
     * {@code Arrays.compare}.
     *
     * @param a first array.
     * @param b second array.
     * @return the lexicographic comparison.
     */
    public static int compare(final int[] a, final int[] b)
    {
        return anyFar(a, b) ? compareFar(a, b, false) : Arrays.compare((int[])heapOf(a), (int[])heapOf(b));
    }

    /**
     * {@code Arrays.compare} of two ranges.
     *
     * @param a     first array.
     * @param aFrom first index in a.
     * @param aTo   index after the last in a.
     * @param b     second array.
     * @param bFrom first index in b.
     * @param bTo   index after the last in b.
     * @return the lexicographic comparison.
     */
    public static int compare(final int[] a, final int aFrom, final int aTo, final int[] b, final int bFrom,
        final int bTo)
    {
        return anyFar(a, b) ? compareFar(a, aFrom, aTo, b, bFrom, bTo, false) :
            Arrays.compare((int[])heapOf(a), aFrom, aTo, (int[])heapOf(b), bFrom, bTo);
    }

    /**
     * {@code Arrays.compareUnsigned}.
     *
     * @param a first array.
     * @param b second array.
     * @return the lexicographic comparison, elements unsigned.
     */
    public static int compareUnsigned(final int[] a, final int[] b)
    {
        return anyFar(a, b) ? compareFar(a, b, true) : Arrays.compareUnsigned((int[])heapOf(a), (int[])heapOf(b));
    }

    /**
     * {@code Arrays.compareUnsigned} of two ranges.
     *
     * @param a     first array.
     * @param aFrom first index in a.
     * @param aTo   index after the last in a.
     * @param b     second array.
     * @param bFrom first index in b.
     * @param bTo   index after the last in b.
     * @return the lexicographic comparison, elements unsigned.
     */
    public static int compareUnsigned(final int[] a, final int aFrom, final int aTo, final int[] b,
        final int bFrom, final int bTo)
    {
        return anyFar(a, b) ? compareFar(a, aFrom, aTo, b, bFrom, bTo, true) :
            Arrays.compareUnsigned((int[])heapOf(a), aFrom, aTo, (int[])heapOf(b), bFrom, bTo);
    }

    /**
     * {@code Arrays.equals} of two ranges.
     *
     * @param a     first array.
     * @param aFrom first index in a.
     * @param aTo   index after the last in a.
     * @param b     second array.
     * @param bFrom first index in b.
     * @param bTo   index after the last in b.
     * @return true if the ranges hold the same elements.
     */
    public static boolean equals(final long[] a, final int aFrom, final int aTo, final long[] b, final int bFrom,
        final int bTo)
    {
        return anyFar(a, b) ? equalsFar(a, aFrom, aTo, b, bFrom, bTo) :
            Arrays.equals((long[])heapOf(a), aFrom, aTo, (long[])heapOf(b), bFrom, bTo);
    }

    /**
     * {@code Arrays.mismatch} of two ranges.
     *
     * @param a     first array.
     * @param aFrom first index in a.
     * @param aTo   index after the last in a.
     * @param b     second array.
     * @param bFrom first index in b.
     * @param bTo   index after the last in b.
     * @return the relative index of the first difference, or -1.
     */
    public static int mismatch(final long[] a, final int aFrom, final int aTo, final long[] b, final int bFrom,
        final int bTo)
    {
        return anyFar(a, b) ? mismatchFar(a, aFrom, aTo, b, bFrom, bTo) :
            Arrays.mismatch((long[])heapOf(a), aFrom, aTo, (long[])heapOf(b), bFrom, bTo);
    }

    /**
     * {@code Arrays.compare}.
     *
     * @param a first array.
     * @param b second array.
     * @return the lexicographic comparison.
     */
    public static int compare(final long[] a, final long[] b)
    {
        return anyFar(a, b) ? compareFar(a, b, false) : Arrays.compare((long[])heapOf(a), (long[])heapOf(b));
    }

    /**
     * {@code Arrays.compare} of two ranges.
     *
     * @param a     first array.
     * @param aFrom first index in a.
     * @param aTo   index after the last in a.
     * @param b     second array.
     * @param bFrom first index in b.
     * @param bTo   index after the last in b.
     * @return the lexicographic comparison.
     */
    public static int compare(final long[] a, final int aFrom, final int aTo, final long[] b, final int bFrom,
        final int bTo)
    {
        return anyFar(a, b) ? compareFar(a, aFrom, aTo, b, bFrom, bTo, false) :
            Arrays.compare((long[])heapOf(a), aFrom, aTo, (long[])heapOf(b), bFrom, bTo);
    }

    /**
     * {@code Arrays.compareUnsigned}.
     *
     * @param a first array.
     * @param b second array.
     * @return the lexicographic comparison, elements unsigned.
     */
    public static int compareUnsigned(final long[] a, final long[] b)
    {
        return anyFar(a, b) ? compareFar(a, b, true) : Arrays.compareUnsigned((long[])heapOf(a), (long[])heapOf(b));
    }

    /**
     * {@code Arrays.compareUnsigned} of two ranges.
     *
     * @param a     first array.
     * @param aFrom first index in a.
     * @param aTo   index after the last in a.
     * @param b     second array.
     * @param bFrom first index in b.
     * @param bTo   index after the last in b.
     * @return the lexicographic comparison, elements unsigned.
     */
    public static int compareUnsigned(final long[] a, final int aFrom, final int aTo, final long[] b,
        final int bFrom, final int bTo)
    {
        return anyFar(a, b) ? compareFar(a, aFrom, aTo, b, bFrom, bTo, true) :
            Arrays.compareUnsigned((long[])heapOf(a), aFrom, aTo, (long[])heapOf(b), bFrom, bTo);
    }

    /**
     * {@code Arrays.equals} of two ranges.
     *
     * @param a     first array.
     * @param aFrom first index in a.
     * @param aTo   index after the last in a.
     * @param b     second array.
     * @param bFrom first index in b.
     * @param bTo   index after the last in b.
     * @return true if the ranges hold the same elements.
     */
    public static boolean equals(final float[] a, final int aFrom, final int aTo, final float[] b, final int bFrom,
        final int bTo)
    {
        return anyFar(a, b) ? equalsFar(a, aFrom, aTo, b, bFrom, bTo) :
            Arrays.equals((float[])heapOf(a), aFrom, aTo, (float[])heapOf(b), bFrom, bTo);
    }

    /**
     * {@code Arrays.mismatch} of two ranges.
     *
     * @param a     first array.
     * @param aFrom first index in a.
     * @param aTo   index after the last in a.
     * @param b     second array.
     * @param bFrom first index in b.
     * @param bTo   index after the last in b.
     * @return the relative index of the first difference, or -1.
     */
    public static int mismatch(final float[] a, final int aFrom, final int aTo, final float[] b, final int bFrom,
        final int bTo)
    {
        return anyFar(a, b) ? mismatchFar(a, aFrom, aTo, b, bFrom, bTo) :
            Arrays.mismatch((float[])heapOf(a), aFrom, aTo, (float[])heapOf(b), bFrom, bTo);
    }

    /**
     * {@code Arrays.compare}.
     *
     * @param a first array.
     * @param b second array.
     * @return the lexicographic comparison.
     */
    public static int compare(final float[] a, final float[] b)
    {
        return anyFar(a, b) ? compareFar(a, b, false) : Arrays.compare((float[])heapOf(a), (float[])heapOf(b));
    }

    /**
     * {@code Arrays.compare} of two ranges.
     *
     * @param a     first array.
     * @param aFrom first index in a.
     * @param aTo   index after the last in a.
     * @param b     second array.
     * @param bFrom first index in b.
     * @param bTo   index after the last in b.
     * @return the lexicographic comparison.
     */
    public static int compare(final float[] a, final int aFrom, final int aTo, final float[] b, final int bFrom,
        final int bTo)
    {
        return anyFar(a, b) ? compareFar(a, aFrom, aTo, b, bFrom, bTo, false) :
            Arrays.compare((float[])heapOf(a), aFrom, aTo, (float[])heapOf(b), bFrom, bTo);
    }

    /**
     * {@code Arrays.equals} of two ranges.
     *
     * @param a     first array.
     * @param aFrom first index in a.
     * @param aTo   index after the last in a.
     * @param b     second array.
     * @param bFrom first index in b.
     * @param bTo   index after the last in b.
     * @return true if the ranges hold the same elements.
     */
    public static boolean equals(final double[] a, final int aFrom, final int aTo, final double[] b, final int bFrom,
        final int bTo)
    {
        return anyFar(a, b) ? equalsFar(a, aFrom, aTo, b, bFrom, bTo) :
            Arrays.equals((double[])heapOf(a), aFrom, aTo, (double[])heapOf(b), bFrom, bTo);
    }

    /**
     * {@code Arrays.mismatch} of two ranges.
     *
     * @param a     first array.
     * @param aFrom first index in a.
     * @param aTo   index after the last in a.
     * @param b     second array.
     * @param bFrom first index in b.
     * @param bTo   index after the last in b.
     * @return the relative index of the first difference, or -1.
     */
    public static int mismatch(final double[] a, final int aFrom, final int aTo, final double[] b, final int bFrom,
        final int bTo)
    {
        return anyFar(a, b) ? mismatchFar(a, aFrom, aTo, b, bFrom, bTo) :
            Arrays.mismatch((double[])heapOf(a), aFrom, aTo, (double[])heapOf(b), bFrom, bTo);
    }

    /**
     * {@code Arrays.compare}.
     *
     * @param a first array.
     * @param b second array.
     * @return the lexicographic comparison.
     */
    public static int compare(final double[] a, final double[] b)
    {
        return anyFar(a, b) ? compareFar(a, b, false) : Arrays.compare((double[])heapOf(a), (double[])heapOf(b));
    }

    /**
     * {@code Arrays.compare} of two ranges.
     *
     * @param a     first array.
     * @param aFrom first index in a.
     * @param aTo   index after the last in a.
     * @param b     second array.
     * @param bFrom first index in b.
     * @param bTo   index after the last in b.
     * @return the lexicographic comparison.
     */
    public static int compare(final double[] a, final int aFrom, final int aTo, final double[] b, final int bFrom,
        final int bTo)
    {
        return anyFar(a, b) ? compareFar(a, aFrom, aTo, b, bFrom, bTo, false) :
            Arrays.compare((double[])heapOf(a), aFrom, aTo, (double[])heapOf(b), bFrom, bTo);
    }

    private static boolean anyFar(final Object a, final Object b)
    {
        return isFar(a) || isFar(b);
    }

    private static boolean isFar(final Object array)
    {
        return FarJdkArrays.isFar(array);
    }

    private static Object heapOf(final Object array)
    {
        return FarJdkArrays.heapOf(array);
    }

    private static boolean equalsFar(
        final Object a, final int aFrom, final int aTo, final Object b, final int bFrom, final int bTo)
    {
        FarSort.rangeCheck(length(a), aFrom, aTo);
        FarSort.rangeCheck(length(b), bFrom, bTo);
        return aTo - aFrom == bTo - bFrom && mismatchFar(a, aFrom, aTo, b, bFrom, bTo) < 0;
    }

    /**
     * The relative index of the first difference between two ranges, or -1, as {@code Arrays.mismatch}: the ranges
     * travel through heap buffers block by block.
     */
    private static int mismatchFar(
        final Object a, final int aFrom, final int aTo, final Object b, final int bFrom, final int bTo)
    {
        FarSort.rangeCheck(length(a), aFrom, aTo);
        FarSort.rangeCheck(length(b), bFrom, bTo);
        final int aLength = aTo - aFrom;
        final int bLength = bTo - bFrom;
        final int length = Math.min(aLength, bLength);
        final ElementType type = ElementType.of(FarJdkArrays.isFar(a) ? a : b);
        final Object x = type.newHeapArray(Math.max(1, Math.min(FarJdkArrays.BLOCK, length)));
        final Object y = type.newHeapArray(Math.max(1, Math.min(FarJdkArrays.BLOCK, length)));
        for (int start = 0; start < length; start += FarJdkArrays.BLOCK)
        {
            final int count = Math.min(FarJdkArrays.BLOCK, length - start);
            FarArrays.arraycopy(a, aFrom + start, x, 0, count);
            FarArrays.arraycopy(b, bFrom + start, y, 0, count);
            final int at = FarJdkArrays.blockMismatch(type, x, y, count);
            if (at >= 0)
            {
                return start + at;
            }
        }
        return aLength == bLength ? -1 : length;
    }

    private static int compareFar(final Object a, final Object b, final boolean unsigned)
    {
        if (a == b)
        {
            return 0;
        }
        if (a == null || b == null)
        {
            return a == null ? -1 : 1;
        }
        return compareFar(a, 0, length(a), b, 0, length(b), unsigned);
    }

    /**
     * As {@code Arrays.compare}: the first difference found by {@link #mismatchFar}, whose two elements the JDK
     * compares (as one-element arrays, so that floating-point and unsigned orders are its own), or the difference
     * of the lengths.
     */
    private static int compareFar(
        final Object a, final int aFrom, final int aTo, final Object b, final int bFrom, final int bTo,
        final boolean unsigned)
    {
        final int at = mismatchFar(a, aFrom, aTo, b, bFrom, bTo);
        final int aLength = aTo - aFrom;
        final int bLength = bTo - bFrom;
        if (at < 0 || at >= Math.min(aLength, bLength))
        {
            return aLength - bLength;
        }
        final ElementType type = ElementType.of(FarJdkArrays.isFar(a) ? a : b);
        final Object x = type.newHeapArray(1);
        final Object y = type.newHeapArray(1);
        FarArrays.arraycopy(a, aFrom + at, x, 0, 1);
        FarArrays.arraycopy(b, bFrom + at, y, 0, 1);
        return compareOne(type, x, y, unsigned);
    }

    private static int compareOne(final ElementType type, final Object x, final Object y, final boolean unsigned)
    {
        switch (type)
        {
            case BOOLEAN:
                return Arrays.compare((boolean[])x, (boolean[])y);
            case BYTE:
                return unsigned ? Arrays.compareUnsigned((byte[])x, (byte[])y) : Arrays.compare((byte[])x, (byte[])y);
            case CHAR:
                return Arrays.compare((char[])x, (char[])y);
            case SHORT:
                return unsigned ? Arrays.compareUnsigned((short[])x, (short[])y) :
                    Arrays.compare((short[])x, (short[])y);
            case INT:
                return unsigned ? Arrays.compareUnsigned((int[])x, (int[])y) : Arrays.compare((int[])x, (int[])y);
            case FLOAT:
                return Arrays.compare((float[])x, (float[])y);
            case LONG:
                return unsigned ? Arrays.compareUnsigned((long[])x, (long[])y) : Arrays.compare((long[])x, (long[])y);
            default:
                return Arrays.compare((double[])x, (double[])y);
        }
    }

    private static int length(final Object array)
    {
        if (array == null)
        {
            throw new NullPointerException();
        }
        return FarArrays.length(array);
    }
}
