package io.splitheap.agent.runtime;

import io.splitheap.agent.TestFarMemory;
import io.splitheap.agent.excache.ElementType;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FarArrayComparisons} gives {@code java.util.Arrays}' results and exceptions for far arrays larger than the
 * ExCache and than the localization limit (so nothing may be moved to the heap), for every element type: range
 * equals and mismatch, compare and compareUnsigned whole and by range, with differences early, late, past a block
 * boundary and nowhere, arrays of different lengths, bad ranges and nulls.
 */
class FarArrayComparisonsTest
{
    private static final int LENGTH = 100_000;

    @Test
    void shouldCompareFarArraysAsTheJdkDoes() throws Exception
    {
        try (TestFarMemory far = new TestFarMemory(32 * 4096, "fifo", 0, false, 1024))
        {
            int compared = 0;
            for (final ElementType type : ElementType.values())
            {
                final Class<?> arrayType = far.farMemory().allocate(type, 1, -1).getClass();
                final Object heapA = pattern(arrayType, LENGTH, 0);
                final Object farA = farCopy(far, type, heapA);
                for (final int differAt : new int[]{0, 5000, FarJdkArrays.BLOCK, LENGTH - 1, -1})
                {
                    final Object heapB = pattern(arrayType, LENGTH - (differAt < 0 ? 17 : 0), differAt);
                    final Object farB = farCopy(far, type, heapB);
                    for (final String name : new String[]{"compare", "compareUnsigned", "mismatch", "equals"})
                    {
                        final Method jdkWhole = find(name, arrayType, 2);
                        if (jdkWhole != null)
                        {
                            assertEquals(call(jdkWhole, heapA, heapB), call(runtime(jdkWhole), farA, farB),
                                name + " " + type + " " + differAt);
                            assertEquals(call(jdkWhole, heapB, heapA), call(runtime(jdkWhole), heapB, farA));
                            compared += 2;
                        }
                        final Method jdkRange = find(name, arrayType, 6);
                        if (jdkRange == null)
                        {
                            continue;
                        }
                        for (final int[] r : new int[][]{{0, LENGTH, 0, LENGTH - 17}, {3, 60_000, 3, 60_000},
                            {4096, 9000, 4096, 9001}, {10, 10, 20, 20}, {5, 4, 0, 1}, {-1, 3, 0, 1},
                            {0, LENGTH + 1, 0, 1}, {0, 1, 0, LENGTH + 1}})
                        {
                            assertEquals(call(jdkRange, heapA, r[0], r[1], heapB, r[2], r[3]),
                                call(runtime(jdkRange), farA, r[0], r[1], farB, r[2], r[3]),
                                name + " " + type + " " + differAt + " " + Arrays.toString(r));
                            compared++;
                        }
                    }
                }
                final Method compare = find("compare", arrayType, 2);
                assertEquals(call(compare, null, heapA), call(runtime(compare), null, farA));
                assertEquals(call(compare, heapA, null), call(runtime(compare), farA, null));
                assertEquals("returned 0", call(runtime(compare), farA, farA));
            }
            assertTrue(compared > 500, "compared " + compared + " calls");
            assertEquals(0, far.cache().stats().localizations(), "nothing was moved to the heap");
            assertTrue(far.cache().stats().evictions() > 0, "the arrays went through evictions");
        }
    }

    @Test
    void shouldCompareHashAndPrintRowsDeeplyAsTheJdkDoes()
    {
        try (TestFarMemory far = new TestFarMemory(32 * 4096, "fifo", 0, false, 1024))
        {
            final int rowLength = 3000;
            final Object[] heapRows = new Object[ElementType.values().length + 3];
            final Object[] farRows = new Object[heapRows.length];
            int i = 0;
            for (final ElementType type : ElementType.values())
            {
                final Class<?> arrayType = far.farMemory().allocate(type, 1, -1).getClass();
                heapRows[i] = pattern(arrayType, rowLength, -1);
                farRows[i] = farCopy(far, type, heapRows[i]);
                i++;
            }
            heapRows[i] = "text";
            farRows[i] = "text";
            i++;
            heapRows[i] = new Object[]{heapRows[0], null, new long[0][]};
            farRows[i] = new Object[]{farRows[0], null, new long[0][]};

            assertEquals(Arrays.deepHashCode(heapRows), FarDeepArrays.deepHashCode(farRows));
            assertEquals(Arrays.deepToString(heapRows), FarDeepArrays.deepToString(farRows));
            heapRows[i + 1] = new Object[]{heapRows[1], heapRows};
            farRows[i + 1] = new Object[]{farRows[1], farRows};
            assertEquals(Arrays.deepToString(heapRows), FarDeepArrays.deepToString(farRows), "with a cycle");
            heapRows[i + 1] = null;
            farRows[i + 1] = null;
            final Object[] other = farRows.clone();
            assertTrue(FarDeepArrays.deepEquals(farRows, other));
            assertTrue(FarDeepArrays.deepEquals(farRows, heapRows.clone()) == Arrays.deepEquals(heapRows,
                heapRows.clone()));
            other[3] = farCopy(far, ElementType.values()[3], pattern(heapRows[3].getClass(), rowLength, 2999));
            assertEquals(Arrays.deepEquals(heapRows, new Object[]{heapRows[0]}),
                FarDeepArrays.deepEquals(farRows, new Object[]{farRows[0]}));
            assertTrue(!FarDeepArrays.deepEquals(farRows, other), "a row differing in its last element");
            assertEquals("null", FarDeepArrays.deepToString(null));
            assertEquals(0, FarDeepArrays.deepHashCode(null));
            assertEquals(0, far.cache().stats().localizations(), "nothing was moved to the heap");
            assertTrue(FarArrays.far(farRows[0]) != null, "the rows stayed far");
        }
    }

    /**
     * Elements that vary with the index (so that a difference is seen at the right place), the same for every
     * array of a length, except one element changed at {@code differAt} (if not negative).
     */
    private static Object pattern(final Class<?> arrayType, final int length, final int differAt)
    {
        final Object array = Array.newInstance(arrayType.getComponentType(), length);
        final Class<?> component = arrayType.getComponentType();
        for (int i = 0; i < length; i++)
        {
            final int value = i % 251 - 120 + (i == differAt ? 60 : 0);
            if (component == boolean.class)
            {
                Array.setBoolean(array, i, value % 3 == 0);
            }
            else if (component == char.class)
            {
                Array.setChar(array, i, (char)(value + 40_000));
            }
            else
            {
                Array.setByte(array, i, (byte)value);
            }
        }
        return array;
    }

    private static Object farCopy(final TestFarMemory far, final ElementType type, final Object heap)
    {
        final Object copy = far.farMemory().allocate(type, Array.getLength(heap), -1);
        FarArrays.arraycopy(heap, 0, copy, 0, Array.getLength(heap));
        return copy;
    }

    private static Method find(final String name, final Class<?> arrayType, final int parameters)
    {
        final Class<?>[] types = parameters == 2 ? new Class<?>[]{arrayType, arrayType} :
            new Class<?>[]{arrayType, int.class, int.class, arrayType, int.class, int.class};
        try
        {
            return Arrays.class.getMethod(name, types);
        }
        catch (final NoSuchMethodException ex)
        {
            return null;
        }
    }

    /**
     * The runtime's stand-in for a JDK method (whole-array equals and mismatch are in {@link FarJdkArrays}).
     */
    private static Method runtime(final Method jdk) throws NoSuchMethodException
    {
        try
        {
            return FarArrayComparisons.class.getMethod(jdk.getName(), jdk.getParameterTypes());
        }
        catch (final NoSuchMethodException ex)
        {
            return FarJdkArrays.class.getMethod(jdk.getName(), jdk.getParameterTypes());
        }
    }

    private static String call(final Method method, final Object... arguments)
    {
        try
        {
            return "returned " + method.invoke(null, arguments);
        }
        catch (final InvocationTargetException ex)
        {
            final Throwable cause = ex.getCause();
            return "threw " + cause.getClass().getName() + (cause instanceof NullPointerException ? "" :
                ": " + cause.getMessage());
        }
        catch (final IllegalAccessException ex)
        {
            throw new AssertionError(ex);
        }
    }
}
