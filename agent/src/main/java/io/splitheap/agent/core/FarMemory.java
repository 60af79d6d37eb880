package io.splitheap.agent.core;

import io.splitheap.agent.backend.PageBackend;
import io.splitheap.agent.excache.ElementType;
import io.splitheap.agent.excache.ExCache;
import io.splitheap.agent.excache.FarArray;
import io.splitheap.agent.excache.Localizer;
import io.splitheap.protocol.runtime.AgentHost;
import org.agrona.ErrorHandler;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Far memory of this process: the ExCache, the allocator, the backend and the housekeeping thread (write-back,
 * release of dead arrays, heartbeats). One is installed per JVM by the agent; the runtime helpers that rewritten
 * code calls reach it through {@link #current()} on allocation and slow paths only.
 */
public final class FarMemory implements AutoCloseable
{
    private static final int ALLOCATION_RELEASES = 2;
    private static volatile FarMemory current;

    private final ExCache cache;
    private final FarAllocator allocator;
    private final PageBackend backend;
    private final long localizeLimitBytes;
    private final ErrorHandler errorHandler;
    private final Housekeeper housekeeper;
    private final Reclaimer reclaimer;
    private final AgentHost housekeeperHost;
    private final AgentHost heartbeatHost;
    private final AtomicLong farArrays = new AtomicLong();
    private final AtomicLong farBytes = new AtomicLong();
    private final AtomicLong liveFarBytes = new AtomicLong();
    private final AtomicLong peakFarBytes = new AtomicLong();

    /**
     * Far memory over a cache and backend, with no per-process budget and GCs requested in proportion to far
     * allocation.
     *
     * @param cache              the ExCache.
     * @param backend            where lines live.
     * @param arenaSize          bytes per allocation arena.
     * @param localizeLimitBytes largest far array moved to the heap at the JDK boundary.
     * @param errorHandler       receives errors of background work.
     * @param useInvoker         step the housekeeper from tests instead of a thread.
     */
    public FarMemory(
        final ExCache cache,
        final PageBackend backend,
        final long arenaSize,
        final long localizeLimitBytes,
        final ErrorHandler errorHandler,
        final boolean useInvoker)
    {
        this(cache, backend, arenaSize, localizeLimitBytes, errorHandler, useInvoker, 0, true);
    }

    /**
     * Far memory over a cache and backend.
     *
     * @param cache              the ExCache.
     * @param backend            where lines live.
     * @param arenaSize          bytes per allocation arena.
     * @param localizeLimitBytes largest far array moved to the heap at the JDK boundary.
     * @param errorHandler       receives errors of background work.
     * @param useInvoker         step the housekeeper from tests instead of a thread.
     * @param budgetBytes        most live far bytes of this process ({@code far.max}), 0 for no limit but the
     *                           cluster's capacity.
     * @param gcInProportion     request GCs in proportion to far allocation (else only when far memory is full).
     */
    public FarMemory(
        final ExCache cache,
        final PageBackend backend,
        final long arenaSize,
        final long localizeLimitBytes,
        final ErrorHandler errorHandler,
        final boolean useInvoker,
        final long budgetBytes,
        final boolean gcInProportion)
    {
        this.cache = cache;
        this.backend = backend;
        this.allocator = new FarAllocator(backend, arenaSize);
        this.localizeLimitBytes = localizeLimitBytes;
        this.errorHandler = errorHandler;
        this.reclaimer = new Reclaimer(this, budgetBytes, gcInProportion ? cache.capacityBytes() : 0);
        this.housekeeper = new Housekeeper(this, reclaimer);
        this.housekeeperHost = AgentHost.start(housekeeper, useInvoker, TimeUnit.MILLISECONDS.toNanos(1),
            errorHandler);
        this.heartbeatHost = AgentHost.start(new Heartbeats(backend), useInvoker, TimeUnit.MILLISECONDS.toNanos(10),
            errorHandler);
    }

    /**
     * The installed far memory.
     *
     * @return it, or null when no agent runs.
     */
    public static FarMemory current()
    {
        return current;
    }

    /**
     * Installs far memory for this JVM (or removes it with null).
     *
     * @param farMemory the instance.
     */
    public static void install(final FarMemory farMemory)
    {
        current = farMemory;
    }

    /**
     * Allocates a far array.
     *
     * @param type   element type.
     * @param length elements, at least 1.
     * @param site   allocation site id.
     * @return its placeholder.
     */
    public Object allocate(final ElementType type, final int length, final int site)
    {
        housekeeper.releaseDead(ALLOCATION_RELEASES);
        final long bytes = (long)length << type.shift();
        final long lineBytes = ((bytes + cache.lineSize() - 1) >>> cache.lineShift()) << cache.lineShift();
        final long address = reclaimer.reserve(lineBytes, type, length, site);
        final Object placeholder = FarRegistry.register(cache, type, address, length, site);
        farArrays.incrementAndGet();
        farBytes.addAndGet(bytes);
        final long live = liveFarBytes.addAndGet(lineBytes);
        peakFarBytes.accumulateAndGet(live, Math::max);
        return placeholder;
    }

    /**
     * Moves a far array to the heap so that uninstrumented code can be given the real array, and learns its
     * allocation site as local.
     *
     * @param array       the descriptor.
     * @param placeholder its placeholder.
     * @param callSite    the call that needs it, for the error message.
     * @return the heap array.
     */
    public Object localize(final FarArray array, final Object placeholder, final String callSite)
    {
        if (array.isLocalized())
        {
            return array.backing();
        }
        final long bytes = (long)array.length() << array.type().shift();
        if (bytes > localizeLimitBytes)
        {
            throw new FarBoundaryError("a far " + array.type().javaName() + "[" + array.length() + "] (" + bytes +
                " bytes) reaches uninstrumented code at " + callSite + ", which needs a heap array, and it is " +
                "larger than boundary.localize.max=" + localizeLimitBytes + "; allocated at " +
                Sites.ALLOCATIONS.describe(array.site()) + ". Raise threshold= above " + bytes + " bytes, exclude " +
                "the allocating class with exclude=, or raise boundary.localize.max=");
        }
        final Object backing = Localizer.localize(array);
        LocalizedArrays.record(backing, placeholder);
        Sites.ALLOCATIONS.learnLocal(array.site());
        housekeeper.releaseFar(array);
        return backing;
    }

    void released(final FarArray array)
    {
        liveFarBytes.addAndGet(-array.farBytes());
    }

    /**
     * Releases every far array whose placeholder is known to be dead (used under memory pressure).
     */
    void releaseAllDead()
    {
        int released;
        do
        {
            released = housekeeper.releaseDead(4096);
        }
        while (released > 0);
    }

    /**
     * Waits until the frees and unmaps of released arrays have reached the nodes.
     *
     * @param timeoutNs how long at most.
     * @return true if settled.
     */
    boolean settleReclaim(final long timeoutNs)
    {
        return backend.await(housekeeper::isReclaimSettled, timeoutNs, "release of dead far arrays");
    }

    /**
     * Bytes of far arrays alive now (rounded to lines).
     *
     * @return bytes.
     */
    public long liveFarBytes()
    {
        return liveFarBytes.get();
    }

    /**
     * GCs requested by far memory (under pressure or in proportion to far allocation).
     *
     * @return count.
     */
    public long forcedGcs()
    {
        return reclaimer.forcedGcs();
    }

    /**
     * Time spent in GCs that far memory requested.
     *
     * @return nanoseconds.
     */
    public long forcedGcNanos()
    {
        return reclaimer.forcedGcNanos();
    }

    /**
     * Allocations that found far memory full and waited for dead arrays to be reclaimed.
     *
     * @return count.
     */
    public long pressureWaits()
    {
        return reclaimer.pressureWaits();
    }

    /**
     * The ExCache.
     *
     * @return cache.
     */
    public ExCache cache()
    {
        return cache;
    }

    /**
     * The allocator.
     *
     * @return allocator.
     */
    public FarAllocator allocator()
    {
        return allocator;
    }

    /**
     * The backend.
     *
     * @return backend.
     */
    public PageBackend backend()
    {
        return backend;
    }

    ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /**
     * Far arrays allocated so far.
     *
     * @return count.
     */
    public long farArrays()
    {
        return farArrays.get();
    }

    /**
     * Bytes of far arrays allocated so far (element bytes, not rounded to lines).
     *
     * @return bytes.
     */
    public long farBytes()
    {
        return farBytes.get();
    }

    /**
     * Most bytes of far arrays alive at once (rounded to lines).
     *
     * @return bytes.
     */
    public long peakFarBytes()
    {
        return peakFarBytes.get();
    }

    /**
     * Runs one housekeeping cycle (tests, in invoker mode).
     *
     * @return work done.
     */
    public int runHousekeeping()
    {
        return housekeeperHost.invoke() + heartbeatHost.invoke();
    }

    /**
     * Waits until every queued write-back and release reached the nodes.
     *
     * @param timeoutNs how long at most.
     * @return true if drained.
     */
    public boolean drain(final long timeoutNs)
    {
        return backend.await(housekeeper::isIdle, timeoutNs, "write-back drain");
    }

    /**
     * Stops the housekeeping thread. The cache and backend are closed by their owner.
     */
    public void close()
    {
        housekeeper.stopSending();
        housekeeperHost.close();
        heartbeatHost.close();
    }
}
