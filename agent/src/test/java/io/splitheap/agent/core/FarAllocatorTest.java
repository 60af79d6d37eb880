package io.splitheap.agent.core;

import io.splitheap.agent.backend.LocalBackend;
import io.splitheap.protocol.exceptions.RemoteException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FarAllocatorTest
{
    private static final long ARENA = 64 * 4096;
    private static final long LINE = 4096;

    @Test
    void shouldReuseAFreedRangeOnlyAfterItsFreeWasAcknowledged()
    {
        final FarAllocator allocator = new FarAllocator(new LocalBackend(LINE), ARENA);
        final long first = allocator.allocate(4 * LINE);
        allocator.allocate(4 * LINE);
        final FarAllocator.Release release = allocator.free(first, 4 * LINE);
        assertEquals(first, release.freePagesAddress());
        assertEquals(4 * LINE, release.freePagesLength());

        assertNotEquals(first, allocator.allocate(4 * LINE), "not before the node dropped the old pages");
        allocator.reclaimed(first, 4 * LINE);
        assertEquals(first, allocator.allocate(4 * LINE));
    }

    @Test
    void shouldTakeTheBestFitAndKeepTheRestOfARange()
    {
        final FarAllocator allocator = new FarAllocator(new LocalBackend(LINE), ARENA);
        final long big = allocator.allocate(8 * LINE);
        allocator.allocate(LINE);
        final long small = allocator.allocate(2 * LINE);
        allocator.allocate(LINE);
        allocator.free(big, 8 * LINE);
        allocator.reclaimed(big, 8 * LINE);
        allocator.free(small, 2 * LINE);
        allocator.reclaimed(small, 2 * LINE);

        assertEquals(small, allocator.allocate(2 * LINE), "the two-line hole fits two lines exactly");
        assertEquals(big, allocator.allocate(3 * LINE));
        assertEquals(big + 3 * LINE, allocator.allocate(5 * LINE), "the rest of the big hole");
        assertEquals(0, allocator.reusableBytes());
    }

    @Test
    void shouldCoalesceNeighboursAndGiveTheTopOfTheCurrentArenaBackToItsBumpPointer()
    {
        final FarAllocator allocator = new FarAllocator(new LocalBackend(LINE), ARENA);
        final long a = allocator.allocate(2 * LINE);
        final long b = allocator.allocate(2 * LINE);
        final long c = allocator.allocate(2 * LINE);
        allocator.allocate(LINE);
        allocator.free(a, 2 * LINE);
        allocator.reclaimed(a, 2 * LINE);
        allocator.free(c, 2 * LINE);
        allocator.reclaimed(c, 2 * LINE);
        allocator.free(b, 2 * LINE);
        allocator.reclaimed(b, 2 * LINE);
        assertEquals(6 * LINE, allocator.reusableBytes());
        assertEquals(a, allocator.allocate(6 * LINE), "three neighbours make one range");

        final FarAllocator other = new FarAllocator(new LocalBackend(LINE), ARENA);
        other.allocate(LINE);
        final long top = other.allocate(4 * LINE);
        other.free(top, 4 * LINE);
        other.reclaimed(top, 4 * LINE);
        assertEquals(0, other.reusableBytes(), "the top of the current arena is bump space again");
        assertEquals(top, other.allocate(LINE));
    }

    @Test
    void shouldKeepReservedCapacityNearTheLiveDataUnderChurn()
    {
        final LocalBackend backend = new LocalBackend(LINE, 4 * ARENA);
        final FarAllocator allocator = new FarAllocator(backend, ARENA);
        final long[] live = new long[4];
        final long[] sizes = new long[4];
        for (int i = 0; i < 2000; i++)
        {
            final int slot = i % live.length;
            if (live[slot] != 0)
            {
                final FarAllocator.Release release = allocator.free(live[slot], sizes[slot]);
                if (release.freePagesAddress() != 0)
                {
                    allocator.reclaimed(release.freePagesAddress(), release.freePagesLength());
                }
            }
            sizes[slot] = (1 + (i * 7) % 13) * LINE;
            live[slot] = allocator.allocate(sizes[slot]);
        }
        assertEquals(ARENA, allocator.reservedBytes(), "2000 allocations of up to 13 lines, 4 live: one arena");
    }

    @Test
    void shouldUnmapLargeRangesAndEmptyArenasAndPassOnTheClusterRefusal()
    {
        final LocalBackend backend = new LocalBackend(LINE, 2 * ARENA);
        final FarAllocator allocator = new FarAllocator(backend, ARENA);
        final long large = allocator.allocate(ARENA);
        assertEquals(new FarAllocator.Release(0, 0, large, ARENA), allocator.free(large, ARENA));
        assertEquals(0, allocator.reservedBytes());
        backend.unmap(large, ARENA);

        final long first = allocator.allocate(ARENA / 4);
        for (int i = 0; i < 3; i++)
        {
            allocator.allocate(ARENA / 4);
        }
        final long next = allocator.allocate(LINE);
        assertEquals(2 * ARENA, allocator.reservedBytes());
        assertThrows(RemoteException.class, () -> allocator.allocate(ARENA), "the backend holds two arenas at most");
        allocator.free(next, LINE);
        for (int i = 0; i < 3; i++)
        {
            assertEquals(0, allocator.free(first + i * ARENA / 4, ARENA / 4).unmapAddress());
        }
        assertEquals(new FarAllocator.Release(0, 0, first, ARENA), allocator.free(first + 3 * ARENA / 4, ARENA / 4));
        assertEquals(ARENA, allocator.reservedBytes(), "the first arena emptied and was given up");
    }
}
