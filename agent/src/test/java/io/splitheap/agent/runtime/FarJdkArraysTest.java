package io.splitheap.agent.runtime;

import io.splitheap.agent.TestFarMemory;
import io.splitheap.agent.excache.ElementType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Arrays.fill}, {@code copyOf}, {@code copyOfRange}, {@code equals} and {@code hashCode} of far arrays larger
 * than the ExCache and than the localization limit work where the arrays live, with the JDK's results.
 */
class FarJdkArraysTest
{
    private static final int LENGTH = 300_000;

    @Test
    void shouldFillCopyCompareAndHashWithoutMovingToTheHeap()
    {
        try (TestFarMemory far = new TestFarMemory(64 * 4096, "fifo", 0, false, 1024))
        {
            final long[] array = (long[])far.farMemory().allocate(ElementType.LONG, LENGTH, -1);
            final long[] heap = new long[LENGTH];
            FarJdkArrays.fill(array, 42L);
            FarJdkArrays.fill(array, 1000, 250_000, -9L);
            Arrays.fill(heap, 42L);
            Arrays.fill(heap, 1000, 250_000, -9L);
            FarAccess.lastore(array, LENGTH - 1, 5L);
            heap[LENGTH - 1] = 5L;

            assertEquals(Arrays.hashCode(heap), FarJdkArrays.hashCode(array));
            final long[] copy = FarJdkArrays.copyOfRange(array, 10, LENGTH + 10);
            assertNotNull(FarArrays.far(copy), "the copy of a far array is far");
            assertEquals(Arrays.hashCode(Arrays.copyOfRange(heap, 10, LENGTH + 10)), FarJdkArrays.hashCode(copy));
            final long[] same = FarJdkArrays.copyOf(array, LENGTH);
            assertTrue(FarJdkArrays.equals(array, same));
            assertTrue(FarJdkArrays.equals(array, heap), "a far array equals a heap array with the same elements");
            FarAccess.lastore(same, LENGTH - 2, 1L);
            assertFalse(FarJdkArrays.equals(array, same));
            assertFalse(FarJdkArrays.equals(array, copy));
            assertEquals(0, far.cache().stats().localizations(), "nothing was moved to the heap");
            assertTrue(far.cache().stats().evictions() > 0, "the arrays went through evictions");
        }
    }
}
