package io.splitheap.bench.objects;

import io.splitheap.bench.hitpath.FieldLoops;

/**
 * Loops over objects with {@code int} fields, as an application writes them.
 */
public final class IntFields implements FieldLoops
{
    /**
     * {@inheritDoc}
     */
    public Object newObjects(final int count)
    {
        final IntRecord[] objects = new IntRecord[count];
        for (int i = 0; i < count; i++)
        {
            objects[i] = new IntRecord((int)i);
        }
        return objects;
    }

    /**
     * {@inheritDoc}
     */
    public long read(final Object objects)
    {
        final IntRecord[] records = (IntRecord[])objects;
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
        final IntRecord[] records = (IntRecord[])objects;
        for (int i = 0; i < records.length; i++)
        {
            records[i].b = (int)(seed + i);
        }
    }
}
