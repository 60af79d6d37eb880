package io.splitheap.memorynode.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VmaSetTest
{
    private static final int SPACE = 64;

    @Test
    void shouldAddOnlyWhatNoRangeCoversYet()
    {
        final VmaSet set = new VmaSet();
        set.add(10, 20);
        set.add(30, 40);
        assertEquals(20, set.addUncovered(5, 45), "5-10, 20-30 and 40-45");
        assertTrue(set.contains(5, 5) && set.contains(20, 10) && set.contains(40, 5));
        assertEquals(0, set.addUncovered(5, 45), "all covered now");
        assertEquals(5, set.size(), "the parts are ranges of their own: what each node was told stays separate");
    }

    @Test
    void shouldFindTheNextCoveredAddress()
    {
        final VmaSet set = new VmaSet();
        set.add(10, 20);
        set.add(30, 40);
        assertEquals(10, set.nextCovered(0));
        assertEquals(15, set.nextCovered(15));
        assertEquals(30, set.nextCovered(20));
        assertEquals(Long.MAX_VALUE, set.nextCovered(40));
        assertTrue(set.overlaps(19, 21));
        assertFalse(set.overlaps(20, 30));
    }

    /**
     * Random adds of uncovered parts, removals and lookups against a bitmap.
     */
    @Test
    void shouldAgreeWithABitmapUnderRandomOperations()
    {
        final SplittableRandom random = new SplittableRandom(20261201);
        for (int round = 0; round < 200; round++)
        {
            final VmaSet set = new VmaSet();
            final boolean[] covered = new boolean[SPACE];
            for (int op = 0; op < 30; op++)
            {
                final int start = random.nextInt(SPACE);
                final int end = start + 1 + random.nextInt(SPACE - start);
                if (random.nextInt(3) == 0)
                {
                    set.remove(start, end);
                    for (int i = start; i < end; i++)
                    {
                        covered[i] = false;
                    }
                }
                else
                {
                    final List<long[]> gaps = new ArrayList<>();
                    set.forEachGap(start, end, (gapStart, gapEnd) -> gaps.add(new long[]{gapStart, gapEnd}));
                    long expected = 0;
                    for (int i = start; i < end; i++)
                    {
                        expected += covered[i] ? 0 : 1;
                    }
                    assertEquals(expected, gaps.stream().mapToLong(g -> g[1] - g[0]).sum());
                    assertEquals(expected, set.addUncovered(start, end));
                    for (int i = start; i < end; i++)
                    {
                        covered[i] = true;
                    }
                }
                for (int i = 0; i < SPACE; i++)
                {
                    assertEquals(covered[i], set.contains(i, 1), "address " + i);
                    int next = i;
                    while (next < SPACE && !covered[next])
                    {
                        next++;
                    }
                    assertEquals(next == SPACE ? Long.MAX_VALUE : next, set.nextCovered(i), "next from " + i);
                }
            }
        }
    }
}
