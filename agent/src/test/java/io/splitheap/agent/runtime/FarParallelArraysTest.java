package io.splitheap.agent.runtime;

import io.splitheap.agent.TestFarMemory;
import io.splitheap.agent.excache.ElementType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Spliterator;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link FarParallelArrays} gives {@code java.util.Arrays}' results for far arrays larger than the ExCache and than
 * the localization limit (nothing may be moved to the heap), runs the parallel operations on more than one thread,
 * and makes spliterators with the JDK's characteristics, splits and range checks.
 */
class FarParallelArraysTest
{
    private static final int LENGTH = 100_000;
    private static final int MARK = 1 << 24;
    private static final long MEET_SECONDS = 30;

    @Test
    void shouldCumulateAndSetAllAsTheJdkDoes()
    {
        try (TestFarMemory far = new TestFarMemory(32 * 4096, "fifo", 0, false, 1024))
        {
            final IntUnaryOperator generator = i -> i * 7 - 30_000;
            final int[] heapInts = new int[LENGTH];
            final int[] farInts = (int[])far.farMemory().allocate(ElementType.INT, LENGTH, -1);
            Arrays.parallelSetAll(heapInts, generator);
            FarParallelArrays.parallelSetAll(farInts, generator);
            Arrays.parallelPrefix(heapInts, 10, LENGTH - 10, Integer::sum);
            FarParallelArrays.parallelPrefix(farInts, 10, LENGTH - 10, Integer::sum);
            assertArrayEquals(heapInts, copy(farInts));
            Arrays.parallelPrefix(heapInts, Math::max);
            FarParallelArrays.parallelPrefix(farInts, Math::max);
            assertArrayEquals(heapInts, copy(farInts));

            final long[] heapLongs = new long[LENGTH];
            final long[] farLongs = (long[])far.farMemory().allocate(ElementType.LONG, LENGTH, -1);
            Arrays.parallelSetAll(heapLongs, i -> 3L * i);
            FarParallelArrays.parallelSetAll(farLongs, i -> 3L * i);
            Arrays.parallelPrefix(heapLongs, Long::sum);
            FarParallelArrays.parallelPrefix(farLongs, Long::sum);
            final long[] longs = new long[LENGTH];
            FarArrays.arraycopy(farLongs, 0, longs, 0, LENGTH);
            assertArrayEquals(heapLongs, longs);

            // Multiples of 1/4 add up exactly in any order, so the parallel orders must agree to the bit.
            final double[] heapDoubles = new double[LENGTH];
            final double[] farDoubles = (double[])far.farMemory().allocate(ElementType.DOUBLE, LENGTH, -1);
            Arrays.parallelSetAll(heapDoubles, i -> i * 0.25);
            FarParallelArrays.parallelSetAll(farDoubles, i -> i * 0.25);
            Arrays.parallelPrefix(heapDoubles, 0, 50_000, Double::sum);
            FarParallelArrays.parallelPrefix(farDoubles, 0, 50_000, Double::sum);
            final double[] doubles = new double[LENGTH];
            FarArrays.arraycopy(farDoubles, 0, doubles, 0, LENGTH);
            assertArrayEquals(heapDoubles, doubles);

            for (final int[] range : new int[][]{{5, 4}, {-1, 3}, {0, LENGTH + 1}})
            {
                assertSameThrow(() -> Arrays.parallelPrefix(heapInts, range[0], range[1], Integer::sum),
                    () -> FarParallelArrays.parallelPrefix(farInts, range[0], range[1], Integer::sum));
            }
            assertSameThrow(() -> Arrays.parallelPrefix(heapInts, null),
                () -> FarParallelArrays.parallelPrefix(farInts, null));
            assertEquals(0, far.cache().stats().localizations(), "nothing was moved to the heap");
        }
    }

    @Test
    void shouldRunParallelOperationsOnMoreThanOneThread() throws Exception
    {
        final ForkJoinPool pool = new ForkJoinPool(4);
        try (TestFarMemory far = new TestFarMemory(32 * 4096, "fifo", 0, false, 1024))
        {
            final int[] farInts = (int[])far.farMemory().allocate(ElementType.INT, LENGTH, -1);
            // The first and the last index wait for each other: on one thread, the first would wait for ever.
            final CyclicBarrier ends = new CyclicBarrier(2);
            final IntUnaryOperator generator = i ->
            {
                if (i == 0 || i == LENGTH - 1)
                {
                    meet(ends);
                }
                return i == 1 || i == LENGTH - 1 ? MARK : 1;
            };
            pool.submit(() -> FarParallelArrays.parallelSetAll(farInts, generator)).get(2 * MEET_SECONDS,
                TimeUnit.SECONDS);

            final int[] expected = copy(farInts);
            Arrays.parallelPrefix(expected, Integer::sum);
            // Cumulating the first segment and the last one meet the same way, at the two marked elements.
            final CyclicBarrier marks = new CyclicBarrier(2);
            final IntBinaryOperator op = (a, b) ->
            {
                if (b == MARK)
                {
                    meet(marks);
                }
                return a + b;
            };
            pool.submit(() -> FarParallelArrays.parallelPrefix(farInts, op)).get(2 * MEET_SECONDS, TimeUnit.SECONDS);
            assertArrayEquals(expected, copy(farInts));
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldSplitAsTheJdkDoes()
    {
        try (TestFarMemory far = new TestFarMemory(32 * 4096, "fifo", 0, false, 1024))
        {
            final long[] heap = new long[LENGTH];
            Arrays.setAll(heap, i -> i * 31L);
            final long[] farLongs = (long[])far.farMemory().allocate(ElementType.LONG, LENGTH, -1);
            FarArrays.arraycopy(heap, 0, farLongs, 0, LENGTH);
            assertSameSpliterator(Arrays.spliterator(heap), FarParallelArrays.spliterator(farLongs));
            assertSameSpliterator(Arrays.spliterator(heap, 5, 77), FarParallelArrays.spliterator(farLongs, 5, 77));
            assertSameSpliterator(Arrays.stream(heap).spliterator(), FarJdkArrays.stream(farLongs).spliterator());
            final Spliterator.OfLong first = FarParallelArrays.spliterator(farLongs, 7, 8);
            assertNull(first.trySplit());
            assertEquals(7 * 31L, StreamSupport.longStream(first, false).sum());
            assertEquals(Arrays.stream(heap).sum(), StreamSupport.longStream(
                FarParallelArrays.spliterator(farLongs), true).sum(), "a parallel stream over it");

            final int[] heapInts = new int[LENGTH];
            Arrays.setAll(heapInts, i -> i - 50_000);
            final int[] farInts = (int[])far.farMemory().allocate(ElementType.INT, LENGTH, -1);
            FarArrays.arraycopy(heapInts, 0, farInts, 0, LENGTH);
            assertSameSpliterator(Arrays.spliterator(heapInts, 100, LENGTH), FarParallelArrays.spliterator(farInts,
                100, LENGTH));
            assertEquals(Arrays.stream(heapInts).sum(), FarJdkArrays.stream(farInts).sum());

            final double[] heapDoubles = new double[LENGTH];
            Arrays.setAll(heapDoubles, i -> i / 7.0);
            final double[] farDoubles = (double[])far.farMemory().allocate(ElementType.DOUBLE, LENGTH, -1);
            FarArrays.arraycopy(heapDoubles, 0, farDoubles, 0, LENGTH);
            assertSameSpliterator(Arrays.spliterator(heapDoubles), FarParallelArrays.spliterator(farDoubles));
            assertEquals(Arrays.stream(heapDoubles, 3, 999).sum(), FarJdkArrays.stream(farDoubles, 3, 999).sum());

            for (final int[] range : new int[][]{{5, 4}, {-1, 3}, {0, LENGTH + 1}})
            {
                assertSameThrow(() -> Arrays.spliterator(heap, range[0], range[1]),
                    () -> FarParallelArrays.spliterator(farLongs, range[0], range[1]));
                assertSameThrow(() -> Arrays.stream(heapInts, range[0], range[1]),
                    () -> FarJdkArrays.stream(farInts, range[0], range[1]));
            }
            assertEquals(0, far.cache().stats().localizations(), "nothing was moved to the heap");
        }
    }

    /**
     * Same characteristics, sizes and elements, split after split down three levels, each part traversed with
     * {@code tryAdvance} first and {@code forEachRemaining} after.
     */
    private static void assertSameSpliterator(final Spliterator<?> jdk, final Spliterator<?> far)
    {
        assertEquals(jdk.characteristics(), far.characteristics(), "characteristics");
        assertEquals(jdk.estimateSize(), far.estimateSize(), "size");
        assertEquals(jdk.getExactSizeIfKnown(), far.getExactSizeIfKnown(), "exact size");
        assertSameThrow(jdk::getComparator, far::getComparator);
        final Spliterator<?>[] jdkParts = {jdk, null, null, null, null, null, null, null};
        final Spliterator<?>[] farParts = {far, null, null, null, null, null, null, null};
        int parts = 1;
        boolean splitting = true;
        for (int level = 0; level < 3 && splitting; level++)
        {
            int made = 0;
            for (int i = 0; i < parts && splitting; i++)
            {
                jdkParts[parts + i] = jdkParts[i].trySplit();
                farParts[parts + i] = farParts[i].trySplit();
                assertEquals(jdkParts[parts + i] == null, farParts[parts + i] == null, "split");
                splitting = jdkParts[parts + i] != null;
                made += splitting ? 1 : 0;
            }
            parts += made;
        }
        for (int i = 0; i < parts; i++)
        {
            assertEquals(jdkParts[i].estimateSize(), farParts[i].estimateSize(), "part " + i);
            final StringBuilder jdkElements = new StringBuilder();
            final StringBuilder farElements = new StringBuilder();
            jdkParts[i].tryAdvance(jdkElements::append);
            farParts[i].tryAdvance(farElements::append);
            jdkParts[i].forEachRemaining(value -> jdkElements.append(',').append(value));
            farParts[i].forEachRemaining(value -> farElements.append(',').append(value));
            assertEquals(jdkElements.toString(), farElements.toString(), "part " + i);
            assertEquals(0, farParts[i].estimateSize(), "traversed");
        }
    }

    private static void assertSameThrow(final Runnable jdk, final Runnable far)
    {
        final Throwable expected = assertThrows(Throwable.class, jdk::run);
        final Throwable actual = assertThrows(Throwable.class, far::run);
        assertEquals(expected.getClass(), actual.getClass(), "exception type");
        assertEquals(expected.getMessage(), actual.getMessage(), "exception message");
    }

    private static void meet(final CyclicBarrier barrier)
    {
        try
        {
            barrier.await(MEET_SECONDS, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            throw new AssertionError("the other end never came: the operation ran on one thread", ex);
        }
    }

    private static int[] copy(final int[] far)
    {
        final int[] copy = new int[LENGTH];
        FarArrays.arraycopy(far, 0, copy, 0, LENGTH);
        return copy;
    }
}
