package io.splitheap.agent.core;

import io.splitheap.agent.ForwardingBackend;
import io.splitheap.agent.backend.LocalBackend;
import io.splitheap.agent.backend.NodeUnavailableException;
import io.splitheap.agent.excache.ElementType;
import io.splitheap.agent.excache.ExCache;
import io.splitheap.agent.runtime.FarAccess;
import io.splitheap.protocol.exceptions.SplitheapException;
import io.splitheap.protocol.runtime.ErrorLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Write-backs and frees to a node that cannot take them (its link is down: the backend fails them at once with a
 * {@link NodeUnavailableException}) are put aside, not lost: written lines stay readable from the write-back buffer,
 * they are tried again with a backoff rather than on every housekeeping cycle, the housekeeper goes on freeing
 * meanwhile, and everything is sent at once when a new route arrives. The housekeeper is stepped by the test, as its
 * thread would step it (parking a millisecond when idle).
 */
@Timeout(60)
class DeferredSendsTest
{
    private static final int LINE = 4096;
    private static final int LINES = 48;
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void shouldBackOffKeepLinesReadableAndResendAtOnceWhenTheRouteMoves()
    {
        final UnavailableNode backend = new UnavailableNode(new LocalBackend(LINE));
        backend.writesUnavailable = true;
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final ExCache cache = new ExCache(16 * LINE, LINE, "fifo", 0, 64, backend, TimeUnit.SECONDS.toNanos(10));
        final FarMemory farMemory = new FarMemory(cache, backend, 1 << 20, 1 << 20, errors::add, true);
        FarMemory.install(farMemory);
        try
        {
            final int length = LINES * LINE / Long.BYTES;
            final long[] array = (long[])farMemory.allocate(ElementType.LONG, length, -1);
            for (int i = 0; i < length; i++)
            {
                FarAccess.lastore(array, i, i * 31L + 7);
            }
            step(farMemory, 1500 * MS, () -> false);
            final int attempts = backend.writeAttempts;
            assertTrue(attempts >= 6, "the write-backs were tried again (" + attempts + " attempts)");
            assertTrue(attempts <= 60, "with a backoff, not on every cycle (" + attempts + " attempts in 1.5 s)");
            assertTrue(cache.writeBacks().inFlight() >= LINES - 16, "the evicted lines wait in the write-back buffer");
            for (int i = 0; i < length; i++)
            {
                assertEquals(i * 31L + 7, FarAccess.laload(array, i), "element " + i + " while the node is away");
            }

            // the housekeeper is not held by the node that is away: it goes on releasing and freeing
            dropAnArray(farMemory);
            step(farMemory, 10_000 * MS, () -> backend.freesDone > 0 || collect());
            assertTrue(backend.freesDone > 0, "a dead array's pages were freed meanwhile");

            // right after a failed attempt the next one is at least 640 ms away; the new route sends them at once
            final int before = backend.writeAttempts;
            step(farMemory, 5_000 * MS, () -> backend.writeAttempts > before);
            backend.writesUnavailable = false;
            backend.routesMoved++;
            final long movedNs = System.nanoTime();
            step(farMemory, 5_000 * MS, () -> cache.writeBacks().inFlight() == 0);
            final long tookMs = (System.nanoTime() - movedNs) / MS;
            assertEquals(0, cache.writeBacks().inFlight(), "every line stored");
            assertTrue(tookMs < 300, "sent again when the route moved, not after the backoff: " + tookMs + " ms");

            for (int i = 0; i < length; i++)
            {
                assertEquals(i * 31L + 7, FarAccess.laload(array, i), "element " + i + " after the node came back");
            }
            assertTrue(!errors.isEmpty(), "the deferral was reported");
            for (final Throwable error : errors)
            {
                assertTrue(error instanceof SplitheapException &&
                    ((SplitheapException)error).category() == SplitheapException.Category.WARN &&
                    error.getMessage().contains("write-backs deferred: write-back not sent: node=1"), error.toString());
            }
            assertTrue(errors.size() <= 2, "at most one line every 10 s: " + errors);
        }
        finally
        {
            FarMemory.install(null);
            farMemory.close();
        }
    }

    @Test
    void shouldDeferFreesAndNeverSendOneIntoARangeUnmappedMeanwhile()
    {
        final UnavailableNode backend = new UnavailableNode(new LocalBackend(LINE));
        backend.freesUnavailable = true;
        final ErrorLog errors = new ErrorLog("deferred-sends-test", System.err);
        final ExCache cache = new ExCache(16 * LINE, LINE, "fifo", 0, 64, backend, TimeUnit.SECONDS.toNanos(10));
        final FarMemory farMemory = new FarMemory(cache, backend, 256 * 1024, 1 << 20, errors, true);
        try
        {
            // eight 32 KiB arrays fill the first 256 KiB arena, the ninth opens the next
            final List<Object> first = new ArrayList<>();
            for (int i = 0; i < 8; i++)
            {
                first.add(farMemory.allocate(ElementType.INT, 8192, -1));
            }
            final Object keep = farMemory.allocate(ElementType.INT, 8192, -1);
            first.remove(0);
            step(farMemory, 10_000 * MS, () -> backend.freeAttempts > 0 || collect());
            assertTrue(backend.freeAttempts > 0, "the dead array's free was tried");
            step(farMemory, 1000 * MS, () -> false);
            assertTrue(backend.freeAttempts <= 20, "and tried again with a backoff (" + backend.freeAttempts + ")");
            assertTrue(!farMemory.settleReclaim(0), "the free waits to be sent again");

            // the rest of the arena dies: it is unmapped, and the frees put aside inside it are dropped
            first.clear();
            step(farMemory, 10_000 * MS, () -> backend.unmaps > 0 || collect());
            assertTrue(backend.unmaps > 0, "the empty arena was unmapped");
            backend.freesUnavailable = false;
            backend.routesMoved++;
            step(farMemory, 500 * MS, () -> false);
            assertEquals(0, backend.freesIntoUnmapped, "no free reached a range after its unmap");
            assertEquals(0, backend.freesDone, "the frees put aside were dropped with the range");
            assertTrue(farMemory.settleReclaim(0), "nothing left to free");
            assertTrue(keep != null);
        }
        finally
        {
            farMemory.close();
        }
    }

    private static boolean collect()
    {
        System.gc();
        return false;
    }

    private static void dropAnArray(final FarMemory farMemory)
    {
        farMemory.allocate(ElementType.LONG, 16 * 1024, -1);
    }

    /**
     * Steps the housekeeper for at most {@code forNs}, until {@code done}, parking as its idle strategy would.
     */
    private static void step(final FarMemory farMemory, final long forNs, final BooleanSupplier done)
    {
        final long start = System.nanoTime();
        while (!done.getAsBoolean() && System.nanoTime() - start < forNs)
        {
            if (farMemory.runHousekeeping() == 0)
            {
                LockSupport.parkNanos(MS);
            }
        }
    }

    /**
     * A node whose link is down while the test says so: write-backs and frees fail at once, as the remote backend
     * fails them; a new route is announced by {@link #routesMoved}.
     */
    private static final class UnavailableNode extends ForwardingBackend
    {
        private volatile boolean writesUnavailable;
        private volatile boolean freesUnavailable;
        private volatile long routesMoved;
        private volatile int writeAttempts;
        private volatile int freeAttempts;
        private volatile int freesDone;
        private volatile int unmaps;
        private volatile int freesIntoUnmapped;
        private final List<long[]> unmapped = new ArrayList<>();

        UnavailableNode(final LocalBackend backend)
        {
            super(backend);
        }

        public void writeLinesAsync(final long[] addresses, final long[] sourceAddresses, final int count,
            final int length, final Completion completion)
        {
            writeAttempts++;
            if (writesUnavailable)
            {
                completion.complete(new NodeUnavailableException("write-back not sent: node=1 is not connected"));
                return;
            }
            super.writeLinesAsync(addresses, sourceAddresses, count, length, completion);
        }

        public synchronized void freePagesAsync(final long address, final long length, final Completion completion)
        {
            freeAttempts++;
            for (final long[] range : unmapped)
            {
                freesIntoUnmapped += address >= range[0] && address < range[0] + range[1] ? 1 : 0;
            }
            if (freesUnavailable)
            {
                completion.complete(new NodeUnavailableException("free not sent: node=1 is not connected"));
                return;
            }
            freesDone++;
            super.freePagesAsync(address, length, completion);
        }

        public synchronized void unmap(final long address, final long length)
        {
            unmaps++;
            unmapped.add(new long[]{address, length});
            super.unmap(address, length);
        }

        public long routesMoved()
        {
            return routesMoved;
        }
    }
}
