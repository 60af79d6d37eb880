package io.splitheap.agent.runtime;

import io.splitheap.agent.TestFarMemory;
import io.splitheap.agent.excache.ElementType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Far arrays sort in place, in bounded local memory, exactly as the JDK sorts heap arrays: with an ExCache of 64
 * lines and a localization limit of 1 KiB, arrays of several runs (so the merge passes run) sort without being moved
 * to the heap.
 */
class FarSortTest
{
    private static final int LENGTH = FarSort.RUN * 4 + 1234;

    @Test
    void shouldSortALongArrayLargerThanTheCacheAndTheLocalizationLimitWhereItLives()
    {
        try (TestFarMemory far = new TestFarMemory(64 * 4096, "fifo", 0, false, 1024))
        {
            final SplittableRandom random = new SplittableRandom(7);
            final long[] expected = new long[LENGTH];
            final long[] array = (long[])far.farMemory().allocate(ElementType.LONG, LENGTH, -1);
            for (int i = 0; i < LENGTH; i++)
            {
                expected[i] = random.nextLong(-1_000_000, 1_000_000);
                FarAccess.lastore(array, i, expected[i]);
            }
            Arrays.sort(expected);
            FarArrays.sort(array, false);
            for (int i = 0; i < LENGTH; i++)
            {
                assertEquals(expected[i], FarAccess.laload(array, i), "element " + i);
            }
            assertNull(FarArrays.far(array).backing(), "the array stayed far");
            assertEquals(0, far.cache().stats().localizations());
            assertTrue(far.cache().stats().evictions() > 0, "the sort went through evictions");
        }
    }

    @Test
    void shouldSortARangeOfDoublesInTheJdksOrderWithNaNAndNegativeZero()
    {
        try (TestFarMemory far = new TestFarMemory(64 * 4096, "lru", 0, false, 1024))
        {
            final SplittableRandom random = new SplittableRandom(11);
            final double[] expected = new double[LENGTH];
            final double[] array = (double[])far.farMemory().allocate(ElementType.DOUBLE, LENGTH, -1);
            for (int i = 0; i < LENGTH; i++)
            {
                final int kind = random.nextInt(20);
                expected[i] = kind == 0 ? Double.NaN : kind == 1 ? -0.0 : kind == 2 ? 0.0 : random.nextDouble(-5, 5);
                FarAccess.dastore(array, i, expected[i]);
            }
            final int from = 1000;
            final int to = LENGTH - 777;
            Arrays.sort(expected, from, to);
            FarArrays.sort(array, from, to, true);
            for (int i = 0; i < LENGTH; i++)
            {
                assertEquals(Double.doubleToRawLongBits(expected[i]),
                    Double.doubleToRawLongBits(FarAccess.daload(array, i)), "element " + i);
            }
        }
    }

    @Test
    void shouldSortEveryElementTypeAndCheckRangesAsTheJdkDoes()
    {
        try (TestFarMemory far = new TestFarMemory(64 * 4096, "clock", 0, false, 1024))
        {
            final int length = FarSort.RUN * 2 + 5;
            for (final ElementType type : new ElementType[]{ElementType.INT, ElementType.SHORT, ElementType.CHAR,
                ElementType.BYTE, ElementType.FLOAT})
            {
                final Object heap = type.newHeapArray(length);
                final Object array = far.farMemory().allocate(type, length, -1);
                final SplittableRandom random = new SplittableRandom(type.ordinal());
                fillRandomly(heap, random);
                FarArrays.arraycopy(heap, 0, array, 0, length);
                FarArrays.sort(heap, false);
                FarArrays.sort(array, false);
                final Object back = type.newHeapArray(length);
                FarArrays.arraycopy(array, 0, back, 0, length);
                assertTrue(equal(heap, back), type + " sorted as by the JDK");
                assertThrows(IllegalArgumentException.class, () -> FarArrays.sort(array, 5, 4, false));
                assertThrows(ArrayIndexOutOfBoundsException.class, () -> FarArrays.sort(array, -1, 4, false));
                assertThrows(ArrayIndexOutOfBoundsException.class, () -> FarArrays.sort(array, 0, length + 1, false));
            }
            assertThrows(NullPointerException.class, () -> FarArrays.sort(null, false));
        }
    }

    private static void fillRandomly(final Object heap, final SplittableRandom random)
    {
        if (heap instanceof int[])
        {
            Arrays.setAll((int[])heap, i -> random.nextInt());
        }
        else if (heap instanceof short[])
        {
            final short[] a = (short[])heap;
            for (int i = 0; i < a.length; i++)
            {
                a[i] = (short)random.nextInt();
            }
        }
        else if (heap instanceof char[])
        {
            final char[] a = (char[])heap;
            for (int i = 0; i < a.length; i++)
            {
                a[i] = (char)random.nextInt();
            }
        }
        else if (heap instanceof byte[])
        {
            final byte[] a = (byte[])heap;
            for (int i = 0; i < a.length; i++)
            {
                a[i] = (byte)random.nextInt();
            }
        }
        else
        {
            final float[] a = (float[])heap;
            for (int i = 0; i < a.length; i++)
            {
                a[i] = random.nextInt(30) == 0 ? Float.NaN : (float)random.nextDouble(-3, 3);
            }
        }
    }

    private static boolean equal(final Object a, final Object b)
    {
        if (a instanceof int[])
        {
            return Arrays.equals((int[])a, (int[])b);
        }
        if (a instanceof short[])
        {
            return Arrays.equals((short[])a, (short[])b);
        }
        if (a instanceof char[])
        {
            return Arrays.equals((char[])a, (char[])b);
        }
        if (a instanceof byte[])
        {
            return Arrays.equals((byte[])a, (byte[])b);
        }
        return Arrays.equals((float[])a, (float[])b);
    }
}
