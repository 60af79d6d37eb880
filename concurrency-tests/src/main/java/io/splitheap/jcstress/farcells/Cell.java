package io.splitheap.jcstress.farcells;

import io.splitheap.jcstress.FieldCell;

/**
 * Loaded rewritten with this class named by {@code far.classes=}: its nine {@code long} fields live in a far block.
 */
public final class Cell implements FieldCell
{
    long value;
    long stores;
    long a;
    long b;
    long c;
    long d;
    long e;
    long f;
    long g;

    /**
     * {@inheritDoc}
     */
    public FieldCell fresh()
    {
        return new Cell();
    }

    /**
     * {@inheritDoc}
     */
    public void storeInPinnedMethod(final long newValue)
    {
        value = newValue;
        stores++;
    }

    /**
     * {@inheritDoc}
     */
    public long readPerAccess()
    {
        return CellReader.valueOf(this);
    }

    /**
     * {@inheritDoc}
     */
    public long readInPinnedMethod()
    {
        return stores >= 0 ? value : -2;
    }
}
