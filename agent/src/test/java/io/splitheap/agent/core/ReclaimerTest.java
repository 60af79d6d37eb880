package io.splitheap.agent.core;

import io.splitheap.agent.backend.LocalBackend;
import io.splitheap.agent.excache.ElementType;
import io.splitheap.agent.excache.ExCache;
import io.splitheap.agent.excache.FarArray;
import io.splitheap.agent.runtime.FarAccess;
import io.splitheap.protocol.runtime.ErrorLog;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Far memory follows live data: dead far arrays are found by a GC and reclaimed when an allocation would not fit,
 * and only live data that does not fit ends in an {@link OutOfMemoryError}.
 */
class ReclaimerTest
{
    private static final int LINE = 4096;
    private static final long ARENA = 64 * LINE;
    private static final int LONGS_PER_ARRAY = 32 * LINE / Long.BYTES;

    private static final int ROUNDS = 20;

    private static volatile FarArray reading;

    @Test
    void shouldReclaimDeadArraysWhenTheClusterIsFull()
    {
        final LocalBackend backend = new LocalBackend(LINE, 4 * ARENA);
        try (FarMemory farMemory = farMemory(backend, 0, false))
        {
            long sum = 0;
            for (int i = 0; i < 200; i++)
            {
                final long[] array = (long[])farMemory.allocate(ElementType.LONG, LONGS_PER_ARRAY, -1);
                FarAccess.lastore(array, i, i);
                sum += FarAccess.laload(array, i);
            }
            assertEquals(199L * 200 / 2, sum);
            assertTrue(farMemory.pressureWaits() > 0, "the 1 MiB cluster filled up with 6 MiB of arrays");
            assertTrue(farMemory.allocator().reservedBytes() <= 4 * ARENA);
        }
    }

    @Test
    void shouldFailWithAnOutOfMemoryErrorNamingTheFiguresWhenLiveDataDoesNotFit()
    {
        final LocalBackend backend = new LocalBackend(LINE, 4 * ARENA);
        try (FarMemory farMemory = farMemory(backend, 0, false))
        {
            final List<Object> live = new ArrayList<>();
            final OutOfMemoryError error = assertThrows(FarOutOfMemoryError.class, () ->
            {
                for (int i = 0; i < 100; i++)
                {
                    live.add(farMemory.allocate(ElementType.LONG, LONGS_PER_ARRAY, -1));
                }
            });
            assertTrue(live.size() >= 6 && live.size() < 9, "arrays that fit: " + live.size());
            final String message = error.getMessage();
            assertTrue(message.startsWith("far memory exhausted: a far long[" + LONGS_PER_ARRAY + "]"), message);
            assertTrue(message.contains("live far bytes=" + live.size() * 32L * LINE), message);
            assertTrue(message.contains("reserved far bytes="), message);
            assertTrue(message.contains("CAPACITY_EXCEEDED"), message);
            assertTrue(message.contains("--capacity"), message);
        }
    }

    @Test
    void shouldKeepLiveFarBytesUnderTheProcessBudget()
    {
        final LocalBackend backend = new LocalBackend(LINE);
        try (FarMemory farMemory = farMemory(backend, 4 * 32 * LINE, false))
        {
            final List<Object> live = new ArrayList<>();
            for (int i = 0; i < 4; i++)
            {
                live.add(farMemory.allocate(ElementType.LONG, LONGS_PER_ARRAY, -1));
            }
            final FarOutOfMemoryError error = assertThrows(FarOutOfMemoryError.class,
                () -> farMemory.allocate(ElementType.LONG, LONGS_PER_ARRAY, -1));
            assertTrue(error.getMessage().contains("far.max=" + 4 * 32 * LINE), error.getMessage());
            live.clear();
            for (int i = 0; i < 50; i++)
            {
                live.add(farMemory.allocate(ElementType.LONG, LONGS_PER_ARRAY, -1));
                live.remove(0);
            }
            assertTrue(farMemory.liveFarBytes() <= 4 * 32 * LINE);
        }
    }

    @Test
    void shouldDropDirtyLinesOfDeadArraysAndCancelTheirPendingWriteBacks()
    {
        final LocalBackend backend = new LocalBackend(LINE);
        final ExCache cache = new ExCache(16 * LINE, LINE, "fifo", 0, 64, backend, TimeUnit.SECONDS.toNanos(10));
        try (FarMemory farMemory = stepped(cache, backend))
        {
            long[] array = (long[])farMemory.allocate(ElementType.LONG, 20 * LINE / Long.BYTES, -1);
            for (int line = 0; line < 20; line++)
            {
                FarAccess.lastore(array, line * LINE / Long.BYTES, line + 1);
            }
            assertEquals(4, cache.stats().writeBacks(), "20 dirty lines in 16 frames: 4 evicted, queued");
            assertEquals(4, cache.writeBacks().inFlight(), "none sent yet: housekeeping is stepped by the test");
            array = null;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (cache.stats().deadLinesDropped() == 0 && System.nanoTime() < deadline)
            {
                System.gc();
                farMemory.releaseAllDead();
            }
            assertEquals(20, cache.stats().deadLinesDropped(), "16 resident dirty lines and 4 pending write-backs");
            for (int i = 0; i < 10; i++)
            {
                farMemory.runHousekeeping();
            }
            assertEquals(0, backend.writes(), "nothing of the dead array reached the backend");
            assertEquals(0, backend.storedPages());
        }
    }

    /**
     * A far array's last access can be a miss, and the program may drop the array while that miss waits for its line:
     * a GC then finds the placeholder unreachable (compiled code keeps no dead local alive), and the reclaimer may free
     * the array's far range under the read. The access helpers keep the array reachable until the access is done.
     */
    @Test
    void shouldKeepAnArrayAliveWhileItsLastAccessWaitsForAMiss()
    {
        final LocalBackend backend = new LocalBackend(LINE);
        final ExCache cache = new ExCache(16 * LINE, LINE, "fifo", 0, 64, backend, TimeUnit.SECONDS.toNanos(10));
        try (FarMemory farMemory = stepped(cache, backend))
        {
            final long[] warm = (long[])farMemory.allocate(ElementType.LONG, 32 * LINE / Long.BYTES, -1);
            final List<LongArraySource> sources = List.of(() -> warm, () -> warm, () -> warm);
            assertEquals(0, warmUp(sources, 200_000));
            final int[] misses = new int[1];
            final int[] diedDuringMiss = new int[1];
            final Runnable hook = () ->
            {
                misses[0]++;
                for (int i = 0; i < 3; i++)
                {
                    System.gc();
                }
                if (reading.refersTo(null))
                {
                    diedDuringMiss[0]++;
                }
            };
            for (int round = 1; round <= ROUNDS; round++)
            {
                backend.readHook(null);
                assertEquals(0, warmUp(sources, 20_000));
                backend.readHook(hook);
                final long value = round;
                assertEquals(value, lastRead(() -> evictedArray(farMemory, value), 0), "round " + round);
            }
            backend.readHook(null);
            assertEquals(ROUNDS, misses[0], "every round's access was a miss");
            assertEquals(0, diedDuringMiss[0], "arrays found unreachable by a GC while their access waited for a miss");
        }
    }

    private static long warmUp(final List<LongArraySource> sources, final int reads)
    {
        long sum = 0;
        for (int i = 0; i < reads; i++)
        {
            sum += lastRead(sources.get(i % 3), (i * 131) & (32 * LINE / Long.BYTES - 1));
        }
        return sum;
    }

    /**
     * Reads an element of an array that nothing else holds, so that the read is its last use. Compiled by the warm-up
     * with its misses, and called through a megamorphic interface, so that neither an uncommon trap (which would
     * continue in the interpreter, where a frame holds every local) nor the caller's frame keeps the array alive.
     */
    private static long lastRead(final LongArraySource source, final int index)
    {
        return FarAccess.laloadFar(source.array(), index, 7);
    }

    private interface LongArraySource
    {
        long[] array();
    }

    private static long[] evictedArray(final FarMemory farMemory, final long value)
    {
        final long[] array = (long[])farMemory.allocate(ElementType.LONG, 20 * LINE / Long.BYTES, -1);
        for (int line = 0; line < 20; line++)
        {
            FarAccess.lastore(array, line * LINE / Long.BYTES, value);
        }
        for (int i = 0; i < 10; i++)
        {
            farMemory.runHousekeeping();
        }
        assertTrue(farMemory.drain(TimeUnit.SECONDS.toNanos(10)), "write-backs of the evicted lines");
        reading = FarRegistry.find(array);
        return array;
    }

    private static FarMemory stepped(final ExCache cache, final LocalBackend backend)
    {
        return new FarMemory(cache, backend, ARENA, 1 << 20, new ErrorLog("reclaimer-test", System.err), true, 0, true);
    }

    private static FarMemory farMemory(final LocalBackend backend, final long budget, final boolean gcInProportion)
    {
        final ExCache cache = new ExCache(64 * LINE, LINE, "fifo", 0, 64, backend, TimeUnit.SECONDS.toNanos(10));
        return new FarMemory(cache, backend, ARENA, 1 << 20, new ErrorLog("reclaimer-test", System.err), false,
            budget, gcInProportion);
    }
}
