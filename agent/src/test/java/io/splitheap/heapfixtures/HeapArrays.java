package io.splitheap.heapfixtures;

/**
 * Creates arrays in code that is never rewritten, so the fixtures get ordinary heap arrays to mix with far ones.
 */
public final class HeapArrays
{
    private HeapArrays()
    {
    }

    /**
     * A heap {@code long[]} holding {@code i * 3 + 1}.
     *
     * @param length elements.
     * @return the array.
     */
    public static long[] longs(final int length)
    {
        final long[] array = new long[length];
        for (int i = 0; i < length; i++)
        {
            array[i] = i * 3L + 1;
        }
        return array;
    }

    /**
     * A heap {@code int[]} holding {@code i * 5 + 2}.
     *
     * @param length elements.
     * @return the array.
     */
    public static int[] ints(final int length)
    {
        final int[] array = new int[length];
        for (int i = 0; i < length; i++)
        {
            array[i] = i * 5 + 2;
        }
        return array;
    }

    /**
     * A heap {@code byte[]} holding {@code (byte) i}.
     *
     * @param length elements.
     * @return the array.
     */
    public static byte[] bytes(final int length)
    {
        final byte[] array = new byte[length];
        for (int i = 0; i < length; i++)
        {
            array[i] = (byte)i;
        }
        return array;
    }

    /**
     * Reads a matrix as uninstrumented code does.
     *
     * @param matrix rows of longs.
     * @return a hash of every element, row by row.
     */
    public static long sumRows(final long[][] matrix)
    {
        long sum = 0;
        for (final long[] row : matrix)
        {
            for (final long value : row)
            {
                sum = sum * 31 + value;
            }
            sum = sum * 17 + row.length;
        }
        return sum;
    }
}
