package io.splitheap.agent.core;

import io.splitheap.agent.excache.ElementType;
import io.splitheap.agent.excache.ExCache;
import io.splitheap.agent.excache.FarArray;

/**
 * Finds the descriptor of a far array from its placeholder, in about a nanosecond and without allocation: a
 * direct-mapped table indexed by the placeholder's identity hash. When a far array is created, placeholders are
 * allocated until one's identity hash lands on a free slot (the table is kept at most half full, so this takes two
 * tries on average), so a lookup is one probe and one identity check ({@code refersTo}, which does not keep the
 * placeholder alive). Growing the table doubles it, which keeps every slot collision-free.
 */
public final class FarRegistry
{
    private static final int INITIAL_SIZE = 1 << 12;
    private static final int MAX_SIZE = 1 << 30;

    private static final int MEMO_SITES = 1 << 12;
    private static final FarArray[] MEMO = new FarArray[2 * MEMO_SITES];
    private static volatile FarArray[] table = new FarArray[INITIAL_SIZE];
    private static int count;

    private FarRegistry()
    {
    }

    /**
     * The descriptor of an array, if it is far.
     *
     * @param array any array.
     * @return the descriptor, or null if the array is an ordinary heap array.
     */
    public static FarArray find(final Object array)
    {
        final FarArray[] table = FarRegistry.table;
        final FarArray descriptor = table[System.identityHashCode(array) & (table.length - 1)];
        return descriptor != null && descriptor.refersTo(array) ? descriptor : null;
    }

    /**
     * The descriptor of an array, if it is far, looked up first in a two-entry memo of the access site: a site keeps
     * seeing the same array or two (an accessor method such as {@code get(long)} shared by the columns of a table, the
     * two rank arrays of an iterative algorithm), and a hit in the memo costs a load and an identity check instead of
     * the identity hash and the table. The first entry is written only while it is empty or its array has died; the
     * second takes every other array. A one-entry memo replaced on every miss made a site that alternates between
     * arrays miss every time and write the memo on every access, from every thread: columnscan ran a third slower
     * than with no memo at all. The memo is racy by design: a stale or overwritten entry only costs a lookup.
     *
     * @param array any array, or null.
     * @param site  the site's number.
     * @return the descriptor, or null if the array is null or an ordinary heap array.
     */
    public static FarArray find(final Object array, final int site)
    {
        if (array == null)
        {
            return null;
        }
        final FarArray[] memo = MEMO;
        final int slot = (site & (MEMO_SITES - 1)) << 1;
        final FarArray first = memo[slot];
        if (first != null && first.refersTo(array))
        {
            return first;
        }
        final FarArray second = memo[slot + 1];
        if (second != null && second.refersTo(array))
        {
            return second;
        }
        final FarArray descriptor = find(array);
        if (descriptor != null)
        {
            memo[first == null || first.refersTo(null) ? slot : slot + 1] = descriptor;
        }
        return descriptor;
    }

    /**
     * Creates a far array and its placeholder.
     *
     * @param cache   the cache for its lines.
     * @param type    element type.
     * @param address far address, line aligned.
     * @param length  elements.
     * @param site    allocation site id.
     * @return the placeholder: the array the application sees.
     */
    public static synchronized Object register(
        final ExCache cache, final ElementType type, final long address, final int length, final int site)
    {
        if ((count + 1) * 2L > table.length)
        {
            grow();
        }
        final FarArray[] table = FarRegistry.table;
        final int mask = table.length - 1;
        Object placeholder;
        int hash;
        do
        {
            placeholder = type.newPlaceholder();
            hash = System.identityHashCode(placeholder);
        }
        while (table[hash & mask] != null);
        table[hash & mask] = cache.newArray(placeholder, type, address, length, site, hash);
        count++;
        return placeholder;
    }

    /**
     * Removes a descriptor whose placeholder died.
     *
     * @param descriptor the descriptor.
     */
    public static synchronized void remove(final FarArray descriptor)
    {
        final FarArray[] table = FarRegistry.table;
        final int slot = descriptor.identityHash() & (table.length - 1);
        if (table[slot] == descriptor)
        {
            table[slot] = null;
            count--;
        }
    }

    /**
     * Far arrays registered.
     *
     * @return count.
     */
    public static synchronized int size()
    {
        return count;
    }

    private static void grow()
    {
        final FarArray[] old = table;
        if (old.length >= MAX_SIZE)
        {
            throw new IllegalStateException("too many far arrays: " + count);
        }
        final FarArray[] grown = new FarArray[old.length * 2];
        final int mask = grown.length - 1;
        for (final FarArray descriptor : old)
        {
            if (descriptor != null)
            {
                grown[descriptor.identityHash() & mask] = descriptor;
            }
        }
        table = grown;
    }
}
