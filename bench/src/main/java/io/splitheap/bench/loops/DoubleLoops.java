package io.splitheap.bench.loops;

import io.splitheap.bench.hitpath.ArrayLoops;

/**
 * Loops over {@code double[]}, as an application writes them.
 */
public final class DoubleLoops implements ArrayLoops
{
    /**
     * {@inheritDoc}
     */
    public Object newArray(final int length)
    {
        return new double[length];
    }

    /**
     * {@inheritDoc}
     */
    public long sequentialRead(final Object array)
    {
        final double[] a = (double[])array;
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
        final double[] a = (double[])array;
        for (int i = 0; i < a.length; i++)
        {
            a[i] = (double)(i + seed);
        }
    }

    /**
     * {@inheritDoc}
     */
    public long randomRead(final Object array, final int[] indexes)
    {
        final double[] a = (double[])array;
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
        final double[] a = (double[])array;
        for (int i = 0; i < indexes.length; i++)
        {
            a[indexes[i]] = (double)(i + seed);
        }
    }
}
