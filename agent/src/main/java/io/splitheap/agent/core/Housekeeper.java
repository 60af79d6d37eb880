package io.splitheap.agent.core;

import io.splitheap.agent.backend.PageBackend;
import io.splitheap.agent.excache.ExCache;
import io.splitheap.agent.excache.FarArray;
import io.splitheap.agent.excache.WriteBacks;
import io.splitheap.protocol.exceptions.SplitheapException;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

import java.lang.ref.Reference;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Background work of far memory, off the application's threads: writes dirty lines back in batches, releases far
 * arrays whose placeholders died (their frames, their registry slot, their pages on the nodes), unmaps arenas that
 * emptied, returns idle frames and dead threads' pins, and lets the backend heartbeat. Unmaps wait until every
 * write-back sent before them was acknowledged, so a write can never reach a range after it was dropped.
 */
final class Housekeeper implements Agent
{
    private static final int BATCHES = 8;
    private static final int BATCH_LINES = 16;
    private static final long IDLE_CHECK_NS = TimeUnit.MILLISECONDS.toNanos(100);

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
    private final ExCache cache;
    private final WriteBacks writeBacks;
    private final PageBackend backend;
    private final Batch[] batches = new Batch[BATCHES];
    private final ManyToOneConcurrentArrayQueue<FarArray> toRelease = new ManyToOneConcurrentArrayQueue<>(65536);
    private final ArrayDeque<Object[]> pendingUnmaps = new ArrayDeque<>();
    private final WriteBacks.Pending[] drained = new WriteBacks.Pending[BATCH_LINES];
    private long sequence;
    private long lastIdleCheckNs;
    private long failedWriteBacks;
    private volatile boolean busy;

    Housekeeper(final FarMemory farMemory)
    {
        this.farMemory = farMemory;
        this.cache = farMemory.cache();
        this.writeBacks = cache.writeBacks();
        this.backend = farMemory.backend();
        for (int i = 0; i < BATCHES; i++)
        {
            batches[i] = new Batch();
        }
    }

    public int doWork()
    {
        int work = backend.poll();
        work += sendWriteBacks();
        work += releaseDeadArrays();
        work += unmapEmptyArenas();
        final long now = System.nanoTime();
        work += backend.doWork(now);
        if (now - lastIdleCheckNs > IDLE_CHECK_NS)
        {
            lastIdleCheckNs = now;
            work += cache.reclaimIdle();
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
        if (busy || writeBacks.inFlight() > 0 || !toRelease.isEmpty() || !pendingUnmaps.isEmpty())
        {
            return false;
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

    private int sendWriteBacks()
    {
        int work = 0;
        for (final Batch batch : batches)
        {
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
        batch.sequence = ++sequence;
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
                failedWriteBacks += batch.count;
                farMemory.errorHandler().onError(new SplitheapException("write-back of " + batch.count +
                    " lines failed (the data stays in the local write-back buffer and is still read from there): " +
                    error, SplitheapException.Category.ERROR, error));
            }
            batch.inFlight = false;
        });
    }

    private int releaseDeadArrays()
    {
        int work = 0;
        Reference<?> reference;
        while (work < 256 && (reference = cache.deadArrays().poll()) != null)
        {
            final FarArray array = (FarArray)reference;
            cache.release(array);
            FarRegistry.remove(array);
            if (!array.isLocalized())
            {
                freeFar(array);
            }
            work++;
        }
        FarArray localized;
        while (work < 512 && (localized = toRelease.poll()) != null)
        {
            freeFar(localized);
            work++;
        }
        return work;
    }

    private void freeFar(final FarArray array)
    {
        farMemory.released(array);
        final FarAllocator.Release release = farMemory.allocator().free(array.address(), array.farBytes());
        if (release.freePagesAddress() != 0)
        {
            backend.freePagesAsync(release.freePagesAddress(), release.freePagesLength(), error ->
            {
                if (error != null)
                {
                    farMemory.errorHandler().onError(error);
                }
            });
        }
        if (release.unmapAddress() != 0)
        {
            pendingUnmaps.add(new Object[]{release, sequence});
        }
    }

    private int unmapEmptyArenas()
    {
        FarAllocator.Release replaced;
        while ((replaced = farMemory.allocator().pollPendingUnmap()) != null)
        {
            pendingUnmaps.add(new Object[]{replaced, sequence});
        }
        int work = 0;
        while (!pendingUnmaps.isEmpty())
        {
            final Object[] head = pendingUnmaps.peek();
            if (!sentBefore((Long)head[1]))
            {
                break;
            }
            pendingUnmaps.poll();
            final FarAllocator.Release release = (FarAllocator.Release)head[0];
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
        return failedWriteBacks;
    }
}
