package io.splitheap.memorynode.internal;

import io.splitheap.protocol.FarAddress;
import io.splitheap.protocol.exceptions.SplitheapException;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.core.values.LongValue;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;
import net.openhft.chronicle.map.MapSegmentContext;
import net.openhft.chronicle.values.Values;

import java.io.File;
import java.util.concurrent.TimeUnit;

/**
 * One compaction of a {@link PageStore}: a fresh map, created on a thread of its own (creating a map of a large
 * capacity takes seconds), then filled from the store's map one segment per {@link #step}, on the store's thread,
 * so that requests are held up for one segment's pages at a time. Every write and removal the store makes meanwhile
 * is applied to the fresh map as well ({@link #mirrorWrite}, {@link #mirrorRemove}), and a copied page never replaces
 * one already there, so the fresh map ends equal to the store's: a page written after its segment was copied is
 * mirrored; one written before is copied; one removed before its segment was copied is not there to copy. Not
 * thread-safe beyond the creation: used by the store's one thread.
 * <p>
 * Only that thread locks the fresh map's segments, so a lock is never held by anyone else. A lock that cannot be had
 * within {@link #LOCK_WAIT_MS} is a bug, and must not stop the node's duty cycle (its heartbeats with it): the
 * compaction fails instead ({@link #step} throws, the mirrors stop), and the store goes on with its map. That is how
 * reusing one partial file name in one JVM showed itself: Chronicle Map keeps a {@code RandomAccessFile} per path for
 * the JVM's life, so a second compaction's fresh map opened as the same name was the live map's file again.
 */
final class Compaction implements AutoCloseable
{
    static final long LOCK_WAIT_MS = 200;

    private final File partial;
    private final Thread creator;
    private final LongValue freshKey = Values.newHeapInstance(LongValue.class);
    private final byte[] page = new byte[FarAddress.PAGE_SIZE];
    private final BytesStore<?, byte[]> pageBytes = BytesStore.wrap(page);
    private volatile ChronicleMap<LongValue, byte[]> created;
    private volatile RuntimeException failure;
    private RuntimeException broken;
    private ChronicleMap<LongValue, byte[]> fresh;
    private int nextSegment;
    private long copiedPages;

    /**
     * Starts creating the fresh map.
     *
     * @param partial       its file, renamed over the store's once complete: a name not opened before in this JVM.
     * @param capacityPages the store's capacity.
     */
    Compaction(final File partial, final long capacityPages)
    {
        this.partial = partial;
        this.creator = new Thread(() ->
        {
            try
            {
                created = PageStore.create(partial, capacityPages);
            }
            catch (final RuntimeException ex)
            {
                failure = ex;
            }
        }, "splitheap-page-store-compaction");
        creator.setDaemon(true);
        creator.start();
    }

    /**
     * Copies the next segment of the store's map, once the fresh map exists.
     *
     * @param from the store's map.
     * @return true once every segment has been copied.
     */
    boolean step(final ChronicleMap<LongValue, byte[]> from)
    {
        if (broken != null)
        {
            throw broken;
        }
        if (fresh == null)
        {
            if (failure != null)
            {
                throw failure;
            }
            if (created == null)
            {
                return false;
            }
            fresh = created;
        }
        if (nextSegment < from.segments())
        {
            try (MapSegmentContext<LongValue, byte[], ?> segment = from.segmentContext(nextSegment++))
            {
                segment.forEachSegmentEntry(entry ->
                {
                    freshKey.setValue(entry.key().get().getValue());
                    try (ExternalMapQueryContext<LongValue, byte[], ?> context = fresh.queryContext(freshKey))
                    {
                        if (!lock(context))
                        {
                            throw broken;
                        }
                        if (context.entry() == null)
                        {
                            entry.value().getUsing(page);
                            context.insert(context.absentEntry(),
                                context.wrapValueBytesAsData(pageBytes, 0, FarAddress.PAGE_SIZE));
                            copiedPages++;
                        }
                    }
                });
            }
        }
        return nextSegment >= from.segments();
    }

    /**
     * Whether the fresh map exists, so that the store's changes must be applied to it too.
     *
     * @return true once copying.
     */
    boolean copying()
    {
        return fresh != null && broken == null;
    }

    /**
     * The file the fresh map is made in.
     *
     * @return the partial file.
     */
    File partial()
    {
        return partial;
    }

    /**
     * Applies a page the store just stored.
     *
     * @param key   the page's key.
     * @param bytes its 4 KiB.
     */
    void mirrorWrite(final long key, final BytesStore<?, byte[]> bytes)
    {
        freshKey.setValue(key);
        try (ExternalMapQueryContext<LongValue, byte[], ?> context = fresh.queryContext(freshKey))
        {
            if (!lock(context))
            {
                return;
            }
            final MapEntry<LongValue, byte[]> entry = context.entry();
            if (entry != null)
            {
                context.replaceValue(entry, context.wrapValueBytesAsData(bytes, 0, FarAddress.PAGE_SIZE));
            }
            else
            {
                context.insert(context.absentEntry(), context.wrapValueBytesAsData(bytes, 0, FarAddress.PAGE_SIZE));
            }
        }
    }

    /**
     * Applies a page the store just removed.
     *
     * @param key the page's key.
     */
    void mirrorRemove(final long key)
    {
        freshKey.setValue(key);
        try (ExternalMapQueryContext<LongValue, byte[], ?> context = fresh.queryContext(freshKey))
        {
            if (!lock(context))
            {
                return;
            }
            final MapEntry<LongValue, byte[]> entry = context.entry();
            if (entry != null)
            {
                context.remove(entry);
            }
        }
    }

    private boolean lock(final ExternalMapQueryContext<LongValue, byte[], ?> context)
    {
        try
        {
            if (context.updateLock().tryLock(LOCK_WAIT_MS, TimeUnit.MILLISECONDS))
            {
                return true;
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        broken = new SplitheapException("a segment of the compacting page store stayed locked for " + LOCK_WAIT_MS +
            " ms, though only the compacting thread locks it; compaction abandoned, the store keeps its map file=" +
            partial + " segment=" + context.segmentIndex(), SplitheapException.Category.ERROR, null);
        return false;
    }

    /**
     * Pages copied so far (not counting mirrored ones).
     *
     * @return count.
     */
    long copiedPages()
    {
        return copiedPages;
    }

    /**
     * Hands the complete fresh map over; closing this no longer touches it.
     *
     * @return the map.
     */
    ChronicleMap<LongValue, byte[]> takeFresh()
    {
        final ChronicleMap<LongValue, byte[]> map = fresh;
        fresh = null;
        created = null;
        return map;
    }

    /**
     * Abandons the compaction: closes the fresh map and deletes its file.
     */
    public void close()
    {
        try
        {
            creator.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        final ChronicleMap<LongValue, byte[]> map = created;
        if (map != null)
        {
            map.close();
        }
        pageBytes.releaseLast();
        if (partial.exists() && !partial.delete())
        {
            throw new SplitheapException("cannot delete the partial copy of an abandoned compaction file=" + partial,
                SplitheapException.Category.WARN, null);
        }
    }
}
