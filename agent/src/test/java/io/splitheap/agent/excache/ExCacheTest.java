package io.splitheap.agent.excache;

import io.splitheap.agent.TestFarMemory;
import io.splitheap.agent.core.FarRegistry;
import io.splitheap.agent.runtime.FarAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class ExCacheTest
{
    private static final int LINE = 4096;
    private static final int LONGS_PER_LINE = LINE / Long.BYTES;

    @Test
    void shouldServeUntouchedLinesAsZerosWithoutARoundTrip()
    {
        try (TestFarMemory far = new TestFarMemory(16 * LINE, "fifo"))
        {
            final long[] array = newLongs(far, 64 * LONGS_PER_LINE);
            long sum = 0;
            for (int i = 0; i < FarAccess.arraylength(array); i += 7)
            {
                sum += FarAccess.laload(array, i);
            }
            assertEquals(0, sum);
            assertEquals(0, far.backend().reads(), "never-written lines are not fetched");
            assertEquals(0, far.cache().stats().zeroFills(), "reading zeros takes no frame");
            assertEquals(64 * LONGS_PER_LINE, FarAccess.arraylength(array));
        }
    }

    /**
     * A thread whose first far access is a store, and which never runs a chunked loop, must still get the store hit
     * path: it needs a thread slot for its hazard, and the slow path claims one. Without that claim every store of
     * such a thread took the slow path (a pin with two full-fence atomics): 16 ns a store instead of 7.
     */
    @Test
    void shouldTakeTheStoreHitPathInAFreshThreadThatOnlyStores() throws InterruptedException
    {
        try (TestFarMemory far = new TestFarMemory(16 * LINE, "fifo"))
        {
            final long[] array = newLongs(far, 4 * LONGS_PER_LINE);
            final long hitsBefore = far.cache().hits();
            final Thread writer = new Thread(() ->
            {
                for (int i = 0; i < FarAccess.arraylength(array); i++)
                {
                    FarAccess.lastore(array, i, i);
                }
            });
            writer.start();
            writer.join();
            final long hits = far.cache().hits() - hitsBefore;
            assertEquals(4 * LONGS_PER_LINE - 4, hits, "every store but each line's first is a hit");
            assertEquals(4, far.cache().stats().zeroFills());
        }
    }

    @Test
    void shouldCreateALineLocallyOnItsFirstWrite()
    {
        try (TestFarMemory far = new TestFarMemory(16 * LINE, "fifo"))
        {
            final long[] array = newLongs(far, 8 * LONGS_PER_LINE);
            for (int i = 0; i < FarAccess.arraylength(array); i++)
            {
                FarAccess.lastore(array, i, i);
            }
            assertEquals(0, far.backend().reads());
            assertEquals(8, far.cache().stats().zeroFills());
            final int index = 12345 % FarAccess.arraylength(array);
            assertEquals(index, FarAccess.laload(array, index));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fifo", "lru", "clock"})
    void shouldWriteBackDirtyLinesBeforeReusingTheirFrames(final String policy)
    {
        try (TestFarMemory far = new TestFarMemory(16 * LINE, policy))
        {
            final long[] array = newLongs(far, 100 * LONGS_PER_LINE);
            for (int round = 0; round < 3; round++)
            {
                for (int i = 0; i < FarAccess.arraylength(array); i++)
                {
                    FarAccess.lastore(array, i, i * 3L + round);
                }
            }
            for (int i = FarAccess.arraylength(array) - 1; i >= 0; i--)
            {
                assertEquals(i * 3L + 2, FarAccess.laload(array, i), "element " + i);
            }
            final CacheStats stats = far.cache().stats();
            assertTrue(stats.evictions() > 100, "evictions=" + stats.evictions());
            assertTrue(stats.writeBacks() > 100, "writeBacks=" + stats.writeBacks());
            assertTrue(far.backend().writes() > 0, "lines reached the backend");
            assertTrue(stats.misses() > 0);
        }
    }

    @Test
    void shouldEvictTheOldestLineUnderFifoEvenIfItWasJustUsed() throws InterruptedException
    {
        assertEquals(1, rereadsAfterHitOnFirstLine("fifo"));
    }

    @Test
    void shouldKeepTheRecentlyUsedLineUnderLru() throws InterruptedException
    {
        assertEquals(0, rereadsAfterHitOnFirstLine("lru"));
    }

    private static long rereadsAfterHitOnFirstLine(final String policy) throws InterruptedException
    {
        try (TestFarMemory far = new TestFarMemory(16 * LINE, policy, 0, false))
        {
            final long[] array = newLongs(far, 40 * LONGS_PER_LINE);
            final Thread writer = new Thread(() ->
            {
                for (int line = 0; line < 40; line++)
                {
                    FarAccess.lastore(array, line * LONGS_PER_LINE, line);
                }
            });
            writer.start();
            writer.join();
            far.cache().reclaimIdle();
            far.farMemory().drain(TimeUnit.SECONDS.toNanos(5));
            for (int line = 0; line < 16; line++)
            {
                FarAccess.laload(array, line * LONGS_PER_LINE);
            }
            FarAccess.laload(array, 0);
            FarAccess.laload(array, 16 * LONGS_PER_LINE);
            final long before = far.backend().reads();
            assertEquals(0, FarAccess.laload(array, 0));
            return far.backend().reads() - before;
        }
    }

    @Test
    void shouldFetchALineOnceWhenManyThreadsMissItTogether() throws Exception
    {
        try (TestFarMemory far = new TestFarMemory(16 * LINE, "fifo", 0, false))
        {
            final long[] array = newLongs(far, 64 * LONGS_PER_LINE);
            for (int i = 0; i < FarAccess.arraylength(array); i++)
            {
                FarAccess.lastore(array, i, -i);
            }
            far.farMemory().drain(TimeUnit.SECONDS.toNanos(5));
            final CountDownLatch inside = new CountDownLatch(1);
            final CountDownLatch release = new CountDownLatch(1);
            far.backend().readHook(() ->
            {
                inside.countDown();
                await(release);
            });
            final int threads = 6;
            final long readsBefore = far.backend().reads();
            final List<Thread> readers = new ArrayList<>();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            for (int t = 0; t < threads; t++)
            {
                final int index = 5 + t;
                readers.add(start(() -> assertEquals(-index, FarAccess.laload(array, index)), failure));
            }
            assertTrue(inside.await(10, TimeUnit.SECONDS));
            Thread.sleep(200);
            release.countDown();
            for (final Thread reader : readers)
            {
                reader.join();
            }
            far.backend().readHook(null);
            assertNull(failure.get());
            assertEquals(1, far.backend().reads() - readsBefore, "one fetch for one line");
        }
    }

    @Test
    void shouldFetchDifferentLinesInParallel() throws Exception
    {
        try (TestFarMemory far = new TestFarMemory(32 * LINE, "fifo", 0, false))
        {
            final long[] array = newLongs(far, 64 * LONGS_PER_LINE);
            for (int i = 0; i < FarAccess.arraylength(array); i++)
            {
                FarAccess.lastore(array, i, i);
            }
            far.farMemory().drain(TimeUnit.SECONDS.toNanos(5));
            final int threads = 4;
            final CyclicBarrier allInside = new CyclicBarrier(threads);
            final AtomicInteger concurrent = new AtomicInteger();
            final AtomicInteger maxConcurrent = new AtomicInteger();
            far.backend().readHook(() ->
            {
                maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                try
                {
                    allInside.await(10, TimeUnit.SECONDS);
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
                concurrent.decrementAndGet();
            });
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                final int index = t * LONGS_PER_LINE;
                readers.add(start(() -> assertEquals(index, FarAccess.laload(array, index)), failure));
            }
            for (final Thread reader : readers)
            {
                reader.join();
            }
            far.backend().readHook(null);
            assertNull(failure.get());
            assertEquals(threads, maxConcurrent.get(), "all misses were in flight at once");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fifo", "lru", "clock"})
    void shouldKeepEveryThreadsWritesAcrossEvictions(final String policy) throws Exception
    {
        try (TestFarMemory far = new TestFarMemory(16 * LINE, policy))
        {
            final int threads = 4;
            final int perThread = 20 * LONGS_PER_LINE;
            final long[] array = newLongs(far, threads * perThread);
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                final int base = t * perThread;
                writers.add(start(() ->
                {
                    for (int round = 0; round < 5; round++)
                    {
                        for (int i = 0; i < perThread; i += 3)
                        {
                            FarAccess.lastore(array, base + i, (long)(base + i) * 10 + round);
                        }
                    }
                }, failure));
            }
            for (final Thread writer : writers)
            {
                writer.join();
            }
            assertNull(failure.get());
            for (int i = 0; i < FarAccess.arraylength(array); i++)
            {
                assertEquals(i % perThread % 3 == 0 ? (long)i * 10 + 4 : 0, FarAccess.laload(array, i), "index " + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fifo", "lru", "clock"})
    void shouldNotLoseFramesWhenArraysDieAndNewOnesAreFilled(final String policy)
    {
        try (TestFarMemory far = new TestFarMemory(16 * LINE, policy, 4, false))
        {
            for (int round = 0; round < 200; round++)
            {
                final long[] array = newLongs(far, 5 * LONGS_PER_LINE);
                for (int i = 0; i < FarAccess.arraylength(array); i += 100)
                {
                    FarAccess.lastore(array, i, i + round);
                }
                assertEquals(200 + round, FarAccess.laload(array, 200));
                if (round % 10 == 0)
                {
                    System.gc();
                }
            }
            final long[] big = newLongs(far, 64 * LONGS_PER_LINE);
            for (int i = 0; i < FarAccess.arraylength(big); i++)
            {
                FarAccess.lastore(big, i, i);
            }
            for (int i = 0; i < FarAccess.arraylength(big); i++)
            {
                assertEquals(i, FarAccess.laload(big, i));
            }
        }
    }

    @Test
    void shouldReleaseFarMemoryOfArraysThatDied() throws Exception
    {
        try (TestFarMemory far = new TestFarMemory(16 * LINE, "fifo", 4, true))
        {
            long[] array = newLongs(far, 8 * LONGS_PER_LINE);
            final FarArray descriptor = FarRegistry.find(array);
            assertNotNull(descriptor);
            final long before = FarRegistry.size();
            array = null;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!descriptor.isDead() && System.nanoTime() < deadline)
            {
                System.gc();
                far.farMemory().runHousekeeping();
                Thread.sleep(10);
            }
            assertTrue(descriptor.isDead(), "the descriptor of an unreachable array is released");
            assertTrue(FarRegistry.size() < before);
        }
    }

    static long[] newLongs(final TestFarMemory far, final int length)
    {
        return (long[])far.farMemory().allocate(ElementType.LONG, length, -1);
    }

    private static Thread start(final Runnable task, final AtomicReference<Throwable> failure)
    {
        final Thread thread = new Thread(() ->
        {
            try
            {
                task.run();
            }
            catch (final Throwable ex)
            {
                failure.compareAndSet(null, ex);
            }
        });
        thread.start();
        return thread;
    }

    private static void await(final CountDownLatch latch)
    {
        try
        {
            latch.await(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
