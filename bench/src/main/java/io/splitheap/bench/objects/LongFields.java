package io.splitheap.bench.objects;

import io.splitheap.bench.hitpath.FieldLoops;

/**
 * Loops over objects with {@code long} fields, as an application writes them.
 */
public final class LongFields implements FieldLoops
{
    /**
     * {@inheritDoc}
     */
    public Object newObjects(final int count)
    {
        final LongRecord[] objects = new LongRecord[count];
        for (int i = 0; i < count; i++)
        {
            objects[i] = new LongRecord((long)i);
        }
        return objects;
    }

    /**
     * {@inheritDoc}
     */
    public long read(final Object objects)
    {
        final LongRecord[] records = (LongRecord[])objects;
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
        final LongRecord[] records = (LongRecord[])objects;
        for (int i = 0; i < records.length; i++)
        {
            records[i].b = (long)(seed + i);
        }
    }
}
