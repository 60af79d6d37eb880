package io.splitheap.bench.objects;

import io.splitheap.bench.hitpath.FieldLoops;

/**
 * Loops over objects with {@code double} fields, as an application writes them.
 */
public final class DoubleFields implements FieldLoops
{
    /**
     * {@inheritDoc}
     */
    public Object newObjects(final int count)
    {
        final DoubleRecord[] objects = new DoubleRecord[count];
        for (int i = 0; i < count; i++)
        {
            objects[i] = new DoubleRecord((double)i);
        }
        return objects;
    }

    /**
     * {@inheritDoc}
     */
    public long read(final Object objects)
    {
        final DoubleRecord[] records = (DoubleRecord[])objects;
        long sum = 0;
        for (int i = 0; i < records.length; i++)
        {
            sum += (long)records[i].b;
        }
        return sum;
    }

    /**
     * {@inheritDoc}
     */
    public void write(final Object objects, final long seed)
    {
        final DoubleRecord[] records = (DoubleRecord[])objects;
        for (int i = 0; i < records.length; i++)
        {
            records[i].b = (double)(seed + i);
        }
    }
}
