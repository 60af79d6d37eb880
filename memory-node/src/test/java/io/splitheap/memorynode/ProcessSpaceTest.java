package io.splitheap.memorynode;

import io.splitheap.memorynode.internal.ProcessSpace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

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

    /**
     * Random adds, removals and lookups over a small address space, against a list of ranges that is obviously right
     * (linear scans), including removals that split, trim and join nothing.
     */
    @Test
    void shouldAgreeWithANaiveModelUnderRandomOperations()
    {
        final SplittableRandom random = new SplittableRandom(20261201);
        for (int round = 0; round < 50; round++)
        {
            final ProcessSpace space = new ProcessSpace(1);
            final List<long[]> model = new ArrayList<>();
            for (int step = 0; step < 400; step++)
            {
                final long start = random.nextInt(1000);
                final long length = 1 + random.nextInt(60);
                final int op = random.nextInt(3);
                if (op == 0)
                {
                    final boolean overlaps = model.stream().anyMatch(r -> r[0] < start + length && start < r[1]);
                    if (!overlaps)
                    {
                        model.add(new long[]{start, start + length});
                    }
                    assertEquals(!overlaps, space.addVma(start, length), "add " + start + "+" + length);
                }
                else if (op == 1)
                {
                    long removed = 0;
                    final List<long[]> next = new ArrayList<>();
                    for (final long[] r : model)
                    {
                        removed += Math.max(0, Math.min(r[1], start + length) - Math.max(r[0], start));
                        if (r[0] < start)
                        {
                            next.add(new long[]{r[0], Math.min(r[1], start)});
                        }
                        if (r[1] > start + length)
                        {
                            next.add(new long[]{Math.max(r[0], start + length), r[1]});
                        }
                    }
                    model.clear();
                    model.addAll(next);
                    assertEquals(removed, space.removeRange(start, length), "remove " + start + "+" + length);
                }
                else
                {
                    final boolean inside = model.stream().anyMatch(r -> r[0] <= start && start + length <= r[1]);
                    assertEquals(inside, space.isMapped(start, length), "lookup " + start + "+" + length);
                }
                assertEquals(model.stream().mapToLong(r -> r[1] - r[0]).sum(), space.mappedBytes());
                assertEquals(model.size(), space.vmas().size());
            }
        }
    }
}
