package io.splitheap.memorynode.internal;

import io.splitheap.protocol.FarAddress;
import io.splitheap.protocol.exceptions.SplitheapException;
import net.openhft.chronicle.core.values.LongValue;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;
import net.openhft.chronicle.values.Values;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;

import java.io.File;
import java.io.IOException;
import java.util.Arrays;

/**
 * Pages of every process on this node, in a Chronicle Map persisted to a file so that a restarted node finds them.
 * The key is {@code pid << 40 | pageNumber}; the value is the page's 4 KiB. A page that was never written, or was
 * written with zeros only, is not stored and reads as zeros. Capacity is a hard limit on stored pages. Not
 * thread-safe: used by the node's one request thread.
 */
public final class PageStore implements AutoCloseable
{
    static
    {
        System.setProperty("chronicle.analytics.disable", "true");
    }

    private static final int PID_SHIFT = 40;
    private static final byte[] ZERO_PAGE = new byte[FarAddress.PAGE_SIZE];

    /**
     * Outcome of a write.
     */
    public enum WriteResult
    {
        /**
         * Stored.
         */
        STORED,
        /**
         * All zeros: removed instead of stored.
         */
        ZERO,
        /**
         * A new page would exceed capacity: nothing stored.
         */
        FULL
    }

    private final ChronicleMap<LongValue, byte[]> pages;
    private final long capacityPages;
    private final LongValue key = Values.newHeapInstance(LongValue.class);
    private final byte[] page = new byte[FarAddress.PAGE_SIZE];
    private final Int2ObjectHashMap<long[]> processPages = new Int2ObjectHashMap<>();
    private long usedPages;
    private long peakPages;

    /**
     * Opens or creates the store.
     *
     * @param file          the persisted map.
     * @param capacityPages most pages stored at once.
     */
    public PageStore(final File file, final long capacityPages)
    {
        this.capacityPages = capacityPages;
        try
        {
            this.pages = ChronicleMapBuilder.of(LongValue.class, byte[].class)
                .name("splitheap-pages")
                .entries(Math.max(1024, capacityPages + capacityPages / 16))
                .constantValueSizeBySample(new byte[FarAddress.PAGE_SIZE])
                .sparseFile(true)
                .createPersistedTo(file);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new SplitheapException("cannot open page store file=" + file + ": " + ex.getMessage(),
                SplitheapException.Category.FATAL, ex);
        }
        for (final LongValue stored : pages.keySet())
        {
            counter((int)(stored.getValue() >>> PID_SHIFT))[0]++;
            usedPages++;
        }
        peakPages = usedPages;
    }

    /**
     * Copies a page into a buffer if it is stored.
     *
     * @param pid        process.
     * @param pageNumber page number (address >>> 12).
     * @param dst        destination.
     * @param dstOffset  where to put it.
     * @return true if stored and copied, false if it reads as zeros (dst untouched).
     */
    public boolean read(final int pid, final long pageNumber, final MutableDirectBuffer dst, final int dstOffset)
    {
        key.setValue(key(pid, pageNumber));
        final byte[] value = pages.getUsing(key, page);
        if (value == null)
        {
            return false;
        }
        dst.putBytes(dstOffset, value, 0, FarAddress.PAGE_SIZE);
        return true;
    }

    /**
     * Stores a page.
     *
     * @param pid        process.
     * @param pageNumber page number.
     * @param src        source.
     * @param srcOffset  where the page starts.
     * @return what happened.
     */
    public WriteResult write(final int pid, final long pageNumber, final DirectBuffer src, final int srcOffset)
    {
        src.getBytes(srcOffset, page, 0, FarAddress.PAGE_SIZE);
        key.setValue(key(pid, pageNumber));
        final boolean zero = isZero(page);
        try (ExternalMapQueryContext<LongValue, byte[], ?> context = pages.queryContext(key))
        {
            context.updateLock().lock();
            final MapEntry<LongValue, byte[]> entry = context.entry();
            if (entry != null)
            {
                if (zero)
                {
                    context.remove(entry);
                    counter(pid)[0]--;
                    usedPages--;
                    return WriteResult.ZERO;
                }
                context.replaceValue(entry, context.wrapValueAsData(page));
                return WriteResult.STORED;
            }
            if (zero)
            {
                return WriteResult.ZERO;
            }
            if (usedPages >= capacityPages)
            {
                return WriteResult.FULL;
            }
            context.insert(context.absentEntry(), context.wrapValueAsData(page));
        }
        counter(pid)[0]++;
        usedPages++;
        peakPages = Math.max(peakPages, usedPages);
        return WriteResult.STORED;
    }

    /**
     * Discards pages of a process in a range of page numbers.
     *
     * @param pid       process.
     * @param fromPage  first page number.
     * @param toPage    one past the last page number.
     * @return pages removed.
     */
    public long discard(final int pid, final long fromPage, final long toPage)
    {
        final long[] counter = processPages.get(pid);
        if (counter == null || counter[0] == 0)
        {
            return 0;
        }
        long removed = 0;
        for (long pageNumber = fromPage; pageNumber < toPage && counter[0] > 0; pageNumber++)
        {
            key.setValue(key(pid, pageNumber));
            try (ExternalMapQueryContext<LongValue, byte[], ?> context = pages.queryContext(key))
            {
                context.updateLock().lock();
                final MapEntry<LongValue, byte[]> entry = context.entry();
                if (entry != null)
                {
                    context.remove(entry);
                    counter[0]--;
                    usedPages--;
                    removed++;
                }
            }
        }
        return removed;
    }

    /**
     * Pages stored for a process.
     *
     * @param pid process.
     * @return count.
     */
    public long processPages(final int pid)
    {
        final long[] counter = processPages.get(pid);
        return counter == null ? 0 : counter[0];
    }

    /**
     * Pages stored.
     *
     * @return count.
     */
    public long usedPages()
    {
        return usedPages;
    }

    /**
     * Most pages stored at once since the store was opened.
     *
     * @return count.
     */
    public long peakPages()
    {
        return peakPages;
    }

    /**
     * Capacity in pages.
     *
     * @return count.
     */
    public long capacityPages()
    {
        return capacityPages;
    }

    /**
     * Closes the map; its file keeps the pages.
     */
    public void close()
    {
        pages.close();
    }

    private long[] counter(final int pid)
    {
        long[] counter = processPages.get(pid);
        if (counter == null)
        {
            counter = new long[1];
            processPages.put(pid, counter);
        }
        return counter;
    }

    private static long key(final int pid, final long pageNumber)
    {
        return ((long)pid << PID_SHIFT) | pageNumber;
    }

    private static boolean isZero(final byte[] bytes)
    {
        return Arrays.mismatch(bytes, ZERO_PAGE) == -1;
    }
}
