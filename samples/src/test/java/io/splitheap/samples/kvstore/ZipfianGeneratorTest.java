package io.splitheap.samples.kvstore;

import io.splitheap.samples.support.SplitMix64;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZipfianGeneratorTest
{
    @Test
    void shouldApproximateZetaOfLargeRangesClosely()
    {
        final long n = 300_000;
        double exact = 0;
        for (long i = 1; i <= n; i++)
        {
            exact += 1.0 / StrictMath.pow(i, 0.99);
        }
        assertEquals(exact, ZipfianGenerator.zeta(n, 0.99), exact * 1e-12);
    }

    @Test
    void shouldDrawInRangeWithZipfianFrequencies()
    {
        final int items = 1000;
        final ZipfianGenerator zipfian = new ZipfianGenerator(items, ZipfianGenerator.DEFAULT_THETA);
        final SplitMix64 random = new SplitMix64(7);
        final long[] counts = new long[items];
        final int draws = 200_000;
        for (int i = 0; i < draws; i++)
        {
            final long item = zipfian.next(random);
            assertTrue(item >= 0 && item < items);
            counts[(int)item]++;
        }
        final double zeta = ZipfianGenerator.zeta(items, ZipfianGenerator.DEFAULT_THETA);
        assertEquals(draws / zeta, counts[0], draws / zeta * 0.05);
        assertEquals(draws / zeta / StrictMath.pow(2, 0.99), counts[1], draws / zeta * 0.05);
        assertTrue(counts[10] > counts[100] && counts[100] > 0);
    }

    @Test
    void shouldDrawOnlyItemZeroFromOneItem()
    {
        final ZipfianGenerator zipfian = new ZipfianGenerator(1, 0.99);
        final SplitMix64 random = new SplitMix64(1);
        for (int i = 0; i < 100; i++)
        {
            assertEquals(0, zipfian.next(random));
        }
    }
}
