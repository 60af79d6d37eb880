package io.splitheap.agent.runtime;

import io.splitheap.agent.TestFarMemory;
import io.splitheap.agent.excache.ElementType;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FarReflectArrays} does what {@code java.lang.reflect.Array} does, on far arrays of every element type,
 * without moving them to the heap: every getter and setter, at valid and invalid indices, with values that convert
 * and values that do not, gives the JDK's result or the JDK's exception.
 */
class FarReflectArraysTest
{
    private static final int LENGTH = 20_000;
    private static final int[] INDICES = {0, 1, 4095, LENGTH - 1, LENGTH, -1};
    private static final Object[] VALUES = {true, (byte)-7, 'x', (short)300, 70_000, 1L << 40, 1.5f, -2.25, "text",
        null};

    @Test
    void shouldReadAndWriteFarArraysAsTheJdkDoes() throws Exception
    {
        try (TestFarMemory far = new TestFarMemory(16 * 4096, "fifo", 0, false, 1024))
        {
            int compared = 0;
            for (final ElementType type : ElementType.values())
            {
                final Object farArray = far.farMemory().allocate(type, LENGTH, -1);
                assertNotNull(FarArrays.far(farArray), type + " array is far");
                final Object heapArray = Array.newInstance(farArray.getClass().getComponentType(), LENGTH);
                assertEquals(Array.getLength(heapArray), FarReflectArrays.getLength(farArray));
                for (final Object value : VALUES)
                {
                    for (final int index : INDICES)
                    {
                        for (final Method setter : accessors("set"))
                        {
                            final Object[] arguments = setterArguments(setter, index, value);
                            if (arguments != null)
                            {
                                assertEquals(call(setter, Array.class, heapArray, arguments),
                                    call(setter, FarReflectArrays.class, farArray, arguments), setter + " " + value);
                                compared++;
                            }
                        }
                        for (final Method getter : accessors("get"))
                        {
                            assertEquals(call(getter, Array.class, heapArray, index),
                                call(getter, FarReflectArrays.class, farArray, index), getter + " at " + index);
                            compared++;
                        }
                    }
                }
                for (int i = 0; i < LENGTH; i++)
                {
                    fill(heapArray, i, false);
                    fill(farArray, i, true);
                }
                for (int i = 0; i < LENGTH; i++)
                {
                    assertEquals(Array.get(heapArray, i), FarReflectArrays.get(farArray, i), type + " at " + i);
                }
            }
            assertTrue(compared > 5000, "compared " + compared + " calls");
            assertEquals(0, far.cache().stats().localizations(), "nothing was moved to the heap");
            assertTrue(far.cache().stats().evictions() > 0, "the arrays went through evictions");
        }
    }

    @Test
    void shouldPassEverythingElseToTheJdk() throws Exception
    {
        final Method getLength = FarReflectArrays.class.getMethod("getLength", Object.class);
        final Method get = FarReflectArrays.class.getMethod("get", Object.class, int.class);
        assertEquals("threw java.lang.NullPointerException", call(getLength, (Object)null));
        assertEquals("threw java.lang.IllegalArgumentException: Argument is not an array", call(getLength, "x"));
        assertEquals("returned b", call(get, new String[]{"a", "b"}, 1));
        assertEquals("returned 0", call(getLength, new int[0]));
    }

    private static void fill(final Object array, final int index, final boolean far)
    {
        final Class<?> type = array.getClass().getComponentType();
        if (type == boolean.class)
        {
            if (far)
            {
                FarReflectArrays.setBoolean(array, index, index % 3 == 0);
            }
            else
            {
                Array.setBoolean(array, index, index % 3 == 0);
            }
        }
        else if (type == char.class)
        {
            if (far)
            {
                FarReflectArrays.setChar(array, index, (char)(index * 7));
            }
            else
            {
                Array.setChar(array, index, (char)(index * 7));
            }
        }
        else if (far)
        {
            FarReflectArrays.setByte(array, index, (byte)index);
        }
        else
        {
            Array.setByte(array, index, (byte)index);
        }
    }

    private static List<Method> accessors(final String prefix)
    {
        final List<Method> methods = new ArrayList<>();
        for (final Method method : Array.class.getMethods())
        {
            if (method.getName().startsWith(prefix) && !"getLength".equals(method.getName()) &&
                Modifier.isStatic(method.getModifiers()))
            {
                methods.add(method);
            }
        }
        methods.sort((a, b) -> a.getName().compareTo(b.getName()));
        return methods;
    }

    /**
     * The arguments of a setter for a value, or null when the value does not fit the setter's parameter type.
     */
    private static Object[] setterArguments(final Method setter, final int index, final Object value)
    {
        final Class<?> parameter = setter.getParameterTypes()[2];
        if (parameter == Object.class || (value != null && box(parameter) == value.getClass()))
        {
            return new Object[]{index, value};
        }
        return null;
    }

    private static Class<?> box(final Class<?> primitive)
    {
        return Array.get(Array.newInstance(primitive, 1), 0).getClass();
    }

    private static String call(final Method like, final Class<?> on, final Object array, final Object... rest)
        throws NoSuchMethodException
    {
        final Object[] arguments = new Object[rest.length + 1];
        arguments[0] = array;
        System.arraycopy(rest, 0, arguments, 1, rest.length);
        final String result = call(on.getMethod(like.getName(), like.getParameterTypes()), arguments);
        if (like.getName().startsWith("set") && result.startsWith("returned"))
        {
            return result + " then " + call(on.getMethod("get", Object.class, int.class), array, rest[0]);
        }
        return result;
    }

    private static String call(final Method method, final Object... arguments)
    {
        try
        {
            return "returned " + method.invoke(null, arguments);
        }
        catch (final InvocationTargetException ex)
        {
            return "threw " + ex.getCause() + "";
        }
        catch (final IllegalAccessException ex)
        {
            throw new AssertionError(ex);
        }
    }
}
