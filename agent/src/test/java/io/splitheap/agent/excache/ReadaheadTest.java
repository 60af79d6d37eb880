package io.splitheap.agent.excache;

import io.splitheap.agent.TestFarMemory;
import io.splitheap.agent.runtime.FarAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readahead: a sequential sweep over evicted lines misses only where its stream starts, the armed line of each
 * window keeps the next one coming, and access without a stream fetches nothing ahead.
 */
@Timeout(60)
class ReadaheadTest
{
    private static final int LINE = 4096;
    private static final int LONGS_PER_LINE = LINE / Long.BYTES;
    private static final int LINES = 256;
    private static final int WINDOW = 8;

    @Test
    void shouldMissOnlyWhereASequentialStreamStarts()
    {
        try (TestFarMemory far = new TestFarMemory(64 * LINE, "fifo", WINDOW, false))
        {
            final long[] array = written(far);
            final long missesBefore = far.cache().stats().misses();
            final long prefetchesBefore = far.cache().stats().prefetches();
            long sum = 0;
            for (int i = 0; i < FarAccess.arraylength(array); i++)
            {
                sum += FarAccess.laload(array, i);
            }
            assertEquals(expectedSum(), sum, "every value read back");
            final long misses = far.cache().stats().misses() - missesBefore;
            final long prefetched = far.cache().stats().prefetches() - prefetchesBefore;
            assertEquals(2, misses, "line 0 (nothing behind it) and line 1 (starts the stream); the rest came ahead");
            assertEquals(LINES - 2, prefetched, "every other line was read ahead, none twice");
        }
    }

    @Test
    void shouldNotReadAheadWithoutAStream()
    {
        try (TestFarMemory far = new TestFarMemory(64 * LINE, "fifo", WINDOW, false))
        {
            final long[] array = written(far);
            final long prefetchesBefore = far.cache().stats().prefetches();
            long sum = 0;
            for (int i = FarAccess.arraylength(array) - 1; i >= 0; i--)
            {
                sum += FarAccess.laload(array, i);
            }
            assertEquals(expectedSum(), sum);
            assertEquals(0, far.cache().stats().prefetches() - prefetchesBefore,
                "a descending sweep never finds the line before a miss cached");
        }
    }

    @Test
    void shouldNotTakeANeighbourFilledLongAgoForAStream()
    {
        final int lines = 1024;
        try (TestFarMemory far = new TestFarMemory(512 * LINE, "fifo", WINDOW, false))
        {
            final long[] array = ExCacheTest.newLongs(far, lines * LONGS_PER_LINE);
            for (int i = 0; i < FarAccess.arraylength(array); i++)
            {
                FarAccess.lastore(array, i, i);
            }
            assertTrue(far.farMemory().drain(TimeUnit.SECONDS.toNanos(10)));
            final long before = far.cache().stats().prefetches();
            assertEquals(10L * LONGS_PER_LINE, FarAccess.laload(array, 10 * LONGS_PER_LINE));
            for (int line = 100 + Readahead.RECENT_FILLS + 50; line >= 100; line--)
            {
                FarAccess.laload(array, line * LONGS_PER_LINE);
            }
            assertEquals(0, far.cache().stats().prefetches() - before, "descending reads start no stream");
            assertEquals(11L * LONGS_PER_LINE, FarAccess.laload(array, 11 * LONGS_PER_LINE));
            assertEquals(0, far.cache().stats().prefetches() - before,
                "line 10 is cached but was filled more than " + Readahead.RECENT_FILLS + " fills ago: no stream");
            // the reads above evicted hundreds of dirty lines; a readahead stops at the first frame it cannot have
            // without waiting, which a write-back buffer (64 lines) still full of them would make the first one
            assertTrue(far.farMemory().drain(TimeUnit.SECONDS.toNanos(10)));
            assertEquals(13L * LONGS_PER_LINE, FarAccess.laload(array, 13 * LONGS_PER_LINE));
            assertEquals(12L * LONGS_PER_LINE, FarAccess.laload(array, 12 * LONGS_PER_LINE));
            assertEquals(WINDOW - 1, far.cache().stats().prefetches() - before,
                "line 11 was filled a moment ago: the miss on 12 starts a stream (13 is cached already)");
        }
    }

    @Test
    void shouldReadTheNewestDataOfLinesWrittenWhileStreaming()
    {
        try (TestFarMemory far = new TestFarMemory(64 * LINE, "fifo", WINDOW, false))
        {
            final long[] array = written(far);
            for (int round = 1; round <= 3; round++)
            {
                for (int i = 0; i < FarAccess.arraylength(array); i++)
                {
                    FarAccess.lastore(array, i, FarAccess.laload(array, i) + round);
                }
            }
            long sum = 0;
            for (int i = 0; i < FarAccess.arraylength(array); i++)
            {
                sum += FarAccess.laload(array, i);
            }
            assertEquals(expectedSum() + 6L * LINES * LONGS_PER_LINE, sum, "read-modify-write sweeps over armed lines");
            assertTrue(far.cache().stats().prefetches() > 3 * (LINES - 2), "the sweeps streamed");
        }
    }

    private static long[] written(final TestFarMemory far)
    {
        final long[] array = ExCacheTest.newLongs(far, LINES * LONGS_PER_LINE);
        for (int i = 0; i < FarAccess.arraylength(array); i++)
        {
            FarAccess.lastore(array, i, i);
        }
        assertTrue(far.farMemory().drain(TimeUnit.SECONDS.toNanos(10)), "written back");
        return array;
    }

    private static long expectedSum()
    {
        final long n = (long)LINES * LONGS_PER_LINE;
        return n * (n - 1) / 2;
    }
}
