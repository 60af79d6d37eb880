package io.splitheap.agent.excache;

import io.splitheap.agent.TestFarMemory;
import io.splitheap.agent.core.FarBoundaryError;
import io.splitheap.agent.core.FarRegistry;
import io.splitheap.agent.core.Sites;
import io.splitheap.agent.runtime.FarAccess;
import io.splitheap.agent.runtime.FarBoundary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(120)
class LocalizerTest
{
    @Test
    void shouldKeepEveryWriteOfThreadsRacingTheMoveToTheHeap() throws Exception
    {
        try (TestFarMemory far = new TestFarMemory(16 * 4096, "fifo"))
        {
            final int threads = 3;
            final int perThread = 20_000;
            final long[] array = (long[])far.farMemory().allocate(ElementType.LONG, threads * perThread, -1);
            final CountDownLatch started = new CountDownLatch(threads);
            final AtomicBoolean localized = new AtomicBoolean();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                final int base = t * perThread;
                final Thread writer = new Thread(() ->
                {
                    try
                    {
                        started.countDown();
                        for (int round = 1; round <= 40 || !localized.get(); round++)
                        {
                            for (int i = 0; i < perThread; i += 7)
                            {
                                FarAccess.lastore(array, base + i, (long)round << 32 | (base + i));
                            }
                        }
                    }
                    catch (final Throwable ex)
                    {
                        failure.compareAndSet(null, ex);
                    }
                });
                writer.start();
                writers.add(writer);
            }
            started.await();
            final long[] heap = (long[])FarBoundary.toHeap(array, Sites.CALLS.register("test"));
            localized.set(true);
            for (final Thread writer : writers)
            {
                writer.join();
            }
            assertNull(failure.get());
            assertEquals(threads * perThread, heap.length);
            assertSame(heap, FarRegistry.find(array).backing());
            final long round = heap[0] >>> 32;
            for (int i = 0; i < heap.length; i++)
            {
                if (i % perThread % 7 == 0)
                {
                    assertEquals(i, (int)heap[i], "index " + i);
                    assertTrue(heap[i] >>> 32 >= 40, "the writer's last round reached the heap array at " + i);
                    assertEquals(heap[i], FarAccess.laload(array, i));
                }
                else
                {
                    assertEquals(0, heap[i]);
                }
            }
            assertTrue(round > 0);
        }
    }

    @Test
    void shouldRefuseToMoveAnArrayTooLargeNamingTheCallSiteAndTheOption()
    {
        try (TestFarMemory far = new TestFarMemory(16 * 4096, "fifo", 0, false, 1 << 16))
        {
            final long[] array = (long[])far.farMemory().allocate(ElementType.LONG, 100_000,
                Sites.ALLOCATIONS.register("com.example.Big.allocate(Big.java:12)"));
            final int site = Sites.CALLS.register("com.example.Big.save(Big.java:40) calling java.io.X.write([J)V");
            final String message = assertThrows(FarBoundaryError.class, () -> FarBoundary.toHeap(array, site))
                .getMessage();
            assertTrue(message.contains("com.example.Big.save(Big.java:40)"), message);
            assertTrue(message.contains("com.example.Big.allocate(Big.java:12)"), message);
            assertTrue(message.contains("threshold=") && message.contains("exclude="), message);
        }
    }

    @Test
    void shouldLearnThatTheAllocationSiteMustAllocateLocally()
    {
        try (TestFarMemory far = new TestFarMemory(16 * 4096, "fifo"))
        {
            final int site = Sites.ALLOCATIONS.register("com.example.Kept.allocate(Kept.java:1)");
            final byte[] array = (byte[])far.farMemory().allocate(ElementType.BYTE, 5000, site);
            FarAccess.bastore(array, 3, 9);
            final byte[] heap = (byte[])FarBoundary.toHeap(array, Sites.CALLS.register("test"));
            assertEquals(9, heap[3]);
            assertTrue(Sites.ALLOCATIONS.isLocal(site));
            assertSame(array, FarBoundary.fromHeap(heap), "the heap array maps back to the placeholder");
            assertEquals(1, far.cache().stats().localizations());
        }
    }
}
