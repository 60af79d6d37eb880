package io.splitheap.samples.support;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ChecksumTest
{
    @Test
    void shouldChangeWhenAnySingleElementChanges()
    {
        final IntChunks ints = new IntChunks(64);
        final DoubleChunks doubles = new DoubleChunks(64);
        final Set<Long> seen = new HashSet<>();
        seen.add(Checksum.of(1, ints, doubles));
        for (int i = 0; i < 64; i++)
        {
            ints.set(i, 1);
            assertEquals(true, seen.add(Checksum.of(1, ints, doubles)), "int " + i);
            ints.set(i, 0);
            doubles.set(i, Double.MIN_VALUE);
            assertEquals(true, seen.add(Checksum.of(1, ints, doubles)), "double " + i);
            doubles.set(i, 0);
        }
    }

    @Test
    void shouldDependOnOrderOfArraysAndLengths()
    {
        final IntChunks a = new IntChunks(3);
        final IntChunks b = new IntChunks(4);
        assertNotEquals(Checksum.of(1, a, b), Checksum.of(1, b, a));
    }

    @Test
    void shouldNotDependOnThreadCount()
    {
        final LongChunks[] arrays = new LongChunks[5];
        for (int a = 0; a < arrays.length; a++)
        {
            arrays[a] = new LongChunks(1000 + a);
            for (int i = 0; i < arrays[a].length(); i++)
            {
                arrays[a].set(i, i * 31L + a);
            }
        }
        final long single = Checksum.of(1, arrays);
        assertEquals(single, Checksum.of(2, arrays));
        assertEquals(single, Checksum.of(4, arrays));
    }

    @Test
    void shouldFormatSixteenLowercaseHexDigits()
    {
        assertEquals("0000000000000000", Checksum.hex(0));
        assertEquals("00000000000000ab", Checksum.hex(0xAB));
        assertEquals("ffffffffffffffff", Checksum.hex(-1));
    }
}
