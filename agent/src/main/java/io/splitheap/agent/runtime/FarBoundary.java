package io.splitheap.agent.runtime;

import io.splitheap.agent.core.FarMemory;
import io.splitheap.agent.core.LocalizedArrays;
import io.splitheap.agent.core.Sites;
import io.splitheap.agent.excache.FarArray;

/**
 * The JDK boundary for rewritten code: an argument of primitive-array type passed to a method that is not rewritten
 * (the JDK, an excluded library) goes through {@link #toHeap}, and an array such a method returns goes through
 * {@link #fromHeap}. A far array is moved to the heap before the callee sees it (and its allocation site learns to
 * allocate locally), so uninstrumented code always sees the real contents and may keep the array; a far array too
 * large to move fails with an error naming the call site and the option that avoids it.
 */
public final class FarBoundary
{
    private static final int MAX_DEPTH = 32;

    private FarBoundary()
    {
    }

    /**
     * The array to hand to uninstrumented code.
     *
     * @param array    a primitive array or null.
     * @param callSite the call's site id.
     * @return the array itself, or the heap array a far array moved to.
     */
    public static Object toHeap(final Object array, final int callSite)
    {
        final FarArray far = FarArrays.far(array);
        if (far == null)
        {
            return array;
        }
        final Object backing = far.backing();
        if (backing != null)
        {
            return backing;
        }
        final FarMemory farMemory = FarMemory.current();
        return farMemory.localize(far, array, Sites.CALLS.describe(callSite));
    }

    /**
     * The object to hand to uninstrumented code for an argument typed {@code Object} (or {@code Cloneable},
     * {@code Serializable}): a far array is moved to the heap as by {@link #toHeap}, anything else passes unchanged.
     *
     * @param object   any object or null.
     * @param callSite the call's site id.
     * @return the object itself, or the heap array a far array moved to.
     */
    public static Object toHeapIfArray(final Object object, final int callSite)
    {
        if (object instanceof Object[] && object.getClass().getComponentType().isArray())
        {
            return toHeapRows(object, callSite);
        }
        return toHeap(object, callSite);
    }

    /**
     * For an object handed to {@code ObjectOutputStream.writeObject} or {@code writeUnshared}: every far array
     * reachable from it through serializable objects is moved to the heap and the reference replaced (see
     * {@link FarGraphs}), so serialization writes the contents. Rewritten code reading those references afterwards
     * gets the heap arrays, which hold the same elements.
     *
     * @param object   the root, or null.
     * @param callSite the call's site id.
     * @return the root, or the heap array of a far array root.
     */
    public static Object toHeapGraph(final Object object, final int callSite)
    {
        return FarGraphs.toHeap(object, callSite);
    }

    /**
     * For an array of arrays handed to uninstrumented code (a {@code long[][]} parameter, the argument of
     * {@code Arrays.deepEquals}): every far array in it, at any depth, is moved to the heap and replaced by its heap
     * array in place, so the callee reads the rows' contents. Rewritten code reading the rows afterwards gets the
     * heap arrays, which hold the same elements (only {@code ==} against a row reference taken before differs).
     *
     * @param array    an array of objects or null.
     * @param callSite the call's site id.
     * @return the same array.
     */
    public static Object toHeapRows(final Object array, final int callSite)
    {
        replaceFarRows(array, callSite, 0);
        return array;
    }

    /**
     * Like {@link #toHeapRows} for a parameter typed {@code Object[]}: only if the argument is an array of arrays
     * ({@code long[][]} passed as {@code Object[]}), so that ordinary object arrays are not scanned.
     *
     * @param array    an array of objects or null.
     * @param callSite the call's site id.
     * @return the same array.
     */
    public static Object toHeapIfRows(final Object array, final int callSite)
    {
        if (array != null && array.getClass().getComponentType().isArray())
        {
            replaceFarRows(array, callSite, 0);
        }
        return array;
    }

    private static void replaceFarRows(final Object array, final int callSite, final int depth)
    {
        if (!(array instanceof Object[]) || depth > MAX_DEPTH)
        {
            return;
        }
        final Object[] rows = (Object[])array;
        for (int i = 0; i < rows.length; i++)
        {
            final Object row = rows[i];
            if (row instanceof Object[])
            {
                replaceFarRows(row, callSite, depth + 1);
            }
            else if (row != null)
            {
                final Object heap = toHeap(row, callSite);
                if (heap != row)
                {
                    rows[i] = heap;
                }
            }
        }
    }

    /**
     * The array rewritten code should see for an array returned by uninstrumented code.
     *
     * @param array a primitive array or null.
     * @return the placeholder of a localized far array, or the array itself.
     */
    public static Object fromHeap(final Object array)
    {
        return LocalizedArrays.toPlaceholder(array);
    }
}
