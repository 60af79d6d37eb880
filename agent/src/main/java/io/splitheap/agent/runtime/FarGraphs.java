package io.splitheap.agent.runtime;

import org.agrona.UnsafeApi;

import java.io.Serializable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;

/**
 * Object graphs handed to uninstrumented code that walks them (serialization): every far array reachable from the
 * root through serializable objects, object arrays and the internal nodes of {@code java.util} collections is moved
 * to the heap and the reference to it replaced by its heap array, so the JDK reads the contents. Fields are read and written with {@code Unsafe}, including transient
 * and private fields of JDK classes ({@code ArrayList.elementData}), since classes with their own
 * {@code writeObject} write those themselves. Each object is visited once.
 */
final class FarGraphs
{
    private static final ClassValue<long[]> REFERENCE_FIELDS = new ClassValue<>()
    {
        protected long[] computeValue(final Class<?> type)
        {
            int count = 0;
            long[] offsets = new long[8];
            for (Class<?> level = type; level != null && level != Object.class; level = level.getSuperclass())
            {
                for (final Field field : level.getDeclaredFields())
                {
                    if (Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive())
                    {
                        continue;
                    }
                    if (count == offsets.length)
                    {
                        offsets = java.util.Arrays.copyOf(offsets, count * 2);
                    }
                    offsets[count++] = UnsafeApi.objectFieldOffset(field);
                }
            }
            return java.util.Arrays.copyOf(offsets, count);
        }
    };

    private FarGraphs()
    {
    }

    static Object toHeap(final Object root, final int callSite)
    {
        if (root == null)
        {
            return null;
        }
        final Object top = FarBoundary.toHeapIfArray(root, callSite);
        if (top != root || !isWalked(root))
        {
            return top;
        }
        final IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
        final ArrayDeque<Object> pending = new ArrayDeque<>();
        seen.put(root, Boolean.TRUE);
        pending.push(root);
        while (!pending.isEmpty())
        {
            final Object object = pending.pop();
            if (object instanceof Object[])
            {
                final Object[] elements = (Object[])object;
                for (int i = 0; i < elements.length; i++)
                {
                    final Object value = elements[i];
                    final Object replaced = visit(value, callSite, seen, pending);
                    if (replaced != value)
                    {
                        elements[i] = replaced;
                    }
                }
            }
            else
            {
                for (final long offset : REFERENCE_FIELDS.get(object.getClass()))
                {
                    final Object value = UnsafeApi.getReference(object, offset);
                    final Object replaced = visit(value, callSite, seen, pending);
                    if (replaced != value)
                    {
                        UnsafeApi.putReference(object, offset, replaced);
                    }
                }
            }
        }
        return root;
    }

    private static Object visit(
        final Object value, final int callSite, final IdentityHashMap<Object, Boolean> seen,
        final ArrayDeque<Object> pending)
    {
        if (value == null)
        {
            return null;
        }
        final Class<?> type = value.getClass();
        if (type.isArray() && type.getComponentType().isPrimitive())
        {
            return FarBoundary.toHeap(value, callSite);
        }
        if (isWalked(value) && seen.put(value, Boolean.TRUE) == null)
        {
            pending.push(value);
        }
        return value;
    }

    private static boolean isWalked(final Object object)
    {
        if (object instanceof Object[])
        {
            return true;
        }
        if (object instanceof Class || object instanceof String || object instanceof Number || object instanceof Enum ||
            object instanceof ClassLoader || object instanceof Thread)
        {
            return false;
        }
        // JDK collections keep their elements in nodes that are not serializable themselves (HashMap$Node)
        return object instanceof Serializable || object.getClass().getName().startsWith("java.util.");
    }
}
