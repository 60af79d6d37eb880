package io.splitheap.agent.core;

import io.splitheap.agent.events.CapacityWaitEvent;
import io.splitheap.agent.excache.ElementType;
import io.splitheap.protocol.codecs.ErrorCode;
import io.splitheap.protocol.exceptions.RemoteException;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes far memory follow live data. A far array's heap footprint is a zero-length placeholder, so the heap never
 * fills because of far arrays and the GC sees no reason to run; dead far arrays would then keep their far memory
 * until the cluster is full. Two mechanisms, as {@code java.nio.Bits.reserveMemory} does for direct buffers:
 * <ul>
 * <li>Under pressure (an allocation would exceed {@code far.max} or the cluster refuses it for capacity): release the
 * arrays already known dead and let their frees reach the nodes, retry; then run a GC and retry with a bounded
 * backoff (1, 2, 4 ... 256 ms, 511 ms in all) while the dead arrays it found are released; only then fail with a
 * {@link FarOutOfMemoryError}.</li>
 * <li>In proportion ({@link #maybeCollect}, from allocating threads): when far bytes allocated since the last GC
 * approach the ExCache's room ({@link #softLimit}), dead arrays' lines are about to push live ones out (and be
 * written back for nothing), so a GC is requested, at most so often that forced GCs take half of the elapsed time.
 * On the churn benchmark (docs/PERFORMANCE.md) a forced GC of a small heap costs less than the write-backs it
 * saves even at that share; a program whose GCs are long gets few of them and writes dead lines back instead.</li>
 * </ul>
 */
final class Reclaimer
{
    private static final int MAX_SLEEPS = 9;
    private static final long SETTLE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(2);
    private static final int GC_SHARE_INVERSE = 2;

    private final FarMemory farMemory;
    private final long budgetBytes;
    private final long cacheBytes;
    private final ReentrantLock pressure = new ReentrantLock();
    private final ReentrantLock collecting = new ReentrantLock();
    private final AtomicLong allocatedSinceGc = new AtomicLong();
    private final AtomicLong forcedGcs = new AtomicLong();
    private final AtomicLong pressureWaits = new AtomicLong();
    private final AtomicLong forcedGcNanos = new AtomicLong();
    private final GcCounter gcCounter = new GcCounter();
    private volatile String lastRefusal = "";
    private long lastGcCount;
    private volatile long nextForcedGcNs;

    /**
     * A reclaimer.
     *
     * @param farMemory      far memory.
     * @param budgetBytes    most live far bytes of this process, 0 for no limit but the cluster's.
     * @param cacheBytes     the ExCache's size, which far allocation between GCs is weighed against; 0 to request GCs
     *                       only under pressure.
     */
    Reclaimer(final FarMemory farMemory, final long budgetBytes, final long cacheBytes)
    {
        this.farMemory = farMemory;
        this.budgetBytes = budgetBytes;
        this.cacheBytes = cacheBytes;
        this.lastGcCount = gcCounter.collections();
    }

    /**
     * Reserves far address space for an array, reclaiming dead arrays first when the budget or the cluster is full.
     *
     * @param bytes  line-rounded bytes.
     * @param type   element type, for the error message.
     * @param length elements, for the error message.
     * @param site   allocation site, for the error message.
     * @return its far address.
     */
    long reserve(final long bytes, final ElementType type, final int length, final int site)
    {
        if (cacheBytes > 0 && allocatedSinceGc.addAndGet(bytes) >= softLimit())
        {
            maybeCollect(System.nanoTime());
        }
        if (withinBudget(bytes))
        {
            final long address = tryAllocate(bytes);
            if (address != 0)
            {
                return address;
            }
        }
        return reserveUnderPressure(bytes, type, length, site);
    }

    /**
     * Requests a GC when far allocation since the last one calls for it and forced GCs stay within their share of
     * time. Called by an allocating thread that passed the limit.
     *
     * @param nowNs current time.
     * @return 1 if a GC ran.
     */
    int maybeCollect(final long nowNs)
    {
        collecting.lock();
        try
        {
            if (cacheBytes <= 0 || nowNs < nextForcedGcNs || sawCollection() || allocatedSinceGc.get() < softLimit())
            {
                return 0;
            }
            collect();
            lastGcCount = gcCounter.collections();
            return 1;
        }
        finally
        {
            collecting.unlock();
        }
    }

    /**
     * Notes GCs that ran on their own since the last look: far allocation counts from there.
     *
     * @return 1 if one ran.
     */
    int observeCollections()
    {
        if (!collecting.tryLock())
        {
            return 0;
        }
        try
        {
            return sawCollection() ? 1 : 0;
        }
        finally
        {
            collecting.unlock();
        }
    }

    private boolean sawCollection()
    {
        final long collections = gcCounter.collections();
        if (collections == lastGcCount)
        {
            return false;
        }
        lastGcCount = collections;
        allocatedSinceGc.set(0);
        return true;
    }

    long forcedGcs()
    {
        return forcedGcs.get();
    }

    long forcedGcNanos()
    {
        return forcedGcNanos.get();
    }

    long pressureWaits()
    {
        return pressureWaits.get();
    }

    private long reserveUnderPressure(final long bytes, final ElementType type, final int length, final int site)
    {
        pressure.lock();
        final CapacityWaitEvent event = CapacityWaitEvent.begin(bytes);
        boolean succeeded = false;
        try
        {
            pressureWaits.incrementAndGet();
            settle();
            long address = retry(bytes);
            if (address != 0)
            {
                succeeded = true;
                return address;
            }
            collect();
            long sleepMs = 1;
            for (int sleeps = 0; ; sleeps++)
            {
                settle();
                address = retry(bytes);
                if (address != 0)
                {
                    succeeded = true;
                    return address;
                }
                if (sleeps == MAX_SLEEPS)
                {
                    break;
                }
                sleep(sleepMs);
                sleepMs <<= 1;
            }
            throw exhausted(bytes, "a far " + type.javaName() + "[" + length + "] allocated at " +
                Sites.ALLOCATIONS.describe(site));
        }
        finally
        {
            event.finish(succeeded);
            pressure.unlock();
        }
    }

    /**
     * Far bytes allocated since the last GC that call for the next one: three quarters of the ExCache's room, what
     * the arrays alive before the last GC leave of it (at least a quarter of the ExCache). Past the room, lines of
     * arrays that may have died would push out others and be written back for nothing.
     */
    private long softLimit()
    {
        final long survivors = Math.max(0, farMemory.liveFarBytes() - allocatedSinceGc.get());
        return Math.max(cacheBytes / 4, (cacheBytes - Math.min(cacheBytes, survivors)) * 3 / 4);
    }

    private long retry(final long bytes)
    {
        return withinBudget(bytes) ? tryAllocate(bytes) : 0;
    }

    private boolean withinBudget(final long bytes)
    {
        return budgetBytes <= 0 || farMemory.liveFarBytes() + bytes <= budgetBytes;
    }

    private long tryAllocate(final long bytes)
    {
        try
        {
            return farMemory.allocator().allocate(bytes);
        }
        catch (final RemoteException ex)
        {
            if (ex.code() != ErrorCode.CAPACITY_EXCEEDED)
            {
                throw ex;
            }
            lastRefusal = ex.getMessage();
            return 0;
        }
    }

    private void settle()
    {
        farMemory.releaseAllDead();
        farMemory.settleReclaim(SETTLE_TIMEOUT_NS);
    }

    private void collect()
    {
        final long start = System.nanoTime();
        System.gc();
        ReferenceProcessing.await();
        farMemory.releaseAllDead();
        final long took = System.nanoTime() - start;
        forcedGcs.incrementAndGet();
        forcedGcNanos.addAndGet(took);
        allocatedSinceGc.set(0);
        nextForcedGcNs = System.nanoTime() + took * (GC_SHARE_INVERSE - 1);
    }

    private FarOutOfMemoryError exhausted(final long bytes, final String what)
    {
        final String limit = budgetBytes > 0 && !withinBudget(bytes) ?
            "it would pass this process's budget far.max=" + budgetBytes :
            "the cluster has no room for it (" + lastRefusal + ")";
        return new FarOutOfMemoryError("far memory exhausted: " + what + " (" + bytes + " bytes) could not be " +
            "allocated: " + limit + "; live far bytes=" + farMemory.liveFarBytes() + ", reserved far bytes=" +
            farMemory.allocator().reservedBytes() + " (" + farMemory.allocator().reusableBytes() +
            " of them free for reuse), after a GC and " + ((1L << MAX_SLEEPS) - 1) + " ms of waiting for dead " +
            "far arrays. Keep fewer far arrays alive, give the memory nodes more capacity (--capacity) or add " +
            "nodes" + (budgetBytes > 0 ? ", raise far.max" : "") + ", or raise threshold= so that smaller arrays " +
            "stay on the heap");
    }

    private static void sleep(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new FarOutOfMemoryError("interrupted while waiting for far memory to be reclaimed");
        }
    }
}
