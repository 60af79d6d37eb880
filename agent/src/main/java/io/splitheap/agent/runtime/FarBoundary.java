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
    private static final int REFLECTION_SITE =
        Sites.CALLS.register("a JDK reflective call (java.beans, JMX) through sun.reflect.misc.MethodUtil.invoke");

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

    /**
     * For the {@code Object[]} of a reflective call ({@code Method.invoke}, {@code Constructor.newInstance},
     * {@code MethodHandle.invokeWithArguments}), whose elements become the arguments of a method that may read them:
     * if some element is a far array, a copy of the array in which each such element is replaced by its heap array
     * (as {@link #toHeapIfArray} does); otherwise the array itself. The caller's array is not changed.
     *
     * @param arguments the arguments, or null.
     * @param callSite  the call's site id.
     * @return the arguments to pass.
     */
    public static Object toHeapArguments(final Object arguments, final int callSite)
    {
        if (!(arguments instanceof Object[]))
        {
            return arguments;
        }
        final Object[] original = (Object[])arguments;
        Object[] converted = original;
        for (int i = 0; i < original.length; i++)
        {
            final Object argument = original[i];
            if (argument == null || !argument.getClass().isArray())
            {
                continue;
            }
            final Object heap = toHeapIfArray(argument, callSite);
            if (heap != argument)
            {
                if (converted == original)
                {
                    converted = original.clone();
                }
                converted[i] = heap;
            }
        }
        return converted;
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

    /**
     * What a method called reflectively by the JDK itself (a getter that {@code java.beans} or JMX reads, through
     * {@code sun.reflect.misc.MethodUtil.invoke}) returns to it: a far array, or rows of far arrays, moved to the
     * heap as for any boundary call, anything else unchanged. The agent rewrites {@code MethodUtil.invoke} to return
     * through here.
     *
     * @param result the method's result, or null.
     * @return the result, with far arrays moved to the heap.
     */
    public static Object fromReflection(final Object result)
    {
        // the JDK's rewritten method stays rewritten after the agent stopped (tests stop it): then nothing is far
        return result == null || FarMemory.current() == null ? result : toHeapIfArray(result, REFLECTION_SITE);
    }
}
