package io.splitheap.samples.kvstore;

import io.splitheap.samples.support.Hashing;

/**
 * The loaded keys, numbered {@code 0 .. items - 1}. Item {@code i} gets a random mixed value inside the i-th of
 * {@code items} equal slices of the 64-bit range, and its key is that value passed through
 * {@link Hashing#unmix64(long)}. Keys look random, yet their mixed values, and so their home slots, increase with
 * the item number: loading items in order walks the table front to back, and the zipfian hot items (the low
 * numbers) share a small region of the table. Keys are distinct and never {@link LongLongTable#EMPTY}.
 */
public final class KeySpace
{
    private final long items;
    private final long step;
    private final long seed;

    /**
     * A key space.
     *
     * @param items number of keys, at least one.
     * @param seed  of the keys' placement inside their slices.
     */
    public KeySpace(final long items, final long seed)
    {
        if (items < 1 || items > (1L << 62))
        {
            throw new IllegalArgumentException("items out of range: items=" + items);
        }
        this.items = items;
        step = Long.divideUnsigned(-1L, items);
        this.seed = Hashing.streamSeed(seed, -2);
    }

    /**
     * Number of keys.
     *
     * @return the count.
     */
    public long items()
    {
        return items;
    }

    /**
     * Mixed value of an item's key, in {@code [i * step + 1, (i + 1) * step - 1]}.
     *
     * @param item number of the item.
     * @return {@code Hashing.mix64(keyOf(item))}.
     */
    public long hashOf(final long item)
    {
        final long jitter = Long.remainderUnsigned(Hashing.mix64(seed + item * Hashing.GOLDEN), step - 1);
        return item * step + 1 + jitter;
    }

    /**
     * Key of an item.
     *
     * @param item number of the item.
     * @return its key.
     */
    public long keyOf(final long item)
    {
        return Hashing.unmix64(hashOf(item));
    }

    /**
     * Value an item's key is loaded with.
     *
     * @param key the key.
     * @return its initial value.
     */
    public long initialValue(final long key)
    {
        return Hashing.mix64(key ^ seed);
    }
}
