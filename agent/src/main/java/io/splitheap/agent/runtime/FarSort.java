package io.splitheap.agent.runtime;

import io.splitheap.agent.core.FarMemory;
import io.splitheap.agent.excache.ElementType;
import io.splitheap.agent.excache.FarArray;

import java.util.Arrays;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * {@code Arrays.sort} and {@code Arrays.parallelSort} of primitive arrays for rewritten code, in bounded local
 * memory. A heap array (or a far array already moved to the heap) is sorted by the JDK. A far array is sorted where
 * it lives: runs of {@link #RUN} elements are copied to the heap, sorted by the JDK and copied back, then merged
 * pairwise between the array and a far scratch array of the same length, through buffers of {@link #BLOCK} elements.
 * The heap never holds more than one run per sorting thread, whatever the array's length, so a far array larger than
 * the heap sorts. {@code parallelSort} sorts the runs, and the merges of each pass, in parallel on the pool the
 * caller runs in; {@code sort} runs on the caller's thread.
 * The order is the JDK's ({@code Float.compare}/{@code Double.compare} for floating point: {@code -0.0} before
 * {@code 0.0}, NaN last); merging is stable, so equal values keep the order the runs gave them.
 */
final class FarSort
{
    static final int RUN = 1 << 16;
    static final int BLOCK = 1 << 12;

    private FarSort()
    {
    }

    static void sort(final Object array, final int from, final int to, final boolean parallel)
    {
        final FarArray far = FarArrays.far(array);
        if (far == null || far.backing() != null)
        {
            jdkSort(far == null ? array : far.backing(), from, to, parallel);
            return;
        }
        rangeCheck(far.length(), from, to);
        final ElementType type = far.type();
        final int length = to - from;
        final int runs = (int)(((long)length + RUN - 1) / RUN);
        final Object shared = parallel ? null : type.newHeapArray(Math.min(RUN, length));
        each(parallel, runs, r ->
        {
            final int start = from + r * RUN;
            final int count = Math.min(RUN, to - start);
            final Object run = shared != null ? shared : type.newHeapArray(count);
            FarArrays.arraycopy(array, start, run, 0, count);
            jdkSort(run, 0, count, false);
            FarArrays.arraycopy(run, 0, array, start, count);
        });
        if (length <= RUN)
        {
            return;
        }
        final Object scratch = FarMemory.current().allocate(type, length, -1);
        Object source = array;
        int sourceOffset = from;
        Object target = scratch;
        int targetOffset = 0;
        for (int width = RUN; width < length; width <<= 1)
        {
            final long span = 2L * width;
            final Object in = source;
            final int inOffset = sourceOffset;
            final Object out = target;
            final int outOffset = targetOffset;
            final int middleOffset = width;
            each(parallel, (int)((length + span - 1) / span), pair ->
            {
                final int low = (int)(pair * span);
                final int middle = (int)Math.min((long)low + middleOffset, length);
                final int high = (int)Math.min(low + span, length);
                new Merger(type).merge(in, inOffset + low, inOffset + middle, inOffset + high, out, outOffset + low);
            });
            final Object swap = source;
            source = target;
            target = swap;
            final int swapOffset = sourceOffset;
            sourceOffset = targetOffset;
            targetOffset = swapOffset;
        }
        if (source != array)
        {
            FarArrays.arraycopy(source, sourceOffset, array, from, length);
        }
    }

    /**
     * Runs tasks 0 to count - 1: in parallel on the pool the caller runs in ({@code parallelSort}), or in order.
     */
    private static void each(final boolean parallel, final int count, final IntConsumer task)
    {
        if (parallel && count > 1)
        {
            IntStream.range(0, count).parallel().forEach(task);
            return;
        }
        for (int i = 0; i < count; i++)
        {
            task.accept(i);
        }
    }

    static void sort(final Object array, final boolean parallel)
    {
        if (array == null)
        {
            throw new NullPointerException();
        }
        sort(array, 0, FarArrays.length(array), parallel);
    }

    /**
     * The range check of {@code java.util.Arrays} methods that take a range, with the JDK's exceptions.
     *
     * @param length the array's length.
     * @param from   first index.
     * @param to     index after the last.
     */
    static void rangeCheck(final int length, final int from, final int to)
    {
        if (from > to)
        {
            throw new IllegalArgumentException("fromIndex(" + from + ") > toIndex(" + to + ")");
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

    private static void jdkSort(final Object array, final int from, final int to, final boolean parallel)
    {
        switch (ElementType.of(array))
        {
            case LONG:
                if (parallel)
                {
                    Arrays.parallelSort((long[])array, from, to);
                }
                else
                {
                    Arrays.sort((long[])array, from, to);
                }
                break;
            case INT:
                if (parallel)
                {
                    Arrays.parallelSort((int[])array, from, to);
                }
                else
                {
                    Arrays.sort((int[])array, from, to);
                }
                break;
            case SHORT:
                if (parallel)
                {
                    Arrays.parallelSort((short[])array, from, to);
                }
                else
                {
                    Arrays.sort((short[])array, from, to);
                }
                break;
            case CHAR:
                if (parallel)
                {
                    Arrays.parallelSort((char[])array, from, to);
                }
                else
                {
                    Arrays.sort((char[])array, from, to);
                }
                break;
            case BYTE:
                if (parallel)
                {
                    Arrays.parallelSort((byte[])array, from, to);
                }
                else
                {
                    Arrays.sort((byte[])array, from, to);
                }
                break;
            case FLOAT:
                if (parallel)
                {
                    Arrays.parallelSort((float[])array, from, to);
                }
                else
                {
                    Arrays.sort((float[])array, from, to);
                }
                break;
            case DOUBLE:
                if (parallel)
                {
                    Arrays.parallelSort((double[])array, from, to);
                }
                else
                {
                    Arrays.sort((double[])array, from, to);
                }
                break;
            default:
                throw new IllegalArgumentException("not a sortable primitive array: " + array.getClass().getName());
        }
    }

    /**
     * Merges two adjacent sorted ranges of one array into another array, through heap buffers.
     */
    private static final class Merger
    {
        private final ElementType type;
        private final Object left;
        private final Object right;
        private final Object output;

        Merger(final ElementType type)
        {
            this.type = type;
            this.left = type.newHeapArray(BLOCK);
            this.right = type.newHeapArray(BLOCK);
            this.output = type.newHeapArray(BLOCK);
        }

        void merge(final Object source, final int low, final int middle, final int high, final Object target,
            final int targetStart)
        {
            int leftNext = low;
            int rightNext = middle;
            int leftIndex = 0;
            int leftCount = 0;
            int rightIndex = 0;
            int rightCount = 0;
            int out = 0;
            int targetNext = targetStart;
            while (true)
            {
                if (leftIndex == leftCount && leftNext < middle)
                {
                    leftCount = Math.min(BLOCK, middle - leftNext);
                    FarArrays.arraycopy(source, leftNext, left, 0, leftCount);
                    leftNext += leftCount;
                    leftIndex = 0;
                }
                if (rightIndex == rightCount && rightNext < high)
                {
                    rightCount = Math.min(BLOCK, high - rightNext);
                    FarArrays.arraycopy(source, rightNext, right, 0, rightCount);
                    rightNext += rightCount;
                    rightIndex = 0;
                }
                final boolean hasLeft = leftIndex < leftCount;
                final boolean hasRight = rightIndex < rightCount;
                if (!hasLeft && !hasRight)
                {
                    break;
                }
                if (!hasRight || (hasLeft && compare(leftIndex, rightIndex) <= 0))
                {
                    System.arraycopy(left, leftIndex++, output, out++, 1);
                }
                else
                {
                    System.arraycopy(right, rightIndex++, output, out++, 1);
                }
                if (out == BLOCK)
                {
                    FarArrays.arraycopy(output, 0, target, targetNext, out);
                    targetNext += out;
                    out = 0;
                }
            }
            if (out > 0)
            {
                FarArrays.arraycopy(output, 0, target, targetNext, out);
            }
        }

        private int compare(final int i, final int j)
        {
            switch (type)
            {
                case LONG:
                    return Long.compare(((long[])left)[i], ((long[])right)[j]);
                case INT:
                    return Integer.compare(((int[])left)[i], ((int[])right)[j]);
                case SHORT:
                    return Short.compare(((short[])left)[i], ((short[])right)[j]);
                case CHAR:
                    return Character.compare(((char[])left)[i], ((char[])right)[j]);
                case BYTE:
                    return Byte.compare(((byte[])left)[i], ((byte[])right)[j]);
                case FLOAT:
                    return Float.compare(((float[])left)[i], ((float[])right)[j]);
                case DOUBLE:
                    return Double.compare(((double[])left)[i], ((double[])right)[j]);
                default:
                    throw new IllegalStateException(type.javaName());
            }
        }
    }
}
