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
 * {@code java.util.Arrays} methods on far arrays larger than the ExCache and than the localization limit work where
 * the arrays live, with the JDK's results.
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
            assertEquals(Arrays.mismatch(heap, Arrays.copyOf(heap, LENGTH / 2)),
                FarJdkArrays.mismatch(array, FarJdkArrays.copyOf(array, LENGTH / 2)));
            assertEquals(LENGTH - 2, FarJdkArrays.mismatch(array, same));
            assertEquals(Arrays.stream(heap).sum(), FarJdkArrays.stream(array).sum());

            final long[] sorted = (long[])far.farMemory().allocate(ElementType.LONG, LENGTH, -1);
            FarJdkArrays.setAll(sorted, i -> 3L * i);
            assertEquals(12_345, FarJdkArrays.binarySearch(sorted, 3L * 12_345));
            assertEquals(-(1000 + 1), FarJdkArrays.binarySearch(sorted, 3L * 1000 - 1));
            assertEquals(-(LENGTH + 1), FarJdkArrays.binarySearch(sorted, Long.MAX_VALUE));
            assertTrue(FarJdkArrays.toString(FarJdkArrays.copyOf(sorted, 4)).equals("[0, 3, 6, 9]"));
            assertEquals(0, far.cache().stats().localizations(), "nothing was moved to the heap");
            assertTrue(far.cache().stats().evictions() > 0, "the arrays went through evictions");
        }
    }
}
