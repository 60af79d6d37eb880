package io.splitheap.jcstress;

import io.splitheap.agent.backend.LocalBackend;
import io.splitheap.agent.core.FarMemory;
import io.splitheap.agent.excache.ElementType;
import io.splitheap.agent.excache.ExCache;
import io.splitheap.agent.runtime.FarAccess;
import io.splitheap.protocol.runtime.ErrorLog;

import java.util.concurrent.TimeUnit;

/**
 * Far memory shared by every test in a jcstress JVM: an ExCache of only 16 lines over an in-process backend, so that
 * the lines a test writes are evicted and written back while other threads read them.
 */
final class SharedFarMemory
{
    static final int LINE_LONGS = 512;
    private static final int NOISE_LINES = 24;
    private static final FarMemory FAR_MEMORY;
    private static final long[] NOISE;

    static
    {
        final LocalBackend backend = new LocalBackend(4096);
        final ExCache cache = new ExCache(16 * 4096, 4096, "fifo", 0, 64, backend, TimeUnit.SECONDS.toNanos(60));
        FAR_MEMORY = new FarMemory(cache, backend, 1 << 20, 64L << 20, new ErrorLog("jcstress", System.err), false);
        FarMemory.install(FAR_MEMORY);
        NOISE = newLongs(NOISE_LINES * LINE_LONGS);
    }

    private SharedFarMemory()
    {
    }

    /**
     * A new far {@code long[]}.
     *
     * @param length elements.
     * @return its placeholder.
     */
    static long[] newLongs(final int length)
    {
        return (long[])FAR_MEMORY.allocate(ElementType.LONG, length, -1);
    }

    /**
     * Writes one element in each of more lines than the cache holds, evicting (and writing back) whatever the calling
     * thread and the others wrote before.
     *
     * @param seed varies the elements touched.
     */
    static void evictEverything(final int seed)
    {
        for (int line = 0; line < NOISE_LINES; line++)
        {
            FarAccess.lastore(NOISE, line * LINE_LONGS + (seed & (LINE_LONGS - 1)), seed);
        }
    }
}
