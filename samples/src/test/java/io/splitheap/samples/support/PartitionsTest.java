package io.splitheap.samples.support;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartitionsTest
{
    @Test
    void shouldCoverRangeContiguously()
    {
        final Partitions parts = Partitions.of(10_007, 16, 100);
        assertEquals(16, parts.count());
        assertEquals(0, parts.start(0));
        assertEquals(10_007, parts.end(parts.count() - 1));
        for (int p = 0; p < parts.count(); p++)
        {
            assertTrue(parts.end(p) - parts.start(p) >= 625);
            if (p > 0)
            {
                assertEquals(parts.end(p - 1), parts.start(p));
            }
        }
    }

    @Test
    void shouldRespectMinimumPartSize()
    {
        assertEquals(3, Partitions.of(3500, 4096, 1000).count());
        assertEquals(1, Partitions.of(10, 4096, 1000).count());
        assertEquals(1, Partitions.of(0, 4096, 1000).count());
    }
}
