package io.splitheap.samples.kvstore;

import io.splitheap.samples.support.Hashing;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeySpaceTest
{
    @Test
    void shouldGiveDistinctNonEmptyKeysWithIncreasingHomeSlots()
    {
        final LongLongTable table = new LongLongTable(10_000);
        final KeySpace keys = new KeySpace(6_000, 42);
        final Set<Long> seen = new HashSet<>();
        long previousSlot = 0;
        for (long item = 0; item < keys.items(); item++)
        {
            final long key = keys.keyOf(item);
            assertEquals(keys.hashOf(item), Hashing.mix64(key));
            assertTrue(key != LongLongTable.EMPTY);
            assertTrue(seen.add(key));
            final long slot = table.homeSlot(key);
            assertTrue(slot >= previousSlot, "item " + item);
            previousSlot = slot;
        }
    }

    @Test
    void shouldLoadSequentiallyAndFindEveryKey()
    {
        final LongLongTable table = new LongLongTable(1000);
        final KeySpace keys = new KeySpace(700, 3);
        long highestSlot = -1;
        for (long item = 0; item < keys.items(); item++)
        {
            final long key = keys.keyOf(item);
            assertTrue(table.put(key, keys.initialValue(key)));
            final long slot = table.find(key);
            assertTrue(slot > highestSlot || slot < table.homeSlot(key), "slot " + slot + " of item " + item);
            highestSlot = Math.max(highestSlot, slot);
        }
        for (long item = 0; item < keys.items(); item++)
        {
            final long key = keys.keyOf(item);
            assertEquals(keys.initialValue(key), table.get(key, 0));
        }
    }

    @Test
    void shouldPlaceKeysDifferentlyForDifferentSeeds()
    {
        assertTrue(new KeySpace(100, 1).keyOf(5) != new KeySpace(100, 2).keyOf(5));
    }
}
