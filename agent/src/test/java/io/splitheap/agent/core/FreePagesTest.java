package io.splitheap.agent.core;

import io.splitheap.agent.ForwardingBackend;
import io.splitheap.agent.backend.LocalBackend;
import io.splitheap.agent.excache.ElementType;
import io.splitheap.agent.excache.ExCache;
import io.splitheap.protocol.runtime.ErrorLog;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Releasing many dead far arrays at once: frees go to the nodes with at most
 * {@link Housekeeper#MAX_FREES_IN_FLIGHT} unanswered, and an arena is unmapped only when no free inside it is
 * unanswered (a free that overtook the unmap would reach a range the node no longer maps).
 */
class FreePagesTest
{
    private static final int ARRAYS = 3000;

    @Test
    void shouldPaceFreesAndNeverUnmapUnderAFreeInFlight()
    {
        final SlowFrees backend = new SlowFrees(new LocalBackend(4096));
        final ErrorLog errors = new ErrorLog("free-pages-test", System.err);
        final ExCache cache = new ExCache(64 * 4096, 4096, "fifo", 0, 64, backend, TimeUnit.SECONDS.toNanos(10));
        final FarMemory farMemory = new FarMemory(cache, backend, 256 * 1024, 1 << 20, errors, true);
        try
        {
            final List<Object> keptLonger = new ArrayList<>();
            List<Object> kept = new ArrayList<>();
            List<Object> dropped = new ArrayList<>();
            for (int i = 0; i < ARRAYS; i++)
            {
                final Object array = farMemory.allocate(ElementType.INT, 1024 + (i % 3) * 1024, -1);
                (i % 2 == 1 ? dropped : i % 4 == 0 ? kept : keptLonger).add(array);
            }
            dropped = null;
            // every other array died: their pages are freed while their arenas stay mapped
            collectUntil(farMemory, backend, () -> backend.frees >= ARRAYS / 2 - 100);
            assertEquals(Housekeeper.MAX_FREES_IN_FLIGHT, backend.maxPending, "frees went out as fast as allowed");
            assertEquals(0, backend.unmaps, "no arena emptied yet");

            // a quarter more die and their frees stay unanswered; then the rest die and the arenas empty: an arena
            // holding an unanswered free waits for its answer
            kept = null;
            for (int i = 0; i < 20 && backend.pending.size() < Housekeeper.MAX_FREES_IN_FLIGHT; i++)
            {
                System.gc();
                farMemory.runHousekeeping();
            }
            assertEquals(Housekeeper.MAX_FREES_IN_FLIGHT, backend.pending.size(), "frees unanswered");
            final int freesBefore = backend.frees;
            keptLonger.clear();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (backend.unmaps < 5 && System.nanoTime() < deadline)
            {
                System.gc();
                farMemory.runHousekeeping();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            assertEquals(Housekeeper.MAX_FREES_IN_FLIGHT, backend.pending.size(), "frees still unanswered");
            assertEquals(0, backend.unmapsUnderAFree, "no arena was unmapped while a free inside it was unanswered");
            collectUntil(farMemory, backend, () -> backend.unmaps >= 5);
            assertTrue(backend.unmaps >= 5, "arenas of dead arrays were unmapped (" + backend.unmaps + ")");
            assertTrue(backend.frees - freesBefore < ARRAYS / 2, "frees inside arenas being unmapped were dropped (" +
                (backend.frees - freesBefore) + " sent)");
            assertEquals(0, backend.unmapsUnderAFree, "no arena was unmapped while a free inside it was unanswered");
            assertEquals(0, errors.errorCount(), "no free failed");
        }
        finally
        {
            farMemory.close();
        }
    }

    private static void collectUntil(final FarMemory farMemory, final SlowFrees backend, final BooleanSupplier done)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean() && System.nanoTime() < deadline)
        {
            System.gc();
            for (int step = 0; step < 20; step++)
            {
                farMemory.runHousekeeping();
                assertTrue(backend.pending.size() <= Housekeeper.MAX_FREES_IN_FLIGHT,
                    backend.pending.size() + " frees unanswered");
            }
            backend.answer();
        }
        assertTrue(done.getAsBoolean(), "released in time: " + backend.frees + " frees, " + backend.unmaps + " unmaps");
    }

    /**
     * A backend whose frees are answered only when the test says so.
     */
    private static final class SlowFrees extends ForwardingBackend
    {
        private final LocalBackend backend;
        private final List<Object[]> pending = new ArrayList<>();
        private int maxPending;
        private int frees;
        private int unmaps;
        private int unmapsUnderAFree;

        SlowFrees(final LocalBackend backend)
        {
            super(backend);
            this.backend = backend;
        }

        void answer()
        {
            final List<Object[]> answered = new ArrayList<>(pending);
            pending.clear();
            for (final Object[] free : answered)
            {
                backend.freePagesAsync((Long)free[0], (Long)free[1], (Completion)free[2]);
            }
        }

        public void freePagesAsync(final long address, final long length, final Completion completion)
        {
            frees++;
            pending.add(new Object[]{address, length, completion});
            maxPending = Math.max(maxPending, pending.size());
        }

        public void unmap(final long address, final long length)
        {
            for (final Object[] free : pending)
            {
                if ((Long)free[0] >= address && (Long)free[0] < address + length)
                {
                    unmapsUnderAFree++;
                }
            }
            unmaps++;
            backend.unmap(address, length);
        }
    }
}
