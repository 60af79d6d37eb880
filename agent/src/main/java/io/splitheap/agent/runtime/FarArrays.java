package io.splitheap.agent.runtime;

import io.splitheap.agent.core.FarRegistry;
import io.splitheap.agent.excache.BulkCopy;
import io.splitheap.agent.excache.ElementType;
import io.splitheap.agent.excache.FarArray;

import java.lang.ref.Reference;
import java.lang.reflect.Array;

/**
 * Whole-array operations for rewritten code: {@code System.arraycopy} and array {@code clone()}, for far and heap
 * arrays alike, with the JVM's exceptions and messages. Far data moves a line at a time.
 */
public final class FarArrays
{
    private FarArrays()
    {
    }

    /**
     * {@code System.arraycopy}. Both arrays stay reachable until the copy ends (see {@link FarAccess}).
     *
     * @param source         source array.
     * @param sourcePosition first source index.
     * @param target         target array.
     * @param targetPosition first target index.
     * @param length         elements.
     */
    public static void arraycopy(
        final Object source, final int sourcePosition, final Object target, final int targetPosition, final int length)
    {
        if (!mayBeFar(source) && !mayBeFar(target))
        {
            System.arraycopy(source, sourcePosition, target, targetPosition, length);
            return;
        }
        final FarArray farSource = far(source);
        final FarArray farTarget = far(target);
        if (farSource == null && farTarget == null)
        {
            System.arraycopy(source, sourcePosition, target, targetPosition, length);
            return;
        }
        final ElementType type = check(source, farSource, sourcePosition, target, farTarget, targetPosition, length);
        if (length == 0)
        {
            return;
        }
        final int shift = type.shift();
        final long bytes = (long)length << shift;
        final long sourceOffset = (long)sourcePosition << shift;
        final long targetOffset = (long)targetPosition << shift;
        if (farSource != null && farTarget != null)
        {
            BulkCopy.copyFarToFar(farSource, sourceOffset, farTarget, targetOffset, bytes);
        }
        else if (farSource != null)
        {
            BulkCopy.copyOut(farSource, sourceOffset, target, type.baseOffset() + targetOffset, bytes);
        }
        else
        {
            BulkCopy.copyIn(source, type.baseOffset() + sourceOffset, farTarget, targetOffset, bytes);
        }
        Reference.reachabilityFence(source);
        Reference.reachabilityFence(target);
    }

    /**
     * Array {@code clone()}: a far array clones into a new array allocated like the original.
     *
     * @param array the array (null throws NullPointerException, as the call would).
     * @return the copy.
     */
    public static Object cloneArray(final Object array)
    {
        final FarArray far = far(array);
        if (far == null)
        {
            return shallowClone(array);
        }
        final Object localized = far.backing();
        if (localized != null)
        {
            return shallowClone(localized);
        }
        final Object copy = FarAlloc.newArray(far.type(), far.length(), far.site());
        final long bytes = (long)far.length() << far.type().shift();
        final FarArray farCopy = far(copy);
        if (farCopy != null)
        {
            BulkCopy.copyFarToFar(far, 0, farCopy, 0, bytes);
        }
        else
        {
            BulkCopy.copyOut(far, 0, copy, far.type().baseOffset(), bytes);
        }
        Reference.reachabilityFence(array);
        return copy;
    }

    /**
     * The descriptor of an array if it is far (only zero-length primitive arrays can be).
     *
     * @param array any object or null.
     * @return the descriptor or null.
     */
    public static FarArray far(final Object array)
    {
        return mayBeFar(array) ? FarRegistry.find(array) : null;
    }

    /**
     * {@code Arrays.sort(a)} or {@code Arrays.parallelSort(a)} of a primitive array, far or not, in bounded local
     * memory (see {@link FarSort}).
     *
     * @param array    the array.
     * @param parallel true for {@code parallelSort}: runs are sorted and merged in parallel, far or not.
     */
    public static void sort(final Object array, final boolean parallel)
    {
        FarSort.sort(array, parallel);
    }

    /**
     * {@code Arrays.sort(a, from, to)} or {@code Arrays.parallelSort(a, from, to)} of a primitive array, far or not.
     *
     * @param array    the array.
     * @param from     first index sorted.
     * @param to       index after the last sorted.
     * @param parallel true for {@code parallelSort}.
     */
    public static void sort(final Object array, final int from, final int to, final boolean parallel)
    {
        FarSort.sort(array, from, to, parallel);
    }

    /**
     * The length of any array, far or not.
     *
     * @param array the array.
     * @return elements.
     */
    public static int length(final Object array)
    {
        final FarArray far = far(array);
        return far == null ? Array.getLength(array) : far.length();
    }

    private static boolean mayBeFar(final Object array)
    {
        return array != null && array.getClass().isArray() && array.getClass().getComponentType().isPrimitive() &&
            Array.getLength(array) == 0;
    }

    private static ElementType check(
        final Object source,
        final FarArray farSource,
        final int sourcePosition,
        final Object target,
        final FarArray farTarget,
        final int targetPosition,
        final int length)
    {
        if (source == null || target == null)
        {
            throw new NullPointerException();
        }
        if (!source.getClass().isArray())
        {
            throw new ArrayStoreException("arraycopy: source type " + source.getClass().getName() + " is not an array");
        }
        if (!target.getClass().isArray())
        {
            throw new ArrayStoreException(
                "arraycopy: destination type " + target.getClass().getName() + " is not an array");
        }
        final ElementType sourceType = farSource != null ? farSource.type() : ElementType.of(source);
        final ElementType targetType = farTarget != null ? farTarget.type() : ElementType.of(target);
        if (sourceType != targetType)
        {
            throw new ArrayStoreException("arraycopy: type mismatch: can not copy " + name(sourceType) + "[] into " +
                name(targetType) + "[]");
        }
        final int sourceLength = farSource != null ? farSource.length() : Array.getLength(source);
        final int targetLength = farTarget != null ? farTarget.length() : Array.getLength(target);
        final String typeName = sourceType.javaName();
        if (sourcePosition < 0)
        {
            throw new ArrayIndexOutOfBoundsException("arraycopy: source index " + sourcePosition +
                " out of bounds for " + typeName + "[" + sourceLength + "]");
        }
        if (targetPosition < 0)
        {
            throw new ArrayIndexOutOfBoundsException("arraycopy: destination index " + targetPosition +
                " out of bounds for " + typeName + "[" + targetLength + "]");
        }
        if (length < 0)
        {
            throw new ArrayIndexOutOfBoundsException("arraycopy: length " + length + " is negative");
        }
        if ((long)sourcePosition + length > sourceLength)
        {
            throw new ArrayIndexOutOfBoundsException("arraycopy: last source index " + ((long)sourcePosition + length) +
                " out of bounds for " + typeName + "[" + sourceLength + "]");
        }
        if ((long)targetPosition + length > targetLength)
        {
            throw new ArrayIndexOutOfBoundsException("arraycopy: last destination index " +
                ((long)targetPosition + length) + " out of bounds for " + typeName + "[" + targetLength + "]");
        }
        return sourceType;
    }

    private static String name(final ElementType type)
    {
        return type == null ? "object array" : type.javaName();
    }

    private static Object shallowClone(final Object array)
    {
        if (array instanceof Object[])
        {
            return ((Object[])array).clone();
        }
        final ElementType type = ElementType.of(array);
        final int length = Array.getLength(array);
        final Object copy = type.newHeapArray(length);
        System.arraycopy(array, 0, copy, 0, length);
        return copy;
    }
}
