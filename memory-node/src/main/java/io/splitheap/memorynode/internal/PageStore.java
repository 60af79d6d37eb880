package io.splitheap.memorynode.internal;

import io.splitheap.protocol.FarAddress;
import io.splitheap.protocol.exceptions.SplitheapException;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.core.values.LongValue;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;
import net.openhft.chronicle.values.Values;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2LongHashMap;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.Arrays;

/**
 * Pages of every process on this node, in a Chronicle Map persisted to a file so that a restarted node finds them.
 * The key is {@code pid << 40 | pageNumber}; the value is the page's 4 KiB. A page that was never written, or was
 * written with zeros only, is not stored and reads as zeros. Capacity is a hard limit on stored pages. Not
 * thread-safe: used by the node's one request thread.
 * <p>
 * A removed page's room in the map is reused by later pages, but the file's disk blocks and the mapping's resident
 * memory stay at the most pages ever stored. {@link #compactionStep} gives them back: when the pages stored fell to
 * half of that footprint or less (and the difference is at least a minimum), the live pages are copied into a fresh
 * map in {@code pages.dat.compacting-<n>}, a segment at a time while requests go on ({@link Compaction}), which is
 * then renamed over the file, and the old map is closed, which unmaps it and frees its blocks. A crash before the
 * rename leaves the old file whole (partial copies are deleted at the next open); after it, the new file is complete.
 * Each compaction's partial file has a name never used before in the JVM ({@code n} counts compactions of every store
 * in it): Chronicle Map keeps one {@code RandomAccessFile} per path while a map made from it is open, and the map
 * made as {@code pages.dat.compacting} is the live one after the rename, so a second compaction made under that name
 * again got the live map's file back, locked segments the copy held itself and wrote a new map over the pages.
 */
public final class PageStore implements AutoCloseable
{
    static
    {
        System.setProperty("chronicle.analytics.disable", "true");
        // Chronicle Values generates the LongValue classes on first use, with a compiler whose file manager is not
        // safe for concurrent use (a ConcurrentModificationException in MyJavaFileManager, fixed upstream after the
        // 2026.2 release we use), and a failed model stays cached: two nodes of one JVM (bin/splitheap run's
        // embedded cluster) opening their stores at once could both fail ("cannot open page store ...
        // java.util.ConcurrentModificationException", once in a CI run). Generate them here, once, under the
        // class-initialization lock.
        Values.heapClassFor(LongValue.class);
        Values.nativeClassFor(LongValue.class);
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

    private static final String COMPACTING_SUFFIX = ".compacting";
    private static final int CHUNK_SHIFT = 8;
    private static final AtomicLong PARTIAL_FILES = new AtomicLong();
    private static final int ENTRY_CHUNK_BYTES = 4112;

    private final File file;
    private ChronicleMap<LongValue, byte[]> pages;
    private final long capacityPages;
    private final LongValue key = Values.newHeapInstance(LongValue.class);
    private final byte[] page = new byte[FarAddress.PAGE_SIZE];
    // wrapped once: wrapValueAsData(byte[]) wraps the array in a new reference-counted BytesStore on every write
    private final BytesStore<?, byte[]> pageBytes = BytesStore.wrap(page);
    private final Int2ObjectHashMap<long[]> processPages = new Int2ObjectHashMap<>();
    // pages stored per 1 MiB chunk of a process's space (key >>> CHUNK_SHIFT), so that a discard skips empty chunks
    private final Long2LongHashMap chunkPages = new Long2LongHashMap(0);
    private long usedPages;
    private long peakPages;
    private long footprintPages;
    private volatile long compactions;
    private Compaction compaction;
    private Thread closing;

    /**
     * Opens or creates the store.
     *
     * @param file          the persisted map.
     * @param capacityPages most pages stored at once.
     */
    public PageStore(final File file, final long capacityPages)
    {
        this.file = file;
        this.capacityPages = capacityPages;
        deletePartialFiles(file);
        this.pages = create(file, capacityPages);
        for (final LongValue stored : pages.keySet())
        {
            counter((int)(stored.getValue() >>> PID_SHIFT))[0]++;
            usedPages++;
            countStored(stored.getValue());
        }
        peakPages = usedPages;
        footprintPages = usedPages;
    }

    static ChronicleMap<LongValue, byte[]> create(final File file, final long capacityPages)
    {
        try
        {
            // One chunk per entry, sized for it (key 8, value length 2, page 4096, checksum 4): with
            // constantValueSizeBySample Chronicle Map chose 8,212-byte chunks, so every page took 8 KiB of disk and of
            // resident memory. A file made that way still opens with its own layout; a compaction rewrites it.
            return ChronicleMapBuilder.of(LongValue.class, byte[].class)
                .name("splitheap-pages")
                .entries(Math.max(1024, capacityPages + capacityPages / 16))
                .averageValueSize(FarAddress.PAGE_SIZE)
                .actualChunkSize(ENTRY_CHUNK_BYTES)
                .maxChunksPerEntry(1)
                .sparseFile(true)
                .createPersistedTo(file);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new SplitheapException("cannot open page store file=" + file + ": " + ex.getMessage(),
                SplitheapException.Category.FATAL, ex);
        }
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
                    countRemoved(key.getValue());
                    mirrorRemove(key.getValue());
                    return WriteResult.ZERO;
                }
                context.replaceValue(entry, pageData(context));
                mirrorWrite(key.getValue());
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
            context.insert(context.absentEntry(), pageData(context));
        }
        mirrorWrite(key.getValue());
        counter(pid)[0]++;
        usedPages++;
        countStored(key.getValue());
        peakPages = Math.max(peakPages, usedPages);
        footprintPages = Math.max(footprintPages, usedPages);
        return WriteResult.STORED;
    }

    /**
     * Discards pages of a process in a range of page numbers. Chunks of 256 pages (1 MiB) of the process's space that
     * hold no page are skipped, so the work follows the pages stored rather than the range: page by page, a free of
     * a 4 GiB range that held nothing took 0.4 s of the node's duty cycle (and of its heartbeats).
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
            if (chunkPages.get(key(pid, pageNumber) >>> CHUNK_SHIFT) == 0)
            {
                // nothing stored in this chunk: on to the next one
                pageNumber |= (1L << CHUNK_SHIFT) - 1;
                continue;
            }
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
                    countRemoved(key.getValue());
                    mirrorRemove(key.getValue());
                }
            }
        }
        return removed;
    }

    /**
     * Advances compaction (see the class comment): starts one if the pages stored are at most half of the store's
     * footprint and the footprint exceeds them by at least {@code minWastePages}; while one runs, copies one segment
     * of the map per call, and finishes it once all are copied. Call it often while {@link #isCompacting()}.
     *
     * @param minWastePages least difference between footprint and pages stored worth a compaction.
     * @return 1 if it did something, else 0.
     */
    public int compactionStep(final long minWastePages)
    {
        if (compaction == null)
        {
            final long waste = footprintPages - usedPages;
            if (waste < Math.max(1, minWastePages) || waste < usedPages || (closing != null && closing.isAlive()))
            {
                return 0;
            }
            compaction = new Compaction(partialFile(), capacityPages);
            return 1;
        }
        try
        {
            if (compaction.step(pages))
            {
                finishCompaction();
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            abandonCompaction();
            throw new SplitheapException("cannot compact page store file=" + file + ": " + ex,
                SplitheapException.Category.ERROR, ex);
        }
        return 1;
    }

    /**
     * Whether a compaction is under way.
     *
     * @return true if so.
     */
    public boolean isCompacting()
    {
        return compaction != null;
    }

    /**
     * Compacts the store now, whatever its footprint, and returns when done.
     */
    public void compact()
    {
        if (compaction == null)
        {
            compaction = new Compaction(partialFile(), capacityPages);
        }
        while (isCompacting())
        {
            compactionStep(0);
            if (isCompacting() && !compaction.copying())
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
        awaitClosing();
    }

    private void finishCompaction() throws IOException
    {
        Files.move(compaction.partial().toPath(), file.toPath(), StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
        final ChronicleMap<LongValue, byte[]> old = pages;
        pages = compaction.takeFresh();
        compaction.close();
        compaction = null;
        footprintPages = usedPages;
        compactions++;
        // closing a map unmaps and syncs it: seconds for a large one on a busy disk, so not on the request thread
        closing = new Thread(old::close, "splitheap-page-store-close");
        closing.setDaemon(true);
        closing.start();
    }

    /**
     * Waits until the map replaced by the last compaction is closed (its disk blocks and memory freed).
     */
    public void awaitClosing()
    {
        final Thread thread = closing;
        if (thread != null)
        {
            try
            {
                thread.join();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void abandonCompaction()
    {
        final Compaction abandoned = compaction;
        compaction = null;
        try
        {
            abandoned.close();
        }
        catch (final RuntimeException ignored)
        {
            // the partial file is deleted at the next open
        }
    }

    private File partialFile()
    {
        return new File(file.getPath() + COMPACTING_SUFFIX + "-" + PARTIAL_FILES.incrementAndGet());
    }

    private static void deletePartialFiles(final File file)
    {
        final String prefix = file.getName() + COMPACTING_SUFFIX;
        final File[] partials = file.getAbsoluteFile().getParentFile().listFiles(
            (dir, name) -> name.startsWith(prefix));
        for (final File partial : partials == null ? new File[0] : partials)
        {
            if (partial.exists() && !partial.delete())
            {
                throw new SplitheapException("cannot delete the partial copy of an interrupted compaction file=" +
                    partial, SplitheapException.Category.FATAL, null);
            }
        }
    }

    /**
     * The most pages stored at once since the map was created or last compacted: what its file's disk blocks and its
     * resident memory follow.
     *
     * @return pages.
     */
    public long footprintPages()
    {
        return footprintPages;
    }

    /**
     * Compactions since the store was opened.
     *
     * @return count.
     */
    public long compactions()
    {
        return compactions;
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
        if (compaction != null)
        {
            abandonCompaction();
        }
        awaitClosing();
        pages.close();
        pageBytes.releaseLast();
    }

    private void mirrorWrite(final long pageKey)
    {
        if (compaction != null && compaction.copying())
        {
            compaction.mirrorWrite(pageKey, pageBytes);
        }
    }

    private void mirrorRemove(final long pageKey)
    {
        if (compaction != null && compaction.copying())
        {
            compaction.mirrorRemove(pageKey);
        }
    }

    private Data<byte[]> pageData(final ExternalMapQueryContext<LongValue, byte[], ?> context)
    {
        return context.wrapValueBytesAsData(pageBytes, 0, FarAddress.PAGE_SIZE);
    }

    private void countStored(final long pageKey)
    {
        final long chunk = pageKey >>> CHUNK_SHIFT;
        chunkPages.put(chunk, chunkPages.get(chunk) + 1);
    }

    private void countRemoved(final long pageKey)
    {
        final long chunk = pageKey >>> CHUNK_SHIFT;
        final long left = chunkPages.get(chunk) - 1;
        if (left > 0)
        {
            chunkPages.put(chunk, left);
        }
        else
        {
            chunkPages.remove(chunk);
        }
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
