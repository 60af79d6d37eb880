package io.splitheap.samples.kvstore;

import io.splitheap.samples.support.Hashing;
import io.splitheap.samples.support.LongChunks;

/**
 * An open-addressing hash table from long to long with linear probing, in two chunked arrays (keys and values).
 * Key 0 marks an empty slot and cannot be stored. A key's home slot is {@link Hashing#mix64(long)} scaled onto
 * the capacity, so keys whose mixed values increase have increasing home slots; probing moves to the next slot
 * and wraps from the last slot to slot 0. Entries are never removed.
 * <p>
 * Inserting is single-threaded. Once loaded, {@link #find(long)} and {@link #valueAt(long)} may run on many
 * threads; updating a value concurrently needs a lock per slot (see {@link Workload}).
 */
public final class LongLongTable
{
    /**
     * The key of an empty slot.
     */
    public static final long EMPTY = 0;

    private final long capacity;
    private final LongChunks keys;
    private final LongChunks values;
    private long size;

    /**
     * An empty table.
     *
     * @param capacity number of slots.
     */
    public LongLongTable(final long capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("capacity must be positive: capacity=" + capacity);
        }
        this.capacity = capacity;
        keys = new LongChunks(capacity);
        values = new LongChunks(capacity);
    }

    /**
     * Home slot of a key: where its probe starts.
     *
     * @param key the key.
     * @return a slot in {@code [0, capacity)}.
     */
    public long homeSlot(final long key)
    {
        return Hashing.scale(Hashing.mix64(key), capacity);
    }

    /**
     * Insert a key or replace its value.
     *
     * @param key   any key but {@link #EMPTY}.
     * @param value to store.
     * @return true if the key was new.
     * @throws IllegalStateException if the key is new and the table is full.
     */
    public boolean put(final long key, final long value)
    {
        if (EMPTY == key)
        {
            throw new IllegalArgumentException("key 0 marks empty slots and cannot be stored");
        }
        long slot = homeSlot(key);
        for (long probes = 0; probes < capacity; probes++)
        {
            final long existing = keys.get(slot);
            if (EMPTY == existing)
            {
                keys.set(slot, key);
                values.set(slot, value);
                size++;
                return true;
            }
            if (existing == key)
            {
                values.set(slot, value);
                return false;
            }
            slot = slot + 1 == capacity ? 0 : slot + 1;
        }
        throw new IllegalStateException("table full: capacity=" + capacity + " key=" + key);
    }

    /**
     * Slot holding a key.
     *
     * @param key to look up.
     * @return its slot, or -1 if the key is not in the table.
     */
    public long find(final long key)
    {
        if (EMPTY == key)
        {
            return -1;
        }
        long slot = homeSlot(key);
        for (long probes = 0; probes < capacity; probes++)
        {
            final long existing = keys.get(slot);
            if (existing == key)
            {
                return slot;
            }
            if (EMPTY == existing)
            {
                return -1;
            }
            slot = slot + 1 == capacity ? 0 : slot + 1;
        }
        return -1;
    }

    /**
     * Value of a key.
     *
     * @param key          to look up.
     * @param missingValue returned if the key is not in the table.
     * @return the value.
     */
    public long get(final long key, final long missingValue)
    {
        final long slot = find(key);
        return slot < 0 ? missingValue : values.get(slot);
    }

    /**
     * Key in a slot.
     *
     * @param slot a slot.
     * @return its key, {@link #EMPTY} if free.
     */
    public long keyAt(final long slot)
    {
        return keys.get(slot);
    }

    /**
     * Value in a slot.
     *
     * @param slot a slot.
     * @return its value.
     */
    public long valueAt(final long slot)
    {
        return values.get(slot);
    }

    /**
     * Add to the value in a slot (wrapping). Not atomic: concurrent callers must hold a lock for the slot.
     *
     * @param slot  an occupied slot.
     * @param delta to add.
     */
    public void addToValue(final long slot, final long delta)
    {
        values.set(slot, values.get(slot) + delta);
    }

    /**
     * Number of slots.
     *
     * @return the capacity.
     */
    public long capacity()
    {
        return capacity;
    }

    /**
     * Number of keys stored.
     *
     * @return the size.
     */
    public long size()
    {
        return size;
    }

    /**
     * The key array.
     *
     * @return keys by slot.
     */
    public LongChunks keys()
    {
        return keys;
    }

    /**
     * The value array.
     *
     * @return values by slot.
     */
    public LongChunks values()
    {
        return values;
    }
}
