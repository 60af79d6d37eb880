package io.splitheap.agent.excache;

import io.splitheap.agent.backend.PageBackend;
import io.splitheap.agent.events.SlowMissEvent;
import org.agrona.UnsafeApi;

import java.lang.ref.ReferenceQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The ExCache: the application's local cache of far memory, lines of one or more pages held off-heap in frames
 * ({@link Frames}). Translation is per far array ({@link LineTable}); hits are {@link HitPath}'s. This class holds
 * everything else: first touch (a zero-filled frame, no round trip), misses (one fetch per line however many threads
 * miss it), sequential readahead ({@link Readahead}), the slow paths of loads and stores, pins for chunked loops, and
 * the release of dead arrays.
 * <p>
 * Memory model: readers validate the line entry around every read (a seqlock whose sequence is the entry); hit-path
 * writers publish a hazard that evictors read after a global safepoint, and slow-path writers and chunked loops pin
 * the frame with full-fence atomics, so a store can never land in a recycled frame; publication of entries is
 * volatile; eviction hands the data to the write-back buffer before the entry says evicted, and a miss reads the
 * write-back buffer before the node. So a data-race-free program reads what it last wrote, as with heap arrays.
 */
public final class ExCache implements AutoCloseable
{
    private static final int MIN_FRAMES = 16;
    private static final long FRAME_WAIT_PARK_NS = TimeUnit.MICROSECONDS.toNanos(50);

    private final int lineShift;
    private final int lineSize;
    private final int frameCount;
    private final long frameBase;
    private final PinCounts pins;
    private final ThreadSlots slots;
    private final Frames frames;
    private final int[] stamps;
    private final WriteBacks writeBacks;
    private final PageBackend backend;
    private final CacheStats stats = new CacheStats();
    private final Readahead readahead;
    private final long waitTimeoutNs;
    private final ReferenceQueue<Object> deadArrays = new ReferenceQueue<>();

    /**
     * A cache.
     *
     * @param cacheBytes     total bytes of frames.
     * @param lineSize       line size, a power of two of at least one page.
     * @param policyName     fifo, lru, clock or sweep.
     * @param maxPrefetch    lines per readahead window of a sequential stream (0 disables readahead).
     * @param writeBackLines write-back buffers, in lines.
     * @param backend        where lines live.
     * @param waitTimeoutNs  how long a thread may wait for a line or a frame before failing.
     */
    public ExCache(
        final long cacheBytes,
        final int lineSize,
        final String policyName,
        final int maxPrefetch,
        final int writeBackLines,
        final PageBackend backend,
        final long waitTimeoutNs)
    {
        if (Integer.bitCount(lineSize) != 1 || lineSize < 4096)
        {
            throw new IllegalArgumentException("line size must be a power of two >= 4096: " + lineSize);
        }
        final long count = cacheBytes / lineSize;
        if (count < MIN_FRAMES || count > Integer.MAX_VALUE - 1)
        {
            throw new IllegalArgumentException("ExCache of " + cacheBytes + " bytes holds " + count +
                " lines of " + lineSize + " bytes; it needs at least " + MIN_FRAMES);
        }
        this.lineSize = lineSize;
        this.lineShift = Integer.numberOfTrailingZeros(lineSize);
        this.frameCount = (int)count;
        this.frameBase = UnsafeApi.allocateMemory(count * lineSize);
        this.pins = new PinCounts(frameCount);
        this.slots = new ThreadSlots(4096, pins);
        this.writeBacks = new WriteBacks(lineSize, writeBackLines);
        final EvictionPolicy policy = EvictionPolicy.create(policyName, frameCount);
        this.stamps = policy.stamps();
        this.frames = new Frames(frameCount, lineShift, frameBase, policy, pins, slots, writeBacks, stats);
        this.backend = backend;
        this.readahead = new Readahead(frames, writeBacks, backend, stats, maxPrefetch, lineSize);
        this.waitTimeoutNs = waitTimeoutNs;
    }

    /**
     * Creates the descriptor of a new far array. The array's lines start untouched (reading zeros).
     *
     * @param placeholder the zero-length heap array that is its identity.
     * @param type        element type.
     * @param address     far address, line aligned.
     * @param length      elements.
     * @param site        allocation site id.
     * @param hash        the placeholder's identity hash.
     * @return the descriptor, registered for release when the placeholder dies.
     */
    public FarArray newArray(
        final Object placeholder,
        final ElementType type,
        final long address,
        final int length,
        final int site,
        final int hash)
    {
        return new FarArray(placeholder, deadArrays, type, address, length, site, hash, this);
    }

    /**
     * Descriptors whose placeholder died, to be released.
     *
     * @return the reference queue.
     */
    public ReferenceQueue<Object> deadArrays()
    {
        return deadArrays;
    }

    long loadLongSlow(final FarArray array, final int index)
    {
        final LineTable table = array.lines;
        final long offset = (long)index << 3;
        final int line = table.lineOf(offset);
        while (true)
        {
            final long entry = resolveRead(array, line);
            if (entry == LineState.LOCALIZED)
            {
                return UnsafeApi.getLong(array.heap, array.type.baseOffset() + offset);
            }
            if (entry == LineState.UNTOUCHED)
            {
                return 0;
            }
            final long value = UnsafeApi.getLong(table.frameAddress(entry, offset));
            UnsafeApi.loadFence();
            if (table.entry(line) == entry)
            {
                return value;
            }
        }
    }

    void storeLongSlow(final FarArray array, final int index, final long value)
    {
        final LineTable table = array.lines;
        final long offset = (long)index << 3;
        final int line = table.lineOf(offset);
        final long entry = pinForWrite(array, line);
        if (entry == LineState.LOCALIZED)
        {
            UnsafeApi.putLong(array.heap, array.type.baseOffset() + offset, value);
            return;
        }
        try
        {
            UnsafeApi.putLong(table.frameAddress(entry, offset), value);
        }
        finally
        {
            unpin(entry);
        }
    }

    int loadIntSlow(final FarArray array, final int index)
    {
        final LineTable table = array.lines;
        final long offset = (long)index << 2;
        final int line = table.lineOf(offset);
        while (true)
        {
            final long entry = resolveRead(array, line);
            if (entry == LineState.LOCALIZED)
            {
                return UnsafeApi.getInt(array.heap, array.type.baseOffset() + offset);
            }
            if (entry == LineState.UNTOUCHED)
            {
                return 0;
            }
            final int value = UnsafeApi.getInt(table.frameAddress(entry, offset));
            UnsafeApi.loadFence();
            if (table.entry(line) == entry)
            {
                return value;
            }
        }
    }

    void storeIntSlow(final FarArray array, final int index, final int value)
    {
        final LineTable table = array.lines;
        final long offset = (long)index << 2;
        final int line = table.lineOf(offset);
        final long entry = pinForWrite(array, line);
        if (entry == LineState.LOCALIZED)
        {
            UnsafeApi.putInt(array.heap, array.type.baseOffset() + offset, value);
            return;
        }
        try
        {
            UnsafeApi.putInt(table.frameAddress(entry, offset), value);
        }
        finally
        {
            unpin(entry);
        }
    }

    short loadShortSlow(final FarArray array, final int index)
    {
        final LineTable table = array.lines;
        final long offset = (long)index << 1;
        final int line = table.lineOf(offset);
        while (true)
        {
            final long entry = resolveRead(array, line);
            if (entry == LineState.LOCALIZED)
            {
                return UnsafeApi.getShort(array.heap, array.type.baseOffset() + offset);
            }
            if (entry == LineState.UNTOUCHED)
            {
                return 0;
            }
            final short value = UnsafeApi.getShort(table.frameAddress(entry, offset));
            UnsafeApi.loadFence();
            if (table.entry(line) == entry)
            {
                return value;
            }
        }
    }

    void storeShortSlow(final FarArray array, final int index, final short value)
    {
        final LineTable table = array.lines;
        final long offset = (long)index << 1;
        final int line = table.lineOf(offset);
        final long entry = pinForWrite(array, line);
        if (entry == LineState.LOCALIZED)
        {
            UnsafeApi.putShort(array.heap, array.type.baseOffset() + offset, value);
            return;
        }
        try
        {
            UnsafeApi.putShort(table.frameAddress(entry, offset), value);
        }
        finally
        {
            unpin(entry);
        }
    }

    byte loadByteSlow(final FarArray array, final int index)
    {
        final LineTable table = array.lines;
        final long offset = index;
        final int line = table.lineOf(offset);
        while (true)
        {
            final long entry = resolveRead(array, line);
            if (entry == LineState.LOCALIZED)
            {
                return UnsafeApi.getByte(array.heap, array.type.baseOffset() + offset);
            }
            if (entry == LineState.UNTOUCHED)
            {
                return 0;
            }
            final byte value = UnsafeApi.getByte(table.frameAddress(entry, offset));
            UnsafeApi.loadFence();
            if (table.entry(line) == entry)
            {
                return value;
            }
        }
    }

    void storeByteSlow(final FarArray array, final int index, final byte value)
    {
        final LineTable table = array.lines;
        final long offset = index;
        final int line = table.lineOf(offset);
        final long entry = pinForWrite(array, line);
        if (entry == LineState.LOCALIZED)
        {
            UnsafeApi.putByte(array.heap, array.type.baseOffset() + offset, value);
            return;
        }
        try
        {
            UnsafeApi.putByte(table.frameAddress(entry, offset), value);
        }
        finally
        {
            unpin(entry);
        }
    }

    /**
     * Makes a line readable: returns a resident entry to validate against, {@link LineState#UNTOUCHED} (read
     * zeros) or {@link LineState#LOCALIZED} (read the backing array).
     *
     * @param array the array.
     * @param line  line index.
     * @return the entry.
     */
    long resolveRead(final FarArray array, final int line)
    {
        while (true)
        {
            final long entry = array.lines.entry(line);
            if (LineState.isArmed(entry))
            {
                disarm(array, line, entry);
                continue;
            }
            if (entry > 0 || entry == LineState.UNTOUCHED || entry == LineState.LOCALIZED)
            {
                if (entry > 0 && RuntimeFlags.STATS)
                {
                    countHit();
                }
                return entry;
            }
            if (entry == LineState.EVICTED)
            {
                fill(array, line, LineState.EVICTED, false);
            }
            else
            {
                awaitTransition(array, line, entry);
            }
        }
    }

    /**
     * Makes a line resident and dirty: returns its entry, or {@link LineState#LOCALIZED}. The frame is not pinned:
     * see {@link #pinForWrite}.
     *
     * @param array the array.
     * @param line  line index.
     * @return the entry.
     */
    long resolveWrite(final FarArray array, final int line)
    {
        final LineTable table = array.lines;
        while (true)
        {
            final long entry = table.entry(line);
            if (LineState.isArmed(entry))
            {
                disarm(array, line, entry);
                continue;
            }
            if (entry > 0)
            {
                if (LineState.isDirty(entry) || table.cas(line, entry, entry | LineState.DIRTY))
                {
                    return entry | LineState.DIRTY;
                }
                continue;
            }
            if (entry == LineState.LOCALIZED)
            {
                return entry;
            }
            if (entry == LineState.UNTOUCHED || entry == LineState.EVICTED)
            {
                fill(array, line, entry, true);
            }
            else
            {
                awaitTransition(array, line, entry);
            }
        }
    }

    /**
     * Makes a line resident and dirty and pins its frame (a full-fence atomic, so no evictor or move to the heap can
     * take the frame while it is pinned). Returns the entry, to be given to {@link #unpin} after writing, or
     * {@link LineState#LOCALIZED} (nothing pinned: write the backing array).
     *
     * @param array the array.
     * @param line  line index.
     * @return the entry.
     */
    long pinForWrite(final FarArray array, final int line)
    {
        slots.current();
        while (true)
        {
            final long entry = resolveWrite(array, line);
            if (entry == LineState.LOCALIZED)
            {
                return entry;
            }
            final int frame = LineState.frame(entry);
            pins.increment(frame);
            if (array.lines.entry(line) == entry)
            {
                return entry;
            }
            pins.decrement(frame);
        }
    }

    /**
     * Releases the pin {@link #pinForWrite} took.
     *
     * @param entry the entry it returned.
     */
    void unpin(final long entry)
    {
        pins.decrement(LineState.frame(entry));
    }

    /**
     * Pins, for one chunk of a rewritten loop, the line holding element {@code index} of a far array: makes it
     * resident (and dirty, for a loop that writes), raises its frame's pin count and records the frame as the
     * calling thread's chunk pin {@code pinIndex} (releasing the one it held there). While pinned, the frame is not
     * evicted and the array is not moved to the heap, so the loop may read and write the frame directly until
     * {@link #unpinChunks}. Returns the base address such that element {@code j} of the line is at
     * {@code base + (j << elementShift)}, or 0 if the loop must go on element by element (the array moved to the
     * heap, or the thread has no slot).
     *
     * @param array    the far array.
     * @param index    an element of the line.
     * @param write    whether the loop stores into the array.
     * @param pinIndex which of the thread's {@link ThreadSlots#CHUNK_PINS} chunk pins.
     * @return the base address, or 0.
     */
    public long pinChunk(final FarArray array, final int index, final boolean write, final int pinIndex)
    {
        final ThreadSlots.Slot slot = slots.current();
        if (slot == null)
        {
            return 0;
        }
        final int line = array.lines.lineOf((long)index << array.type.shift());
        final int frame = pinResident(array, line, write);
        if (frame < 0)
        {
            return 0;
        }
        slots.holdChunk(slot, pinIndex, frame);
        slot.chunks++;
        if (RuntimeFlags.STATS)
        {
            slot.hits += (lineSize >> array.type.shift()) - 1;
        }
        return frames.frameAddress(frame) - ((long)line << lineShift);
    }

    /**
     * Pins the line holding a byte of a far array for a caller that reads and writes it directly until
     * {@link #unpinBlock} (a method of a far object, on its field block): makes it resident (and dirty, for a
     * writer) and raises its frame's pin count, so that the frame is neither evicted nor reused meanwhile. Pins nest.
     *
     * @param array  the far array.
     * @param offset the byte's offset in the array.
     * @param write  whether the caller stores into the line.
     * @return the byte's address in the frame, or 0 if the array moved to the heap.
     */
    public long pinBlock(final FarArray array, final long offset, final boolean write)
    {
        final int frame = pinResident(array, array.lines.lineOf(offset), write);
        return frame < 0 ? 0 : frames.frameAddress(frame) + (offset & (lineSize - 1));
    }

    /**
     * Releases a pin {@link #pinBlock} took.
     *
     * @param address the address it returned (not 0).
     */
    public void unpinBlock(final long address)
    {
        pins.decrement(frames.frameOf(address));
    }

    private int pinResident(final FarArray array, final int line, final boolean write)
    {
        final LineTable table = array.lines;
        while (true)
        {
            final long entry = write ? resolveWrite(array, line) : resolveRead(array, line);
            if (entry == LineState.LOCALIZED)
            {
                return -1;
            }
            if (entry == LineState.UNTOUCHED)
            {
                fill(array, line, LineState.UNTOUCHED, false);
                continue;
            }
            final int frame = LineState.frame(entry);
            pins.increment(frame);
            final long now = table.entry(line);
            if (now > 0 && LineState.frame(now) == frame && (!write || LineState.isDirty(now)))
            {
                return frame;
            }
            pins.decrement(frame);
        }
    }

    /**
     * Releases the calling thread's chunk pins.
     */
    public void unpinChunks()
    {
        final ThreadSlots.Slot slot = slots.current();
        if (slot != null)
        {
            slots.unpinChunks(slot);
        }
    }

    /**
     * Waits until no thread writes into or pins a frame whose line's entry has left the resident state already (so
     * no new store or pin can start on it): a global safepoint makes the hit path's store hazards visible, then
     * the hazards and pins are waited out.
     *
     * @param array the array, for the error message.
     * @param line  the line, for the error message.
     * @param frame the frame.
     */
    void awaitWriters(final FarArray array, final int line, final int frame)
    {
        if (!backend.await(() -> !pins.isPinned(frame) && !slots.isActive(frame), waitTimeoutNs, "pinned frame"))
        {
            throw new FarMemoryError("the line at address=0x" + Long.toHexString(array.lines.lineAddress(line)) +
                " stayed pinned by a loop or a store for " + TimeUnit.NANOSECONDS.toMillis(waitTimeoutNs) +
                "ms while the array was being moved to the heap", null);
        }
    }

    /**
     * Brings every thread through a safepoint (see {@link Handshake}).
     */
    void handshake()
    {
        Handshake.run();
    }

    private void disarm(final FarArray array, final int line, final long armed)
    {
        if (array.lines.cas(line, armed, LineState.disarm(armed)))
        {
            readahead.onTrigger(array, line);
        }
    }

    private void fill(final FarArray array, final int line, final long expected, final boolean forWrite)
    {
        final LineTable table = array.lines;
        if (!table.cas(line, expected, LineState.LOADING))
        {
            return;
        }
        int frame = -1;
        try
        {
            frame = allocateFrame(array, line);
            final long frameAddress = frames.frameAddress(frame);
            if (expected == LineState.UNTOUCHED)
            {
                UnsafeApi.setMemory(frameAddress, lineSize, (byte)0);
                stats.zeroFills.incrementAndGet();
            }
            else
            {
                stats.misses.incrementAndGet();
                final long startNs = System.nanoTime();
                fetch(array, line, frameAddress);
                final long fetchNs = System.nanoTime() - startNs;
                if (fetchNs >= SlowMissEvent.THRESHOLD_NS)
                {
                    SlowMissEvent.record(array.lines.lineAddress(line), lineSize, fetchNs);
                }
            }
            table.entry(line, frames.map(array, line, frame, forWrite || expected == LineState.UNTOUCHED));
        }
        catch (final RuntimeException | Error ex)
        {
            if (frame >= 0)
            {
                frames.release(frame);
            }
            table.entry(line, expected);
            throw failure("fetch of", array, line, ex);
        }
        if (expected == LineState.EVICTED)
        {
            readahead.afterMiss(array, line);
        }
    }

    private void fetch(final FarArray array, final int line, final long frameAddress)
    {
        final long lineAddress = array.lines.lineAddress(line);
        if (!writeBacks.copyIfPending(lineAddress, frameAddress))
        {
            backend.readLine(lineAddress, frameAddress, lineSize);
        }
    }

    private int allocateFrame(final FarArray array, final int line)
    {
        final long deadline = System.nanoTime() + waitTimeoutNs;
        while (true)
        {
            final int frame = frames.allocate();
            if (frame >= 0)
            {
                return frame;
            }
            backend.poll();
            if (System.nanoTime() > deadline)
            {
                throw new FarMemoryError("no ExCache frame could be freed within " +
                    TimeUnit.NANOSECONDS.toMillis(waitTimeoutNs) + "ms for address=0x" +
                    Long.toHexString(array.lines.lineAddress(line)) + ": all " + frameCount + " frames are pinned, " +
                    "in flight, or waiting for write-back acknowledgements (" + writeBacks.inFlight() +
                    " write-backs in flight; " + frames.census() + "); raise excache= or check the memory nodes (" +
                    backend.describe(array.lines.lineAddress(line)) + ")", null);
            }
            LockSupport.parkNanos(FRAME_WAIT_PARK_NS);
        }
    }

    private void awaitTransition(final FarArray array, final int line, final long state)
    {
        if (state == LineState.DEAD)
        {
            throw new IllegalStateException("far array at 0x" + Long.toHexString(array.address) +
                " was used after it was freed");
        }
        if (!backend.await(() -> array.lines.entry(line) != state, waitTimeoutNs, "line"))
        {
            throw new FarMemoryError("line at address=0x" + Long.toHexString(array.lines.lineAddress(line)) +
                " stayed " + LineState.describe(state) + " for " + TimeUnit.NANOSECONDS.toMillis(waitTimeoutNs) +
                "ms (" + backend.describe(array.lines.lineAddress(line)) + ")", null);
        }
    }

    void awaitChange(final FarArray array, final int line, final long state)
    {
        awaitTransition(array, line, state);
    }

    private FarMemoryError failure(final String what, final FarArray array, final int line, final Throwable cause)
    {
        if (cause instanceof FarMemoryError)
        {
            return (FarMemoryError)cause;
        }
        final long lineAddress = array.lines.lineAddress(line);
        return new FarMemoryError("far memory " + what + " address=0x" + Long.toHexString(lineAddress) + " " +
            backend.describe(lineAddress) + " failed: " + cause, cause);
    }

    long frameAddress(final int frame)
    {
        return frames.frameAddress(frame);
    }

    long frameBase()
    {
        return frameBase;
    }

    /**
     * log2 of the line size.
     *
     * @return shift.
     */
    public int lineShift()
    {
        return lineShift;
    }

    /**
     * Line size.
     *
     * @return bytes.
     */
    public int lineSize()
    {
        return lineSize;
    }

    /**
     * Number of frames.
     *
     * @return frames.
     */
    public int frameCount()
    {
        return frameCount;
    }

    /**
     * Bytes of frames.
     *
     * @return bytes.
     */
    public long capacityBytes()
    {
        return (long)frameCount << lineShift;
    }

    ThreadSlots slots()
    {
        return slots;
    }

    /**
     * The write-back buffer.
     *
     * @return write-backs.
     */
    public WriteBacks writeBacks()
    {
        return writeBacks;
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

    /**
     * Counters.
     *
     * @return stats.
     */
    public CacheStats stats()
    {
        return stats;
    }

    /**
     * Chunks of rewritten loops that ran over a pinned line (per-thread counters, summed).
     *
     * @return chunks.
     */
    public long chunks()
    {
        return slots.chunks();
    }

    /**
     * Hits counted so far (only with {@link RuntimeFlags#STATS}): the per-thread counters plus those counted on slow
     * paths.
     *
     * @return hits.
     */
    public long hits()
    {
        return slots.hits() + stats.slowHits.get();
    }

    /**
     * Notes a hit of a frame for the eviction policies that use it (LRU stamps, CLOCK reference bits).
     *
     * @param entry the resident entry hit.
     */
    void touch(final long entry)
    {
        final int[] stamps = this.stamps;
        if (stamps != null)
        {
            final int frame = (int)((entry & LineState.FRAME_MASK) - 1);
            final int epoch = frames.epoch;
            if (stamps[frame] != epoch)
            {
                stamps[frame] = epoch;
            }
        }
    }

    void countHit()
    {
        final ThreadSlots.Slot slot = slots.current();
        if (slot != null)
        {
            slot.hits++;
        }
        else
        {
            stats.slowHits.incrementAndGet();
        }
    }

    void releaseFrameOf(final long entry)
    {
        frames.release(LineState.frame(entry));
    }

    /**
     * Frees the frames of an array that died and marks its lines {@link LineState#DEAD}; its dirty lines and pending
     * write-backs are dropped, and its line table too (the descriptor may stay referenced a while from an access
     * site's memo).
     *
     * @param array the array.
     */
    public void release(final FarArray array)
    {
        array.dead = true;
        final LineTable table = array.lines;
        int droppedDirty = 0;
        for (int line = 0; line < table.lineCount(); line++)
        {
            while (true)
            {
                final long entry = table.entry(line);
                if (entry == LineState.LOADING || entry == LineState.EVICTING)
                {
                    backend.await(() -> false, TimeUnit.MICROSECONDS.toNanos(20), "line");
                    continue;
                }
                if (table.cas(line, entry, LineState.DEAD))
                {
                    final long resident = LineState.disarm(entry);
                    if (resident > 0)
                    {
                        droppedDirty += LineState.isDirty(resident) ? 1 : 0;
                        frames.release(LineState.frame(resident));
                    }
                    break;
                }
            }
        }
        stats.deadLinesDropped.addAndGet(droppedDirty + writeBacks.cancel(array));
        array.lines = new LineTable(0, array.address, this);
    }

    /**
     * Returns frames whose pins went away to the free list, and reclaims slots of dead threads.
     *
     * @return frames freed.
     */
    public int reclaimIdle()
    {
        slots.reclaimDead();
        return frames.reclaimZombies();
    }

    /**
     * Where the frames are (for error messages and tests).
     *
     * @return a one-line census.
     */
    String frameCensus()
    {
        return frames.census();
    }

    int pinnedFrames()
    {
        int pinned = 0;
        for (int frame = 0; frame < frameCount; frame++)
        {
            if (pins.isPinned(frame))
            {
                pinned++;
            }
        }
        return pinned;
    }

    /**
     * Frees the frames' memory. Only when no far array is used any more.
     */
    public void close()
    {
        writeBacks.close();
        UnsafeApi.freeMemory(frameBase);
    }
}
