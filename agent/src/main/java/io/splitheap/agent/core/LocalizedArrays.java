package io.splitheap.agent.core;

import java.lang.ref.WeakReference;
import java.util.WeakHashMap;

/**
 * Maps the heap array of a localized far array back to its placeholder, so that an array handed to uninstrumented
 * code and returned from it (for example {@code ByteBuffer.wrap(a).array()}) is the same object the rewritten code
 * knows. Costs nothing until the first localization.
 */
public final class LocalizedArrays
{
    private static final WeakHashMap<Object, WeakReference<Object>> PLACEHOLDERS = new WeakHashMap<>();
    private static volatile boolean any;

    private LocalizedArrays()
    {
    }

    /**
     * Records a localization.
     *
     * @param backing     the heap array.
     * @param placeholder the far array's identity.
     */
    public static void record(final Object backing, final Object placeholder)
    {
        synchronized (PLACEHOLDERS)
        {
            PLACEHOLDERS.put(backing, new WeakReference<>(placeholder));
            any = true;
        }
    }

    /**
     * The placeholder of a heap array that backs a localized far array.
     *
     * @param array any array returned by uninstrumented code.
     * @return its placeholder, or the array itself.
     */
    public static Object toPlaceholder(final Object array)
    {
        if (!any || array == null)
        {
            return array;
        }
        synchronized (PLACEHOLDERS)
        {
            final WeakReference<Object> reference = PLACEHOLDERS.get(array);
            final Object placeholder = reference == null ? null : reference.get();
            return placeholder == null ? array : placeholder;
        }
    }
}
