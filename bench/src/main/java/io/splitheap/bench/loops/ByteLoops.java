package io.splitheap.bench.loops;

import io.splitheap.bench.hitpath.ArrayLoops;

/**
 * Loops over {@code byte[]}, as an application writes them.
 */
public final class ByteLoops implements ArrayLoops
{
    /**
     * {@inheritDoc}
     */
    public Object newArray(final int length)
    {
        return new byte[length];
    }

    /**
     * {@inheritDoc}
     */
    public long sequentialRead(final Object array)
    {
        final byte[] a = (byte[])array;
        long sum = 0;
        for (int i = 0; i < a.length; i++)
        {
            sum += (long)a[i];
        }
        return sum;
    }

    /**
     * {@inheritDoc}
     */
    public void sequentialWrite(final Object array, final int seed)
    {
        final byte[] a = (byte[])array;
        for (int i = 0; i < a.length; i++)
        {
            a[i] = (byte)(i + seed);
        }
    }

    /**
     * {@inheritDoc}
     */
    public long randomRead(final Object array, final int[] indexes)
    {
        final byte[] a = (byte[])array;
        long sum = 0;
        for (int i = 0; i < indexes.length; i++)
        {
            sum += (long)a[indexes[i]];
        }
        return sum;
    }

    /**
     * {@inheritDoc}
     */
    public void randomWrite(final Object array, final int[] indexes, final int seed)
    {
        final byte[] a = (byte[])array;
        for (int i = 0; i < indexes.length; i++)
        {
            a[indexes[i]] = (byte)(i + seed);
        }
    }
}
