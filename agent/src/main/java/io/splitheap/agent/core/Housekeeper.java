package io.splitheap.agent.core;

import io.splitheap.agent.backend.NodeUnavailableException;
import io.splitheap.agent.backend.PageBackend;
import io.splitheap.agent.excache.ExCache;
import io.splitheap.agent.excache.FarArray;
import io.splitheap.agent.excache.WriteBacks;
import io.splitheap.protocol.exceptions.SplitheapException;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.lang.ref.Reference;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Background work of far memory, off the application's threads: writes dirty lines back in batches, releases far
 * arrays whose placeholders died (their frames, their registry slot, their pages on the nodes), unmaps arenas that
 * emptied, returns idle frames and dead threads' pins, and lets the backend heartbeat. Unmaps wait until every
 * write-back sent before them was acknowledged, so a write can never reach a range after it was dropped. Building and
 * sending a write-back batch and releasing an array exclude each other ({@link #releaseOrder}): a batch either sees
 * its owner dead and skips it, or goes out before the release frees the owner's pages, so a stale write can never
 * land on pages that were freed and handed to a new array.
 * <p>
 * Frees of dead arrays' pages are queued and sent with at most {@link #MAX_FREES_IN_FLIGHT} unanswered at a time:
 * a burst of garbage (thousands of small arrays dying at once) must not flood the links that misses use, nor the
 * nodes. An unmap drops the queued frees inside its range (it discards those pages anyway) and waits until none
 * sent inside its range is unanswered: a free overtaking it would reach a range the node no longer maps, or one
 * mapped again.
 * <p>
 * A write-back or a free that fails (its node died, is being failed over, or did not answer) is deferred: its lines
 * stay in the write-back buffer, where misses find them, and it is sent again after a bounded exponential backoff
 * ({@link RetryBackoff}), or at once when a route moves. A node that cannot take a request fails it at once
 * ({@link NodeUnavailableException}), so a dead node never holds this thread, which goes on releasing, freeing and
 * writing back to the other nodes meanwhile.
 */
final class Housekeeper implements Agent
{
    private static final int BATCHES = 8;
    private static final int BATCH_LINES = 16;
    private static final long IDLE_CHECK_NS = TimeUnit.MILLISECONDS.toNanos(100);
    static final int MAX_FREES_IN_FLIGHT = 32;
    private static final long NO_FREE = -1;

    private static final class Batch
    {
        final WriteBacks.Pending[] items = new WriteBacks.Pending[BATCH_LINES];
        final long[] addresses = new long[BATCH_LINES];
        final long[] sources = new long[BATCH_LINES];
        int count;
        long sequence;
        volatile boolean inFlight;
    }

    private final FarMemory farMemory;
    private final Reclaimer reclaimer;
    private final ExCache cache;
    private final WriteBacks writeBacks;
    private final PageBackend backend;
    private final Batch[] batches = new Batch[BATCHES];
    // set when the JVM shuts down: its far memory dies with it, so write-backs no longer matter, and a send to a node
    // that stopped answering blocks for the request timeout (eight batches of them would hold the exit for minutes)
    private volatile boolean stopping;
    private final ManyToOneConcurrentArrayQueue<FarArray> toRelease = new ManyToOneConcurrentArrayQueue<>(65536);
    private final ConcurrentLinkedQueue<Object[]> pendingUnmaps = new ConcurrentLinkedQueue<>();
    private final AtomicLong sentBatches = new AtomicLong();
    private final ReentrantLock releaseOrder = new ReentrantLock();
    private final ArrayDeque<long[]> queuedFrees = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<long[]> reclaimedRanges = new ConcurrentLinkedQueue<>();
    private final AtomicLongArray freesInFlight = new AtomicLongArray(MAX_FREES_IN_FLIGHT);
    private final WriteBacks.Pending[] drained = new WriteBacks.Pending[BATCH_LINES];
    // failed write-backs and frees, filled by their completions (on any thread that polls), sent again by this thread
    private final ConcurrentLinkedQueue<WriteBacks.Pending> deferredWriteBacks = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<long[]> deferredFrees = new ArrayDeque<>();
    private final Deferral writeBackDeferral;
    private final Deferral freeDeferral;
    private final AtomicLong failedWriteBacks = new AtomicLong();
    private long lastIdleCheckNs;
    private volatile boolean busy;

    Housekeeper(final FarMemory farMemory, final Reclaimer reclaimer)
    {
        this.farMemory = farMemory;
        this.reclaimer = reclaimer;
        this.cache = farMemory.cache();
        this.writeBacks = cache.writeBacks();
        this.backend = farMemory.backend();
        this.writeBackDeferral = new Deferral("write-backs", backend.routesMoved(), farMemory.errorHandler());
        this.freeDeferral = new Deferral("frees", backend.routesMoved(), farMemory.errorHandler());
        for (int i = 0; i < BATCHES; i++)
        {
            batches[i] = new Batch();
        }
        for (int slot = 0; slot < MAX_FREES_IN_FLIGHT; slot++)
        {
            freesInFlight.set(slot, NO_FREE);
        }
    }

    public int doWork()
    {
        int work = backend.poll();
        work += applyReclaimed();
        work += sendWriteBacks();
        work += releaseDeadArrays();
        work += unmapEmptyArenas();
        work += sendFrees();
        final long now = System.nanoTime();
        if (now - lastIdleCheckNs > IDLE_CHECK_NS)
        {
            lastIdleCheckNs = now;
            work += cache.reclaimIdle();
            work += reclaimer.observeCollections();
        }
        busy = work > 0;
        return work;
    }

    public String roleName()
    {
        return "splitheap-housekeeper";
    }

    void releaseFar(final FarArray array)
    {
        while (!toRelease.offer(array))
        {
            Thread.yield();
        }
    }

    boolean isIdle()
    {
        if (busy || writeBacks.inFlight() > 0 || !toRelease.isEmpty() || !pendingUnmaps.isEmpty() ||
            !noFreeInFlightWithin(0, Long.MAX_VALUE))
        {
            return false;
        }
        synchronized (queuedFrees)
        {
            if (!queuedFrees.isEmpty() || !deferredFrees.isEmpty())
            {
                return false;
            }
        }
        for (final Batch batch : batches)
        {
            if (batch.inFlight)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether every release, free and unmap queued so far has reached the nodes (write-backs may still be flowing).
     *
     * @return true when reclaimed far memory has been given back.
     */
    boolean isReclaimSettled()
    {
        if (!toRelease.isEmpty() || !pendingUnmaps.isEmpty() || !reclaimedRanges.isEmpty() ||
            farMemory.allocator().hasPendingUnmaps() ||
            !noFreeInFlightWithin(0, Long.MAX_VALUE))
        {
            return false;
        }
        synchronized (queuedFrees)
        {
            return queuedFrees.isEmpty() && deferredFrees.isEmpty();
        }
    }

    /**
     * Sends no more write-backs (the process is exiting).
     */
    void stopSending()
    {
        stopping = true;
    }

    private int sendWriteBacks()
    {
        releaseOrder.lock();
        try
        {
            return sendWriteBacksLocked();
        }
        finally
        {
            releaseOrder.unlock();
        }
    }

    private int sendWriteBacksLocked()
    {
        int work = resendDeferredWriteBacks();
        for (final Batch batch : batches)
        {
            if (stopping)
            {
                break;
            }
            if (batch.inFlight)
            {
                continue;
            }
            final int count = writeBacks.drain(drained, BATCH_LINES);
            if (count == 0)
            {
                break;
            }
            batch.count = 0;
            for (int i = 0; i < count; i++)
            {
                final WriteBacks.Pending pending = drained[i];
                final FarArray owner = pending.owner();
                if (owner.isDead() || owner.isLocalized())
                {
                    writeBacks.completed(pending);
                    continue;
                }
                batch.items[batch.count] = pending;
                batch.addresses[batch.count] = pending.lineAddress();
                batch.sources[batch.count] = writeBacks.dataAddress(pending);
                batch.count++;
            }
            work += count;
            if (batch.count > 0)
            {
                send(batch);
            }
        }
        return work;
    }

    private void send(final Batch batch)
    {
        batch.sequence = sentBatches.incrementAndGet();
        batch.inFlight = true;
        backend.writeLinesAsync(batch.addresses, batch.sources, batch.count, cache.lineSize(), error ->
        {
            if (error == null)
            {
                for (int i = 0; i < batch.count; i++)
                {
                    writeBacks.completed(batch.items[i]);
                }
            }
            else
            {
                failedWriteBacks.addAndGet(batch.count);
                for (int i = 0; i < batch.count; i++)
                {
                    deferredWriteBacks.offer(batch.items[i]);
                }
                if (!(error instanceof NodeUnavailableException))
                {
                    farMemory.errorHandler().onError(new SplitheapException("write-back of " + batch.count +
                        " lines failed; they are sent again after a backoff (the data stays in the local write-back " +
                        "buffer and is read from there until a node stores it): " + error,
                        SplitheapException.Category.ERROR, error));
                }
                writeBackDeferral.failed(error);
            }
            batch.inFlight = false;
        });
    }

    /**
     * Sends failed write-backs again once their backoff passed or a route moved: each goes back to the write-back
     * queue, unless a newer copy of its line superseded it ({@link WriteBacks#retry}).
     */
    private int resendDeferredWriteBacks()
    {
        if (!writeBackDeferral.due(System.nanoTime(), backend.routesMoved(), deferredWriteBacks::size))
        {
            return 0;
        }
        int work = 0;
        WriteBacks.Pending pending;
        while ((pending = deferredWriteBacks.poll()) != null)
        {
            writeBacks.retry(pending);
            work++;
        }
        return work;
    }

    /**
     * Releases far arrays whose placeholders died. Called by the housekeeping thread, and by allocating threads so
     * that allocation never outruns release (an allocating thread may wait while the housekeeper sends a batch or
     * releases; nothing under the lock waits for the housekeeper, so this cannot deadlock).
     *
     * @param limit most arrays to release.
     * @return arrays released.
     */
    int releaseDead(final int limit)
    {
        releaseOrder.lock();
        try
        {
            return releaseDeadLocked(limit);
        }
        finally
        {
            releaseOrder.unlock();
        }
    }

    private int releaseDeadLocked(final int limit)
    {
        int released = 0;
        Reference<?> reference;
        while (released < limit && (reference = cache.deadArrays().poll()) != null)
        {
            final FarArray array = (FarArray)reference;
            cache.release(array);
            FarRegistry.remove(array);
            if (!array.isLocalized())
            {
                freeFar(array);
            }
            released++;
        }
        return released;
    }

    private int releaseDeadArrays()
    {
        releaseOrder.lock();
        try
        {
            int work = releaseDeadLocked(1024);
            FarArray localized;
            while (work < 1536 && (localized = toRelease.poll()) != null)
            {
                freeFar(localized);
                work++;
            }
            return work;
        }
        finally
        {
            releaseOrder.unlock();
        }
    }

    private void freeFar(final FarArray array)
    {
        farMemory.released(array);
        final FarAllocator.Release release = farMemory.allocator().free(array.address(), array.farBytes());
        if (release.freePagesAddress() != 0)
        {
            synchronized (queuedFrees)
            {
                queuedFrees.add(new long[]{release.freePagesAddress(), release.freePagesLength()});
            }
        }
        if (release.unmapAddress() != 0)
        {
            pendingUnmaps.add(new Object[]{release, sentBatches.get()});
        }
    }

    /**
     * Sends queued frees while fewer than {@link #MAX_FREES_IN_FLIGHT} are unanswered; each takes a slot holding its
     * address until its answer (or its timeout) clears it. A free that failed for a reason that may pass (its node
     * unavailable, no answer, a stale epoch) is deferred and queued again, ahead of the others, once its backoff
     * passed or a route moved; while deferred it is dropped by an unmap of its range like any queued free.
     */
    private int sendFrees()
    {
        int work = requeueDeferredFrees();
        for (int slot = 0; slot < MAX_FREES_IN_FLIGHT; slot++)
        {
            if (freesInFlight.get(slot) != NO_FREE)
            {
                continue;
            }
            final long[] free;
            synchronized (queuedFrees)
            {
                free = queuedFrees.poll();
            }
            if (free == null)
            {
                break;
            }
            final int taken = slot;
            freesInFlight.set(taken, free[0]);
            backend.freePagesAsync(free[0], free[1], error ->
            {
                if (error == null)
                {
                    reclaimedRanges.offer(free);
                }
                else if (NodeUnavailableException.isTransient(error))
                {
                    // deferred before the slot is cleared: an unmap that sees the slot free finds it among the deferred
                    synchronized (queuedFrees)
                    {
                        deferredFrees.add(free);
                    }
                    if (!(error instanceof NodeUnavailableException))
                    {
                        farMemory.errorHandler().onError(error);
                    }
                    freeDeferral.failed(error);
                }
                else
                {
                    farMemory.errorHandler().onError(error);
                }
                freesInFlight.set(taken, NO_FREE);
            });
            work++;
        }
        return work;
    }

    private int requeueDeferredFrees()
    {
        if (!freeDeferral.due(System.nanoTime(), backend.routesMoved(), this::deferredFreeCount))
        {
            return 0;
        }
        int work = 0;
        synchronized (queuedFrees)
        {
            long[] free;
            while ((free = deferredFrees.pollLast()) != null)
            {
                queuedFrees.addFirst(free);
                work++;
            }
        }
        return work;
    }

    private int deferredFreeCount()
    {
        synchronized (queuedFrees)
        {
            return deferredFrees.size();
        }
    }

    private boolean noFreeInFlightWithin(final long address, final long length)
    {
        for (int slot = 0; slot < MAX_FREES_IN_FLIGHT; slot++)
        {
            final long free = freesInFlight.get(slot);
            if (free != NO_FREE && free >= address && free - address < length)
            {
                return false;
            }
        }
        return true;
    }

    private void dropQueuedFrees(final long address, final long length)
    {
        synchronized (queuedFrees)
        {
            queuedFrees.removeIf(free -> free[0] >= address && free[0] + free[1] <= address + length);
            deferredFrees.removeIf(free -> free[0] >= address && free[0] + free[1] <= address + length);
        }
    }

    private int unmapEmptyArenas()
    {
        FarAllocator.Release replaced;
        while ((replaced = farMemory.allocator().pollPendingUnmap()) != null)
        {
            pendingUnmaps.add(new Object[]{replaced, sentBatches.get()});
        }
        int work = 0;
        // each unmap waits for its own barriers; one still waiting does not hold back the others
        for (final java.util.Iterator<Object[]> pending = pendingUnmaps.iterator(); pending.hasNext(); )
        {
            final Object[] unmap = pending.next();
            final FarAllocator.Release release = (FarAllocator.Release)unmap[0];
            dropQueuedFrees(release.unmapAddress(), release.unmapLength());
            if (!sentBefore((Long)unmap[1]) ||
                !noFreeInFlightWithin(release.unmapAddress(), release.unmapLength()))
            {
                continue;
            }
            // a free that failed after the drop above was deferred before its slot cleared: drop it too
            dropQueuedFrees(release.unmapAddress(), release.unmapLength());
            pending.remove();
            applyReclaimed();
            try
            {
                backend.unmap(release.unmapAddress(), release.unmapLength());
            }
            catch (final RuntimeException ex)
            {
                farMemory.errorHandler().onError(ex);
            }
            work++;
        }
        return work;
    }

    /**
     * Hands ranges whose frees were acknowledged back to the allocator. Done here rather than in the reply callback,
     * which runs under the backend's poll lock while an allocating thread may hold the allocator's lock and wait for
     * a reply; and always before an unmap, so that a range of an arena being unmapped can never be mistaken for one
     * of a new arena later placed at the same addresses.
     */
    private int applyReclaimed()
    {
        int work = 0;
        long[] range;
        while ((range = reclaimedRanges.poll()) != null)
        {
            farMemory.allocator().reclaimed(range[0], range[1]);
            work++;
        }
        return work;
    }

    private boolean sentBefore(final long barrier)
    {
        for (final Batch batch : batches)
        {
            if (batch.inFlight && batch.sequence <= barrier)
            {
                return false;
            }
        }
        return true;
    }

    long failedWriteBacks()
    {
        return failedWriteBacks.get();
    }
}
