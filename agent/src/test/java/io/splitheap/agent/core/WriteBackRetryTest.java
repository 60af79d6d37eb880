package io.splitheap.agent.core;

import io.splitheap.agent.ForwardingBackend;
import io.splitheap.agent.backend.LocalBackend;
import io.splitheap.agent.excache.ElementType;
import io.splitheap.agent.excache.ExCache;
import io.splitheap.agent.runtime.FarAccess;
import io.splitheap.protocol.exceptions.TimeoutException;
import io.splitheap.protocol.runtime.ErrorLog;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A write-back that fails (here: the first batches time out) is sent again until a node stores it: the data is
 * never lost, and the write-back buffer drains instead of keeping those lines for good.
 */
class WriteBackRetryTest
{
    private static final int LENGTH = 64 * 1024;

    @Test
    void shouldSendFailedWriteBacksAgain()
    {
        final FailingWrites backend = new FailingWrites(new LocalBackend(4096), 5);
        final ErrorLog errors = new ErrorLog("write-back-retry-test", System.err);
        final ExCache cache = new ExCache(16 * 4096, 4096, "fifo", 0, 64, backend, TimeUnit.SECONDS.toNanos(10));
        final FarMemory farMemory = new FarMemory(cache, backend, 1 << 20, 1 << 20, errors, false);
        FarMemory.install(farMemory);
        try
        {
            final long[] array = (long[])farMemory.allocate(ElementType.LONG, LENGTH, -1);
            for (int i = 0; i < LENGTH; i++)
            {
                FarAccess.lastore(array, i, i * 31L + 7);
            }
            assertTrue(farMemory.drain(TimeUnit.SECONDS.toNanos(30)), "every write-back reached the node");
            assertEquals(0, backend.failuresLeft, "the first write-backs failed");
            assertTrue(errors.errorCount() >= 5, "the failures were reported");
            assertTrue(cache.stats().evictions() > 0, "lines were evicted and written back");
            for (int i = 0; i < LENGTH; i++)
            {
                assertEquals(i * 31L + 7, FarAccess.laload(array, i), "element " + i);
            }
        }
        finally
        {
            FarMemory.install(null);
            farMemory.close();
        }
    }

    /**
     * A backend whose first write-backs fail as if no answer came.
     */
    private static final class FailingWrites extends ForwardingBackend
    {
        private volatile int failuresLeft;

        FailingWrites(final LocalBackend backend, final int failures)
        {
            super(backend);
            this.failuresLeft = failures;
        }

        public void writeLinesAsync(final long[] addresses, final long[] sourceAddresses, final int count,
            final int length, final Completion completion)
        {
            if (failuresLeft > 0)
            {
                failuresLeft--;
                completion.complete(new TimeoutException("write-back got no answer within 10000ms"));
                return;
            }
            super.writeLinesAsync(addresses, sourceAddresses, count, length, completion);
        }
    }
}
