package io.splitheap.samples.kvstore;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class WorkloadTest
{
    @Test
    void shouldLeaveTheSameTableForAnyThreadCount()
    {
        final LongLongTable single = runWorkload(1, 50);
        for (final int threads : new int[]{ 2, 3 })
        {
            final LongLongTable table = runWorkload(threads, 50);
            for (long slot = 0; slot < single.capacity(); slot++)
            {
                assertEquals(single.keyAt(slot), table.keyAt(slot));
                assertEquals(single.valueAt(slot), table.valueAt(slot), "slot " + slot);
            }
        }
    }

    @Test
    void shouldApplyEveryUpdateExactlyOnce()
    {
        final LongLongTable table = new LongLongTable(4096);
        final KeySpace keys = new KeySpace(1, 1);
        final long key = keys.keyOf(0);
        table.put(key, 0);
        final Workload workload = new Workload(table, keys, new ZipfianGenerator(1, 0.99), 0, 5);
        final long ops = 3 * Workload.SEGMENT_OPS + 17;
        workload.run(ops, 3);

        long expected = 0;
        for (long op = 0; op < ops; op++)
        {
            expected += Workload.delta(key, op);
        }
        assertEquals(expected, table.get(key, 0));
        assertEquals(ops, workload.updates());
        assertEquals(0, workload.reads());
    }

    @Test
    void shouldHitOnEveryReadAndMixReadsAsConfigured()
    {
        final LongLongTable table = new LongLongTable(4096);
        final KeySpace keys = new KeySpace(2400, 9);
        for (long item = 0; item < keys.items(); item++)
        {
            table.put(keys.keyOf(item), item);
        }
        final Workload workload = new Workload(table, keys, new ZipfianGenerator(keys.items(), 0.99), 95, 9);
        workload.run(100_000, 2);
        assertEquals(100_000, workload.reads() + workload.updates());
        assertEquals(workload.reads(), workload.readHits());
        assertEquals(95_000, workload.reads(), 1000);
        assertNotEquals(0, workload.updates());
    }

    private static LongLongTable runWorkload(final int threads, final int readPercent)
    {
        final LongLongTable table = new LongLongTable(5000);
        final KeySpace keys = new KeySpace(3000, 42);
        for (long item = 0; item < keys.items(); item++)
        {
            final long key = keys.keyOf(item);
            table.put(key, keys.initialValue(key));
        }
        new Workload(table, keys, new ZipfianGenerator(keys.items(), 0.99), readPercent, 42)
            .run(20 * Workload.SEGMENT_OPS + 5, threads);
        return table;
    }
}
