package io.splitheap.samples.kvstore;

import io.splitheap.samples.support.Hashing;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LongLongTableTest
{
    @Test
    void shouldGetWhatWasPut()
    {
        final LongLongTable table = new LongLongTable(64);
        for (long key = 1; key <= 40; key++)
        {
            assertTrue(table.put(key * 1_000_003, key));
        }
        assertEquals(40, table.size());
        for (long key = 1; key <= 40; key++)
        {
            assertEquals(key, table.get(key * 1_000_003, -1));
        }
        assertEquals(-1, table.get(7, -1));
        assertEquals(-1, table.find(LongLongTable.EMPTY));
    }

    @Test
    void shouldReplaceValueOfExistingKey()
    {
        final LongLongTable table = new LongLongTable(8);
        assertTrue(table.put(5, 1));
        assertEquals(false, table.put(5, 2));
        assertEquals(1, table.size());
        assertEquals(2, table.get(5, -1));
    }

    @Test
    void shouldProbeToNextSlotsOnCollision()
    {
        final LongLongTable table = new LongLongTable(16);
        final long[] keys = keysWithHash(Long.MIN_VALUE, 3);
        final long home = table.homeSlot(keys[0]);
        assertEquals(8, home);
        for (int i = 0; i < keys.length; i++)
        {
            assertEquals(home, table.homeSlot(keys[i]));
            table.put(keys[i], i);
        }
        for (int i = 0; i < keys.length; i++)
        {
            assertEquals(home + i, table.find(keys[i]));
            assertEquals(keys[i], table.keyAt(home + i));
            assertEquals(i, table.valueAt(home + i));
        }
    }

    @Test
    void shouldWrapAroundFromLastSlotToFirst()
    {
        final LongLongTable table = new LongLongTable(10);
        final long[] keys = keysWithHash(-3, 3);
        for (int i = 0; i < keys.length; i++)
        {
            assertEquals(9, table.homeSlot(keys[i]));
            table.put(keys[i], 100 + i);
        }
        assertEquals(9, table.find(keys[0]));
        assertEquals(0, table.find(keys[1]));
        assertEquals(1, table.find(keys[2]));
        for (int i = 0; i < keys.length; i++)
        {
            assertEquals(100 + i, table.get(keys[i], -1));
        }

        final long missing = keysWithHash(-10, 1)[0];
        assertEquals(9, table.homeSlot(missing));
        assertEquals(-1, table.find(missing));
    }

    @Test
    void shouldFailWhenFullAndStillFindEveryKey()
    {
        final LongLongTable table = new LongLongTable(5);
        for (long key = 1; key <= 5; key++)
        {
            table.put(key, -key);
        }
        assertThrows(IllegalStateException.class, () -> table.put(6, 0));
        for (long key = 1; key <= 5; key++)
        {
            assertEquals(-key, table.get(key, 0));
        }
        assertEquals(-1, table.find(6));
    }

    @Test
    void shouldAddToValues()
    {
        final LongLongTable table = new LongLongTable(4);
        table.put(9, Long.MAX_VALUE);
        table.addToValue(table.find(9), 2);
        assertEquals(Long.MIN_VALUE + 1, table.get(9, 0));
    }

    @Test
    void shouldRejectTheEmptyKey()
    {
        assertThrows(IllegalArgumentException.class, () -> new LongLongTable(4).put(LongLongTable.EMPTY, 1));
    }

    private static long[] keysWithHash(final long firstHash, final int count)
    {
        final long[] keys = new long[count];
        for (int i = 0; i < count; i++)
        {
            keys[i] = Hashing.unmix64(firstHash + i);
        }
        return keys;
    }
}
