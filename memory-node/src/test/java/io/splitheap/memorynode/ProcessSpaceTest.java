package io.splitheap.memorynode;

import io.splitheap.memorynode.internal.ProcessSpace;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessSpaceTest
{
    @Test
    void shouldRefuseOverlappingVmas()
    {
        final ProcessSpace space = new ProcessSpace(1);
        assertTrue(space.addVma(0x10000, 0x10000));
        assertFalse(space.addVma(0x18000, 0x10000));
        assertFalse(space.addVma(0x8000, 0x10000));
        assertTrue(space.addVma(0x20000, 0x1000));
        assertEquals(0x11000, space.mappedBytes());
    }

    @Test
    void shouldCheckThatARangeLiesInsideOneVma()
    {
        final ProcessSpace space = new ProcessSpace(1);
        space.addVma(0x10000, 0x10000);
        assertTrue(space.isMapped(0x10000, 0x10000));
        assertTrue(space.isMapped(0x1f000, 0x1000));
        assertFalse(space.isMapped(0x1f000, 0x2000));
        assertFalse(space.isMapped(0xf000, 0x1000));
    }

    @Test
    void shouldSplitVmasWhenTheMiddleIsRemoved()
    {
        final ProcessSpace space = new ProcessSpace(1);
        space.addVma(0x10000, 0x10000);
        assertEquals(0x4000, space.removeRange(0x14000, 0x4000));
        assertTrue(space.isMapped(0x10000, 0x4000));
        assertFalse(space.isMapped(0x14000, 0x1000));
        assertTrue(space.isMapped(0x18000, 0x8000));
        assertEquals(2, space.vmas().size());
    }
}
