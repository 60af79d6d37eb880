package io.splitheap.agent.runtime;

import java.util.Objects;
import java.util.Spliterator;
import java.util.function.DoubleConsumer;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;

/**
 * Spliterators over far {@code int}, {@code long} and {@code double} arrays, as {@code Arrays.spliterator} makes
 * them for heap arrays: the same characteristics ({@code ORDERED}, {@code IMMUTABLE}, {@code SIZED},
 * {@code SUBSIZED}), the same splits (halves), the same range checks, and {@code forEachRemaining} marks the
 * spliterator done before it calls the action. Elements are read where the array lives, in blocks of
 * {@link FarJdkArrays#BLOCK} through a heap buffer when traversed in bulk. {@code Arrays.stream} of a far array is a
 * stream over one of these, as the JDK's is over its own.
 */
final class FarSpliterators
{
    static final int CHARACTERISTICS =
        Spliterator.ORDERED | Spliterator.IMMUTABLE | Spliterator.SIZED | Spliterator.SUBSIZED;

    private FarSpliterators()
    {
    }

    static Ints of(final int[] array, final int from, final int to)
    {
        checkFromToBounds(FarArrays.length(array), from, to);
        return new Ints(array, from, to);
    }

    static Longs of(final long[] array, final int from, final int to)
    {
        checkFromToBounds(FarArrays.length(array), from, to);
        return new Longs(array, from, to);
    }

    static Doubles of(final double[] array, final int from, final int to)
    {
        checkFromToBounds(FarArrays.length(array), from, to);
        return new Doubles(array, from, to);
    }

    /**
     * The checks and exceptions of {@code Spliterators.spliterator(array, from, to, ...)}.
     */
    static void checkFromToBounds(final int length, final int from, final int to)
    {
        if (from > to)
        {
            throw new ArrayIndexOutOfBoundsException("origin(" + from + ") > fence(" + to + ")");
        }
        if (from < 0)
        {
            throw new ArrayIndexOutOfBoundsException(from);
        }
        if (to > length)
        {
            throw new ArrayIndexOutOfBoundsException(to);
        }
    }

    /**
     * What the three kinds share: the range still to traverse.
     */
    private abstract static class Range
    {
        int index;
        final int fence;

        Range(final int index, final int fence)
        {
            this.index = index;
            this.fence = fence;
        }

        public long estimateSize()
        {
            return (long)fence - index;
        }

        public int characteristics()
        {
            return CHARACTERISTICS;
        }

        /**
         * Gives away the first half of what is left: returns its start, or -1 if too small to split.
         */
        int splitOff()
        {
            final int low = index;
            final int middle = (low + fence) >>> 1;
            if (low >= middle)
            {
                return -1;
            }
            index = middle;
            return low;
        }

        /**
         * Marks everything traversed and returns where traversal starts.
         */
        int takeRest()
        {
            final int start = index;
            index = fence;
            return start;
        }
    }

    /**
     * Over an {@code int[]}.
     */
    static final class Ints extends Range implements Spliterator.OfInt
    {
        private final int[] array;

        Ints(final int[] array, final int from, final int to)
        {
            super(from, to);
            this.array = array;
        }

        @Override
        public Ints trySplit()
        {
            final int middle = (index + fence) >>> 1;
            final int low = splitOff();
            return low < 0 ? null : new Ints(array, low, middle);
        }

        @Override
        public boolean tryAdvance(final IntConsumer action)
        {
            Objects.requireNonNull(action);
            if (index < fence)
            {
                action.accept(FarAccess.iaload(array, index++));
                return true;
            }
            return false;
        }

        @Override
        public void forEachRemaining(final IntConsumer action)
        {
            Objects.requireNonNull(action);
            final int[] block = new int[Math.min(FarJdkArrays.BLOCK, fence - index)];
            for (int at = takeRest(); at < fence; at += block.length)
            {
                final int count = Math.min(block.length, fence - at);
                FarArrays.arraycopy(array, at, block, 0, count);
                for (int i = 0; i < count; i++)
                {
                    action.accept(block[i]);
                }
            }
        }
    }

    /**
     * Over a {@code long[]}.
     */
    static final class Longs extends Range implements Spliterator.OfLong
    {
        private final long[] array;

        Longs(final long[] array, final int from, final int to)
        {
            super(from, to);
            this.array = array;
        }

        @Override
        public Longs trySplit()
        {
            final int middle = (index + fence) >>> 1;
            final int low = splitOff();
            return low < 0 ? null : new Longs(array, low, middle);
        }

        @Override
        public boolean tryAdvance(final LongConsumer action)
        {
            Objects.requireNonNull(action);
            if (index < fence)
            {
                action.accept(FarAccess.laload(array, index++));
                return true;
            }
            return false;
        }

        @Override
        public void forEachRemaining(final LongConsumer action)
        {
            Objects.requireNonNull(action);
            final long[] block = new long[Math.min(FarJdkArrays.BLOCK, fence - index)];
            for (int at = takeRest(); at < fence; at += block.length)
            {
                final int count = Math.min(block.length, fence - at);
                FarArrays.arraycopy(array, at, block, 0, count);
                for (int i = 0; i < count; i++)
                {
                    action.accept(block[i]);
                }
            }
        }
    }

    /**
     * Over a {@code double[]}.
     */
    static final class Doubles extends Range implements Spliterator.OfDouble
    {
        private final double[] array;

        Doubles(final double[] array, final int from, final int to)
        {
            super(from, to);
            this.array = array;
        }

        @Override
        public Doubles trySplit()
        {
            final int middle = (index + fence) >>> 1;
            final int low = splitOff();
            return low < 0 ? null : new Doubles(array, low, middle);
        }

        @Override
        public boolean tryAdvance(final DoubleConsumer action)
        {
            Objects.requireNonNull(action);
            if (index < fence)
            {
                action.accept(FarAccess.daload(array, index++));
                return true;
            }
            return false;
        }

        @Override
        public void forEachRemaining(final DoubleConsumer action)
        {
            Objects.requireNonNull(action);
            final double[] block = new double[Math.min(FarJdkArrays.BLOCK, fence - index)];
            for (int at = takeRest(); at < fence; at += block.length)
            {
                final int count = Math.min(block.length, fence - at);
                FarArrays.arraycopy(array, at, block, 0, count);
                for (int i = 0; i < count; i++)
                {
                    action.accept(block[i]);
                }
            }
        }
    }
}
