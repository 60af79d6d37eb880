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
        return toHeap(object, callSite);
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
