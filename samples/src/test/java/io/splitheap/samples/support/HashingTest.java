package io.splitheap.samples.support;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HashingTest
{
    @Test
    void shouldUnmixWhatItMixes()
    {
        final SplitMix64 random = new SplitMix64(1);
        for (int i = 0; i < 10_000; i++)
        {
            final long value = random.nextLong();
            assertEquals(value, Hashing.unmix64(Hashing.mix64(value)));
            assertEquals(value, Hashing.mix64(Hashing.unmix64(value)));
        }
        assertEquals(0, Hashing.mix64(0));
    }

    @Test
    void shouldScaleUnsignedHashesInOrderIntoRange()
    {
        final long bound = 1_000_003;
        assertEquals(0, Hashing.scale(0, bound));
        assertEquals(bound - 1, Hashing.scale(-1L, bound));
        assertEquals(bound / 2, Hashing.scale(Long.MIN_VALUE, bound));
        long previous = 0;
        for (long h = 0; h >= 0 && h < Long.MAX_VALUE - (1L << 56); h += 1L << 56)
        {
            final long slot = Hashing.scale(h, bound);
            assertTrue(slot >= previous && slot < bound);
            previous = slot;
        }
    }
}
