package io.splitheap.agent;

import io.splitheap.agent.backend.LocalBackend;
import io.splitheap.agent.core.FarMemory;
import io.splitheap.agent.excache.ExCache;
import io.splitheap.protocol.runtime.ErrorLog;

import java.util.concurrent.TimeUnit;

/**
 * Far memory in the test JVM over an in-process backend, installed as the current one. The cache memory is not
 * freed on close: far arrays created by a test may still be reachable from the test's static state.
 */
public final class TestFarMemory implements AutoCloseable
{
    private final LocalBackend backend;
    private final ExCache cache;
    private final FarMemory farMemory;
    private final ErrorLog errors = new ErrorLog("test-far-memory", System.err);

    /**
     * Creates and installs far memory.
     *
     * @param cacheBytes  ExCache size.
     * @param policy      fifo, lru, clock or sweep.
     * @param maxPrefetch prefetch window.
     * @param useInvoker  step housekeeping from the test instead of a thread.
     */
    public TestFarMemory(final long cacheBytes, final String policy, final int maxPrefetch, final boolean useInvoker)
    {
        this(cacheBytes, policy, maxPrefetch, useInvoker, 64L << 20);
    }

    /**
     * Creates and installs far memory with a limit on arrays moved to the heap.
     *
     * @param cacheBytes    ExCache size.
     * @param policy        fifo, lru, clock or sweep.
     * @param maxPrefetch   prefetch window.
     * @param useInvoker    step housekeeping from the test instead of a thread.
     * @param localizeLimit largest array localized at the boundary.
     */
    public TestFarMemory(
        final long cacheBytes,
        final String policy,
        final int maxPrefetch,
        final boolean useInvoker,
        final long localizeLimit)
    {
        backend = new LocalBackend(4096);
        cache = new ExCache(cacheBytes, 4096, policy, maxPrefetch, 64, backend, TimeUnit.SECONDS.toNanos(10));
        farMemory = new FarMemory(cache, backend, 1 << 20, localizeLimit, errors, useInvoker);
        FarMemory.install(farMemory);
    }

    /**
     * A small cache with a housekeeping thread.
     *
     * @param cacheBytes ExCache size.
     * @param policy     fifo, lru, clock or sweep.
     */
    public TestFarMemory(final long cacheBytes, final String policy)
    {
        this(cacheBytes, policy, 4, false);
    }

    /**
     * The backend.
     *
     * @return backend.
     */
    public LocalBackend backend()
    {
        return backend;
    }

    /**
     * The cache.
     *
     * @return cache.
     */
    public ExCache cache()
    {
        return cache;
    }

    /**
     * The far memory.
     *
     * @return far memory.
     */
    public FarMemory farMemory()
    {
        return farMemory;
    }

    /**
     * Errors reported by background work.
     *
     * @return error log.
     */
    public ErrorLog errors()
    {
        return errors;
    }

    /**
     * Uninstalls and stops housekeeping.
     */
    public void close()
    {
        FarMemory.install(null);
        farMemory.close();
    }
}
