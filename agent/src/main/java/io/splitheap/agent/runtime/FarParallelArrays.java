package io.splitheap.agent.runtime;

import java.util.Arrays;
import java.util.Objects;
import java.util.Spliterator;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.DoubleBinaryOperator;
import java.util.function.IntBinaryOperator;
import java.util.function.IntConsumer;
import java.util.function.IntToDoubleFunction;
import java.util.function.IntToLongFunction;
import java.util.function.IntUnaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.stream.IntStream;

/**
 * {@code Arrays.parallelPrefix}, {@code parallelSetAll} and {@code spliterator} for far arrays, in parallel and in
 * bounded local memory. Calls on heap arrays go to the JDK.
 * <p>
 * {@code parallelSetAll} is the JDK's own algorithm (a parallel stream of indexes) storing where the array lives.
 * {@code parallelPrefix} cuts the range into segments of at least {@link FarJdkArrays#BLOCK} elements, a few per
 * thread of the pool the caller runs in, and works in three phases: each segment cumulates itself in parallel, the
 * carries (the cumulation of everything before each segment) are combined in order on the calling thread, and each
 * segment but the first applies its carry in parallel. Like the JDK's, it relies on the operator being associative.
 * The spliterators are {@link FarSpliterators}, with the JDK's characteristics.
 */
public final class FarParallelArrays
{
    private static final int SEGMENTS_PER_THREAD = 4;

    private FarParallelArrays()
    {
    }

    /**
     * {@code Arrays.parallelPrefix}: each element becomes the cumulation of itself and those before it.
     *
     * @param array the array.
     * @param op    the associative cumulation.
     */
    public static void parallelPrefix(final int[] array, final IntBinaryOperator op)
    {
        if (!FarJdkArrays.isFar(array))
        {
            Arrays.parallelPrefix((int[])FarJdkArrays.heapOf(array), op);
            return;
        }
        parallelPrefix(array, 0, FarArrays.length(array), op);
    }

    /**
     * {@code Arrays.parallelPrefix} of a range.
     *
     * @param array the array.
     * @param from  first index.
     * @param to    index after the last.
     * @param op    the associative cumulation.
     */
    public static void parallelPrefix(final int[] array, final int from, final int to, final IntBinaryOperator op)
    {
        if (!FarJdkArrays.isFar(array))
        {
            Arrays.parallelPrefix((int[])FarJdkArrays.heapOf(array), from, to, op);
            return;
        }
        Objects.requireNonNull(op);
        final Segments segments = Segments.of(FarArrays.length(array), from, to);
        segments.each(0, s -> cumulate(array, segments.start(s), segments.start(s + 1), op, false, 0));
        final int[] carries = new int[segments.count];
        for (int s = 1; s < segments.count; s++)
        {
            final int last = FarAccess.iaload(array, segments.start(s) - 1);
            carries[s] = s == 1 ? last : op.applyAsInt(carries[s - 1], last);
        }
        segments.each(1, s -> cumulate(array, segments.start(s), segments.start(s + 1), op, true, carries[s]));
    }

    /**
     * {@code Arrays.parallelPrefix}: each element becomes the cumulation of itself and those before it.
     *
     * @param array the array.
     * @param op    the associative cumulation.
     */
    public static void parallelPrefix(final long[] array, final LongBinaryOperator op)
    {
        if (!FarJdkArrays.isFar(array))
        {
            Arrays.parallelPrefix((long[])FarJdkArrays.heapOf(array), op);
            return;
        }
        parallelPrefix(array, 0, FarArrays.length(array), op);
    }

    /**
     * {@code Arrays.parallelPrefix} of a range.
     *
     * @param array the array.
     * @param from  first index.
     * @param to    index after the last.
     * @param op    the associative cumulation.
     */
    public static void parallelPrefix(final long[] array, final int from, final int to, final LongBinaryOperator op)
    {
        if (!FarJdkArrays.isFar(array))
        {
            Arrays.parallelPrefix((long[])FarJdkArrays.heapOf(array), from, to, op);
            return;
        }
        Objects.requireNonNull(op);
        final Segments segments = Segments.of(FarArrays.length(array), from, to);
        segments.each(0, s -> cumulate(array, segments.start(s), segments.start(s + 1), op, false, 0));
        final long[] carries = new long[segments.count];
        for (int s = 1; s < segments.count; s++)
        {
            final long last = FarAccess.laload(array, segments.start(s) - 1);
            carries[s] = s == 1 ? last : op.applyAsLong(carries[s - 1], last);
        }
        segments.each(1, s -> cumulate(array, segments.start(s), segments.start(s + 1), op, true, carries[s]));
    }

    /**
     * {@code Arrays.parallelPrefix}: each element becomes the cumulation of itself and those before it.
     *
     * @param array the array.
     * @param op    the associative cumulation.
     */
    public static void parallelPrefix(final double[] array, final DoubleBinaryOperator op)
    {
        if (!FarJdkArrays.isFar(array))
        {
            Arrays.parallelPrefix((double[])FarJdkArrays.heapOf(array), op);
            return;
        }
        parallelPrefix(array, 0, FarArrays.length(array), op);
    }

    /**
     * {@code Arrays.parallelPrefix} of a range.
     *
     * @param array the array.
     * @param from  first index.
     * @param to    index after the last.
     * @param op    the associative cumulation.
     */
    public static void parallelPrefix(final double[] array, final int from, final int to,
        final DoubleBinaryOperator op)
    {
        if (!FarJdkArrays.isFar(array))
        {
            Arrays.parallelPrefix((double[])FarJdkArrays.heapOf(array), from, to, op);
            return;
        }
        Objects.requireNonNull(op);
        final Segments segments = Segments.of(FarArrays.length(array), from, to);
        segments.each(0, s -> cumulate(array, segments.start(s), segments.start(s + 1), op, false, 0));
        final double[] carries = new double[segments.count];
        for (int s = 1; s < segments.count; s++)
        {
            final double last = FarAccess.daload(array, segments.start(s) - 1);
            carries[s] = s == 1 ? last : op.applyAsDouble(carries[s - 1], last);
        }
        segments.each(1, s -> cumulate(array, segments.start(s), segments.start(s + 1), op, true, carries[s]));
    }

    /**
     * {@code Arrays.parallelSetAll}.
     *
     * @param array     the array.
     * @param generator the value of each index.
     */
    public static void parallelSetAll(final int[] array, final IntUnaryOperator generator)
    {
        if (!FarJdkArrays.isFar(array))
        {
            Arrays.parallelSetAll((int[])FarJdkArrays.heapOf(array), generator);
            return;
        }
        Objects.requireNonNull(generator);
        IntStream.range(0, FarArrays.length(array)).parallel()
            .forEach(i -> FarAccess.iastore(array, i, generator.applyAsInt(i)));
    }

    /**
     * {@code Arrays.parallelSetAll}.
     *
     * @param array     the array.
     * @param generator the value of each index.
     */
    public static void parallelSetAll(final long[] array, final IntToLongFunction generator)
    {
        if (!FarJdkArrays.isFar(array))
        {
            Arrays.parallelSetAll((long[])FarJdkArrays.heapOf(array), generator);
            return;
        }
        Objects.requireNonNull(generator);
        IntStream.range(0, FarArrays.length(array)).parallel()
            .forEach(i -> FarAccess.lastore(array, i, generator.applyAsLong(i)));
    }

    /**
     * {@code Arrays.parallelSetAll}.
     *
     * @param array     the array.
     * @param generator the value of each index.
     */
    public static void parallelSetAll(final double[] array, final IntToDoubleFunction generator)
    {
        if (!FarJdkArrays.isFar(array))
        {
            Arrays.parallelSetAll((double[])FarJdkArrays.heapOf(array), generator);
            return;
        }
        Objects.requireNonNull(generator);
        IntStream.range(0, FarArrays.length(array)).parallel()
            .forEach(i -> FarAccess.dastore(array, i, generator.applyAsDouble(i)));
    }

    /**
     * {@code Arrays.spliterator}.
     *
     * @param array the array.
     * @return a spliterator over its elements.
     */
    public static Spliterator.OfInt spliterator(final int[] array)
    {
        return FarJdkArrays.isFar(array) ? new FarSpliterators.Ints(array, 0, FarArrays.length(array)) :
            Arrays.spliterator((int[])FarJdkArrays.heapOf(array));
    }

    /**
     * {@code Arrays.spliterator} of a range.
     *
     * @param array the array.
     * @param from  first index.
     * @param to    index after the last.
     * @return a spliterator over the range's elements.
     */
    public static Spliterator.OfInt spliterator(final int[] array, final int from, final int to)
    {
        return FarJdkArrays.isFar(array) ? FarSpliterators.of(array, from, to) :
            Arrays.spliterator((int[])FarJdkArrays.heapOf(array), from, to);
    }

    /**
     * {@code Arrays.spliterator}.
     *
     * @param array the array.
     * @return a spliterator over its elements.
     */
    public static Spliterator.OfLong spliterator(final long[] array)
    {
        return FarJdkArrays.isFar(array) ? new FarSpliterators.Longs(array, 0, FarArrays.length(array)) :
            Arrays.spliterator((long[])FarJdkArrays.heapOf(array));
    }

    /**
     * {@code Arrays.spliterator} of a range.
     *
     * @param array the array.
     * @param from  first index.
     * @param to    index after the last.
     * @return a spliterator over the range's elements.
     */
    public static Spliterator.OfLong spliterator(final long[] array, final int from, final int to)
    {
        return FarJdkArrays.isFar(array) ? FarSpliterators.of(array, from, to) :
            Arrays.spliterator((long[])FarJdkArrays.heapOf(array), from, to);
    }

    /**
     * {@code Arrays.spliterator}.
     *
     * @param array the array.
     * @return a spliterator over its elements.
     */
    public static Spliterator.OfDouble spliterator(final double[] array)
    {
        return FarJdkArrays.isFar(array) ? new FarSpliterators.Doubles(array, 0, FarArrays.length(array)) :
            Arrays.spliterator((double[])FarJdkArrays.heapOf(array));
    }

    /**
     * {@code Arrays.spliterator} of a range.
     *
     * @param array the array.
     * @param from  first index.
     * @param to    index after the last.
     * @return a spliterator over the range's elements.
     */
    public static Spliterator.OfDouble spliterator(final double[] array, final int from, final int to)
    {
        return FarJdkArrays.isFar(array) ? FarSpliterators.of(array, from, to) :
            Arrays.spliterator((double[])FarJdkArrays.heapOf(array), from, to);
    }

    /**
     * Cumulates a segment in place, from its first element ({@code carried} false) or applies a carry to each of
     * its elements ({@code carried} true), through a heap buffer.
     */
    private static void cumulate(final int[] array, final int start, final int end, final IntBinaryOperator op,
        final boolean carried, final int carry)
    {
        final int[] block = new int[Math.min(FarJdkArrays.BLOCK, end - start)];
        int previous = carry;
        for (int at = start; at < end; at += block.length)
        {
            final int count = Math.min(block.length, end - at);
            FarArrays.arraycopy(array, at, block, 0, count);
            for (int i = at == start && !carried ? 1 : 0; i < count; i++)
            {
                block[i] = carried ? op.applyAsInt(carry, block[i]) :
                    op.applyAsInt(i == 0 ? previous : block[i - 1], block[i]);
            }
            previous = block[count - 1];
            FarArrays.arraycopy(block, 0, array, at, count);
        }
    }

    private static void cumulate(final long[] array, final int start, final int end, final LongBinaryOperator op,
        final boolean carried, final long carry)
    {
        final long[] block = new long[Math.min(FarJdkArrays.BLOCK, end - start)];
        long previous = carry;
        for (int at = start; at < end; at += block.length)
        {
            final int count = Math.min(block.length, end - at);
            FarArrays.arraycopy(array, at, block, 0, count);
            for (int i = at == start && !carried ? 1 : 0; i < count; i++)
            {
                block[i] = carried ? op.applyAsLong(carry, block[i]) :
                    op.applyAsLong(i == 0 ? previous : block[i - 1], block[i]);
            }
            previous = block[count - 1];
            FarArrays.arraycopy(block, 0, array, at, count);
        }
    }

    private static void cumulate(final double[] array, final int start, final int end, final DoubleBinaryOperator op,
        final boolean carried, final double carry)
    {
        final double[] block = new double[Math.min(FarJdkArrays.BLOCK, end - start)];
        double previous = carry;
        for (int at = start; at < end; at += block.length)
        {
            final int count = Math.min(block.length, end - at);
            FarArrays.arraycopy(array, at, block, 0, count);
            for (int i = at == start && !carried ? 1 : 0; i < count; i++)
            {
                block[i] = carried ? op.applyAsDouble(carry, block[i]) :
                    op.applyAsDouble(i == 0 ? previous : block[i - 1], block[i]);
            }
            previous = block[count - 1];
            FarArrays.arraycopy(block, 0, array, at, count);
        }
    }

    /**
     * A range cut into segments of at least one block, a few per thread of the pool the caller runs in (the common
     * pool unless the caller is a worker of another).
     */
    static final class Segments
    {
        final int count;
        private final int from;
        private final int length;

        private Segments(final int from, final int length, final int count)
        {
            this.from = from;
            this.length = length;
            this.count = count;
        }

        static Segments of(final int arrayLength, final int from, final int to)
        {
            FarSort.rangeCheck(arrayLength, from, to);
            final ForkJoinPool pool =
                ForkJoinTask.inForkJoinPool() ? ForkJoinTask.getPool() : ForkJoinPool.commonPool();
            final long threads = Math.max(1, pool.getParallelism()) + 1L;
            final long blocks = ((long)to - from) / FarJdkArrays.BLOCK;
            return new Segments(from, to - from, (int)Math.max(1, Math.min(blocks, SEGMENTS_PER_THREAD * threads)));
        }

        int start(final int segment)
        {
            return from + (int)((long)length * segment / count);
        }

        void each(final int first, final IntConsumer task)
        {
            if (count - first == 1)
            {
                task.accept(first);
            }
            else if (count > first)
            {
                IntStream.range(first, count).parallel().forEach(task);
            }
        }
    }
}
