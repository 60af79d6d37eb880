package io.splitheap.agent.runtime;

import io.splitheap.agent.TestFarMemory;
import io.splitheap.agent.excache.ElementType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code baload}/{@code bastore} serve both {@code byte[]} and {@code boolean[]}: a byte store keeps the low 8 bits,
 * a boolean store the low bit (as the JVM does), for heap and far arrays alike.
 */
class FarAccessTest
{
    @Test
    void shouldStoreTheLowBitIntoBooleanArraysAndTheLowByteIntoByteArrays()
    {
        try (TestFarMemory far = new TestFarMemory(16 * 4096, "fifo"))
        {
            for (final Object booleans : new Object[]{new boolean[8], far.farMemory().allocate(ElementType.BOOLEAN,
                8, -1)})
            {
                FarAccess.bastore(booleans, 0, 2);
                FarAccess.bastore(booleans, 1, 3);
                FarAccess.bastore(booleans, 2, -1);
                assertEquals(0, FarAccess.baload(booleans, 0));
                assertEquals(1, FarAccess.baload(booleans, 1));
                assertEquals(1, FarAccess.baload(booleans, 2));
            }
            for (final Object bytes : new Object[]{new byte[8], far.farMemory().allocate(ElementType.BYTE, 8, -1)})
            {
                FarAccess.bastore(bytes, 0, 257);
                FarAccess.bastore(bytes, 1, 0xFF);
                assertEquals(1, FarAccess.baload(bytes, 0));
                assertEquals(-1, FarAccess.baload(bytes, 1));
            }
        }
    }

    @Test
    void shouldTruncateCharAndShortStoresAsTheJvmDoes()
    {
        try (TestFarMemory far = new TestFarMemory(16 * 4096, "fifo"))
        {
            final char[] chars = (char[])far.farMemory().allocate(ElementType.CHAR, 4, -1);
            FarAccess.castore(chars, 0, 0x1_0041);
            assertEquals('A', FarAccess.caload(chars, 0));
            final short[] shorts = (short[])far.farMemory().allocate(ElementType.SHORT, 4, -1);
            FarAccess.sastore(shorts, 0, 0x1_8000);
            assertEquals(Short.MIN_VALUE, FarAccess.saload(shorts, 0));
        }
    }

    @Test
    void shouldReportTheFarLengthInOutOfBoundsMessages()
    {
        try (TestFarMemory far = new TestFarMemory(16 * 4096, "fifo"))
        {
            final int[] ints = (int[])far.farMemory().allocate(ElementType.INT, 10, -1);
            assertEquals("Index 10 out of bounds for length 10",
                assertThrows(ArrayIndexOutOfBoundsException.class, () -> FarAccess.iaload(ints, 10)).getMessage());
            assertEquals("Index -1 out of bounds for length 10",
                assertThrows(ArrayIndexOutOfBoundsException.class, () -> FarAccess.iastore(ints, -1, 0)).getMessage());
            assertEquals(10, FarAccess.arraylength(ints));
            assertEquals(0, FarAccess.arraylength(new int[0]));
            assertEquals(0, FarAccess.arraylength(new Object[0]));
        }
    }
}
