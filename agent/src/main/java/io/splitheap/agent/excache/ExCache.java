package io.splitheap.agent.excache;

import io.splitheap.agent.backend.PageBackend;
import org.agrona.UnsafeApi;
import org.agrona.collections.IntArrayList;

import java.lang.ref.ReferenceQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The ExCache: the application's local cache of far memory, lines of one or more pages held off-heap in frames.
 * Translation is per far array (each {@link FarArray} has a line table whose entries name frames), so a hit costs a
 * table load and a validation, with no lock, allocation or shared write. This class holds the slow paths: first
 * touch (a zero-filled frame, no round trip), misses (one fetch per line however many threads miss it), eviction
 * (FIFO, LRU or CLOCK; dirty victims are copied to the write-back buffer and written back off the faulting thread),
 * sequential prefetch, and release of dead arrays.
 * <p>
 * Memory model: readers validate the line entry around every read (a seqlock whose sequence is the entry);
 * writers pin their frame (see {@link WriterSlots}) so a store can never land in a recycled frame; publication of
 * entries is volatile; eviction hands the data to the write-back buffer before the entry says evicted, and a miss
 * reads the write-back buffer before the node. So a data-race-free program reads what it last wrote, as with
 * heap arrays.
 */
public final class ExCache implements AutoCloseable
{
    private static final int MIN_FRAMES = 16;
    private static final long FRAME_WAIT_PARK_NS = TimeUnit.MICROSECONDS.toNanos(50);

    private final int lineShift;
    private final int lineSize;
    private final int frameCount;
    private final long frameBase;
    private final FarArray[] frameOwner;
    private final int[] frameLine;
    private final PinCounts pins;
    private final WriterSlots slots;
    private final EvictionPolicy policy;
    private final int[] stamps;
    private final ReentrantLock frameLock = new ReentrantLock();
    private final IntArrayList freeFrames;
    private final IntArrayList zombieFrames = new IntArrayList();
    private final WriteBacks writeBacks;
    private final PageBackend backend;
    private final CacheStats stats = new CacheStats();
    private final int maxPrefetch;
    private final long waitTimeoutNs;
    private final ReferenceQueue<Object> deadArrays = new ReferenceQueue<>();
    private long generation;
    int epoch = 1;

    /**
     * A cache.
     *
     * @param cacheBytes    total bytes of frames.
     * @param lineSize      line size, a power of two of at least one page.
     * @param policyName    fifo, lru or clock.
     * @param maxPrefetch   most lines fetched ahead of a sequential miss (0 disables prefetch).
     * @param writeBackLines write-back buffers, in lines.
     * @param backend       where lines live.
     * @param waitTimeoutNs how long a thread may wait for a line or a frame before failing.
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
        final long frames = cacheBytes / lineSize;
        if (frames < MIN_FRAMES || frames > Integer.MAX_VALUE - 1)
        {
            throw new IllegalArgumentException("ExCache of " + cacheBytes + " bytes holds " + frames +
                " lines of " + lineSize + " bytes; it needs at least " + MIN_FRAMES);
        }
        this.lineSize = lineSize;
        this.lineShift = Integer.numberOfTrailingZeros(lineSize);
        this.frameCount = (int)frames;
        this.frameBase = UnsafeApi.allocateMemory(frames * lineSize);
        this.frameOwner = new FarArray[frameCount];
        this.frameLine = new int[frameCount];
        this.pins = new PinCounts(frameCount);
        this.slots = new WriterSlots(4096, pins);
        this.policy = EvictionPolicy.create(policyName, frameCount);
        this.stamps = policy.stamps();
        this.epoch = policy.currentStamp();
        this.freeFrames = new IntArrayList(frameCount, -1);
        for (int frame = frameCount - 1; frame >= 0; frame--)
        {
            freeFrames.addInt(frame);
        }
        this.writeBacks = new WriteBacks(lineSize, writeBackLines);
        this.backend = backend;
        this.maxPrefetch = maxPrefetch;
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
        final long offset = (long)index << 3;
        final int line = (int)(offset >>> lineShift);
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
            final long value = UnsafeApi.getLong(array.frameAddress(entry, offset));
            UnsafeApi.loadFence();
            if (array.entry(line) == entry)
            {
                return value;
            }
        }
    }

    int loadIntSlow(final FarArray array, final int index)
    {
        final long offset = (long)index << 2;
        final int line = (int)(offset >>> lineShift);
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
            final int value = UnsafeApi.getInt(array.frameAddress(entry, offset));
            UnsafeApi.loadFence();
            if (array.entry(line) == entry)
            {
                return value;
            }
        }
    }

    short loadShortSlow(final FarArray array, final int index)
    {
        final long offset = (long)index << 1;
        final int line = (int)(offset >>> lineShift);
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
            final short value = UnsafeApi.getShort(array.frameAddress(entry, offset));
            UnsafeApi.loadFence();
            if (array.entry(line) == entry)
            {
                return value;
            }
        }
    }

    byte loadByteSlow(final FarArray array, final int index)
    {
        final long offset = index;
        final int line = (int)(offset >>> lineShift);
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
            final byte value = UnsafeApi.getByte(array.frameAddress(entry, offset));
            UnsafeApi.loadFence();
            if (array.entry(line) == entry)
            {
                return value;
            }
        }
    }

    void storeLongSlow(final FarArray array, final int index, final long value)
    {
        final long offset = (long)index << 3;
        final int line = (int)(offset >>> lineShift);
        while (true)
        {
            final long entry = resolveWrite(array, line);
            if (entry == LineState.LOCALIZED)
            {
                UnsafeApi.putLong(array.heap, array.type.baseOffset() + offset, value);
                return;
            }
            UnsafeApi.putLong(array.frameAddress(entry, offset), value);
            if (finishWrite(array, line, entry))
            {
                return;
            }
        }
    }

    void storeIntSlow(final FarArray array, final int index, final int value)
    {
        final long offset = (long)index << 2;
        final int line = (int)(offset >>> lineShift);
        while (true)
        {
            final long entry = resolveWrite(array, line);
            if (entry == LineState.LOCALIZED)
            {
                UnsafeApi.putInt(array.heap, array.type.baseOffset() + offset, value);
                return;
            }
            UnsafeApi.putInt(array.frameAddress(entry, offset), value);
            if (finishWrite(array, line, entry))
            {
                return;
            }
        }
    }

    void storeShortSlow(final FarArray array, final int index, final short value)
    {
        final long offset = (long)index << 1;
        final int line = (int)(offset >>> lineShift);
        while (true)
        {
            final long entry = resolveWrite(array, line);
            if (entry == LineState.LOCALIZED)
            {
                UnsafeApi.putShort(array.heap, array.type.baseOffset() + offset, value);
                return;
            }
            UnsafeApi.putShort(array.frameAddress(entry, offset), value);
            if (finishWrite(array, line, entry))
            {
                return;
            }
        }
    }

    void storeByteSlow(final FarArray array, final int index, final byte value)
    {
        final long offset = index;
        final int line = (int)(offset >>> lineShift);
        while (true)
        {
            final long entry = resolveWrite(array, line);
            if (entry == LineState.LOCALIZED)
            {
                UnsafeApi.putByte(array.heap, array.type.baseOffset() + offset, value);
                return;
            }
            UnsafeApi.putByte(array.frameAddress(entry, offset), value);
            if (finishWrite(array, line, entry))
            {
                return;
            }
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
            final long entry = array.entry(line);
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
     * Makes a line writable by the calling thread: returns a resident dirty entry whose frame the thread pins, or
     * {@link LineState#LOCALIZED}. Pair every resident result with {@link #finishWrite}.
     *
     * @param array the array.
     * @param line  line index.
     * @return the entry.
     */
    long resolveWrite(final FarArray array, final int line)
    {
        final WriterSlots.Slot slot = slots.acquire(Thread.currentThread());
        while (true)
        {
            long entry = array.entry(line);
            if (entry > 0)
            {
                final int frame = LineState.frame(entry);
                if (slot != null)
                {
                    slots.pin(slot, frame);
                }
                else
                {
                    pins.increment(frame);
                }
                if (array.entry(line) == entry)
                {
                    if (LineState.isDirty(entry) || array.casEntry(line, entry, entry | LineState.DIRTY))
                    {
                        return entry | LineState.DIRTY;
                    }
                }
                if (slot == null)
                {
                    pins.decrement(frame);
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
     * After storing into a frame returned by {@link #resolveWrite}: releases a transient pin and reports whether
     * the store counts (else redo it).
     *
     * @param array the array.
     * @param line  line index.
     * @param entry the entry resolveWrite returned.
     * @return true if the entry was unchanged.
     */
    boolean finishWrite(final FarArray array, final int line, final long entry)
    {
        final boolean unchanged = array.entry(line) == entry;
        final Thread thread = Thread.currentThread();
        final WriterSlots.Slot slot = slots.table()[(int)thread.getId() & slots.mask()];
        if (slot.owner != thread || slot.frame != LineState.frame(entry))
        {
            final WriterSlots.Slot probed = slots.acquire(thread);
            if (probed == null || probed.frame != LineState.frame(entry))
            {
                pins.decrement(LineState.frame(entry));
            }
        }
        return unchanged;
    }

    private void fill(final FarArray array, final int line, final long expected, final boolean forWrite)
    {
        if (!array.casEntry(line, expected, LineState.LOADING))
        {
            return;
        }
        int frame = -1;
        try
        {
            frame = allocateFrame(array, line);
            final long frameAddress = frameAddress(frame);
            if (expected == LineState.UNTOUCHED)
            {
                UnsafeApi.setMemory(frameAddress, lineSize, (byte)0);
                stats.zeroFills.incrementAndGet();
            }
            else
            {
                stats.misses.incrementAndGet();
                fetch(array, line, frameAddress);
            }
            publish(array, line, frame, forWrite || expected == LineState.UNTOUCHED);
        }
        catch (final RuntimeException | Error ex)
        {
            if (frame >= 0)
            {
                releaseFrame(frame);
            }
            array.entry(line, expected);
            throw failure("fetch of", array, line, ex);
        }
        if (expected == LineState.EVICTED && maxPrefetch > 0)
        {
            prefetch(array, line);
        }
    }

    private void fetch(final FarArray array, final int line, final long frameAddress)
    {
        final long lineAddress = array.lineAddress(line);
        if (!writeBacks.copyIfPending(lineAddress, frameAddress))
        {
            backend.readLine(lineAddress, frameAddress, lineSize);
        }
    }

    private void publish(final FarArray array, final int line, final int frame, final boolean dirty)
    {
        final long entry;
        frameLock.lock();
        try
        {
            generation++;
            entry = LineState.resident(generation, frame, dirty);
            frameOwner[frame] = array;
            frameLine[frame] = line;
            policy.onMiss();
            epoch = policy.currentStamp();
            policy.onFill(frame);
        }
        finally
        {
            frameLock.unlock();
        }
        array.entry(line, entry);
    }

    private void prefetch(final FarArray array, final int line)
    {
        final int last = array.lastMissLine;
        final int window = array.prefetchWindow;
        final int next = line > last && line <= last + window + 1 ? Math.min(maxPrefetch, Math.max(2, window * 2)) : 0;
        array.lastMissLine = line;
        array.prefetchWindow = next;
        for (int ahead = 1; ahead <= next && line + ahead < array.lineCount(); ahead++)
        {
            final int target = line + ahead;
            if (array.entry(target) != LineState.EVICTED || !array.casEntry(target, LineState.EVICTED,
                LineState.LOADING))
            {
                continue;
            }
            if (!startPrefetch(array, target))
            {
                array.entry(target, LineState.EVICTED);
                break;
            }
        }
    }

    private boolean startPrefetch(final FarArray array, final int line)
    {
        final int frame = tryAllocateFrame();
        if (frame < 0)
        {
            return false;
        }
        final long frameAddress = frameAddress(frame);
        final long lineAddress = array.lineAddress(line);
        stats.prefetches.incrementAndGet();
        if (writeBacks.copyIfPending(lineAddress, frameAddress))
        {
            publish(array, line, frame, false);
            return true;
        }
        final boolean started = backend.readLineAsync(lineAddress, frameAddress, lineSize, error ->
        {
            if (error == null)
            {
                publish(array, line, frame, false);
            }
            else
            {
                releaseFrame(frame);
                array.entry(line, LineState.EVICTED);
            }
        });
        if (!started)
        {
            releaseFrame(frame);
        }
        return started;
    }

    private int allocateFrame(final FarArray array, final int line)
    {
        final long deadline = System.nanoTime() + waitTimeoutNs;
        while (true)
        {
            final int frame = tryAllocateFrame();
            if (frame >= 0)
            {
                return frame;
            }
            backend.poll();
            if (System.nanoTime() > deadline)
            {
                throw new FarMemoryError("no ExCache frame could be freed within " +
                    TimeUnit.NANOSECONDS.toMillis(waitTimeoutNs) + "ms for address=0x" +
                    Long.toHexString(array.lineAddress(line)) + ": all " + frameCount + " frames are pinned, " +
                    "in flight, or waiting for write-back acknowledgements (" + writeBacks.inFlight() +
                    " write-backs in flight; " + frameCensus() + "); raise excache= or check the memory nodes (" +
                    backend.describe(array.lineAddress(line)) + ")", null);
            }
            LockSupport.parkNanos(FRAME_WAIT_PARK_NS);
        }
    }

    /**
     * Where the frames are, for error messages: free, resident (and dirty), pinned by writers, being filled, stale
     * (owned by a line whose entry names another frame), zombies (released while pinned).
     *
     * @return a one-line census.
     */
    String frameCensus()
    {
        frameLock.lock();
        try
        {
            int resident = 0;
            int dirty = 0;
            int pinned = 0;
            int unowned = 0;
            int stale = 0;
            for (int frame = 0; frame < frameCount; frame++)
            {
                if (pins.isPinned(frame))
                {
                    pinned++;
                }
                final FarArray owner = frameOwner[frame];
                if (owner == null)
                {
                    unowned++;
                    continue;
                }
                final long entry = owner.entry(frameLine[frame]);
                if (entry > 0 && LineState.frame(entry) == frame)
                {
                    resident++;
                    dirty += LineState.isDirty(entry) ? 1 : 0;
                }
                else
                {
                    stale++;
                }
            }
            return "frames: " + freeFrames.size() + " free, " + resident + " resident (" + dirty + " dirty, " +
                policy.tracked() + " tracked by the policy), " + pinned + " pinned, " +
                (unowned - freeFrames.size() - zombieFrames.size()) + " filling, " + stale + " stale, " +
                zombieFrames.size() + " zombie";
        }
        finally
        {
            frameLock.unlock();
        }
    }

    private int tryAllocateFrame()
    {
        frameLock.lock();
        try
        {
            if (!freeFrames.isEmpty())
            {
                return freeFrames.popInt();
            }
            return evictLocked();
        }
        finally
        {
            frameLock.unlock();
        }
    }

    private int evictLocked()
    {
        for (int scanned = 0, limit = frameCount + 1; scanned < limit; scanned++)
        {
            final int frame = policy.nextVictim();
            if (frame < 0)
            {
                return -1;
            }
            final FarArray owner = frameOwner[frame];
            if (owner == null)
            {
                continue;
            }
            final int line = frameLine[frame];
            final long entry = owner.entry(line);
            if (entry <= 0 || LineState.frame(entry) != frame || !owner.casEntry(line, entry, LineState.EVICTING))
            {
                policy.keep(frame);
                continue;
            }
            if (pins.isPinned(frame))
            {
                owner.entry(line, entry);
                policy.keep(frame);
                continue;
            }
            if (LineState.isDirty(entry))
            {
                if (!writeBacks.offer(owner, owner.lineAddress(line), frameAddress(frame)))
                {
                    owner.entry(line, entry);
                    policy.keep(frame);
                    return -1;
                }
                stats.writeBacks.incrementAndGet();
            }
            owner.entry(line, LineState.EVICTED);
            frameOwner[frame] = null;
            stats.evictions.incrementAndGet();
            return frame;
        }
        return -1;
    }

    private void releaseFrame(final int frame)
    {
        frameLock.lock();
        try
        {
            if (frameOwner[frame] != null)
            {
                frameOwner[frame] = null;
                policy.remove(frame);
            }
            if (pins.isPinned(frame))
            {
                zombieFrames.addInt(frame);
            }
            else
            {
                freeFrames.addInt(frame);
            }
        }
        finally
        {
            frameLock.unlock();
        }
    }

    private void awaitTransition(final FarArray array, final int line, final long state)
    {
        if (state == LineState.DEAD)
        {
            throw new IllegalStateException("far array at 0x" + Long.toHexString(array.address) +
                " was used after it was freed");
        }
        if (!backend.await(() -> array.entry(line) != state, waitTimeoutNs, "line"))
        {
            throw new FarMemoryError("line at address=0x" + Long.toHexString(array.lineAddress(line)) +
                " stayed " + LineState.describe(state) + " for " + TimeUnit.NANOSECONDS.toMillis(waitTimeoutNs) +
                "ms (" + backend.describe(array.lineAddress(line)) + ")", null);
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
        final long lineAddress = array.lineAddress(line);
        return new FarMemoryError("far memory " + what + " address=0x" + Long.toHexString(lineAddress) + " " +
            backend.describe(lineAddress) + " failed: " + cause, cause);
    }

    long frameAddress(final int frame)
    {
        return frameBase + ((long)frame << lineShift);
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

    int[] stamps()
    {
        return stamps;
    }

    WriterSlots slots()
    {
        return slots;
    }

    PinCounts pins()
    {
        return pins;
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
     * Hits counted so far (only with {@link RuntimeFlags#STATS}).
     *
     * @return hits.
     */
    public long hits()
    {
        return slots.hits() + stats.slowHits.get();
    }

    void countHit()
    {
        final Thread thread = Thread.currentThread();
        final WriterSlots.Slot slot = slots.table()[(int)thread.getId() & slots.mask()];
        if (slot.owner == thread)
        {
            slot.hits++;
        }
        else
        {
            final WriterSlots.Slot acquired = slots.acquire(thread);
            if (acquired != null)
            {
                acquired.hits++;
            }
            else
            {
                stats.slowHits.incrementAndGet();
            }
        }
    }

    void releaseFrameOf(final long entry)
    {
        releaseFrame(LineState.frame(entry));
    }

    /**
     * Frees the frames of an array that died and marks its lines {@link LineState#DEAD}.
     *
     * @param array the array.
     */
    public void release(final FarArray array)
    {
        array.dead = true;
        final long finalState = LineState.DEAD;
        int droppedDirty = 0;
        for (int line = 0; line < array.lineCount(); line++)
        {
            while (true)
            {
                final long entry = array.entry(line);
                if (entry == LineState.LOADING || entry == LineState.EVICTING)
                {
                    backend.await(() -> false, TimeUnit.MICROSECONDS.toNanos(20), "line");
                    continue;
                }
                if (array.casEntry(line, entry, finalState))
                {
                    if (entry > 0)
                    {
                        droppedDirty += LineState.isDirty(entry) ? 1 : 0;
                        releaseFrame(LineState.frame(entry));
                    }
                    break;
                }
            }
        }
        stats.deadLinesDropped.addAndGet(droppedDirty + writeBacks.cancel(array));
    }

    /**
     * Returns frames whose pins went away to the free list, and reclaims slots of dead threads.
     *
     * @return frames freed.
     */
    public int reclaimIdle()
    {
        slots.reclaimDead();
        frameLock.lock();
        try
        {
            int freed = 0;
            for (int i = zombieFrames.size() - 1; i >= 0; i--)
            {
                final int frame = zombieFrames.getInt(i);
                if (!pins.isPinned(frame))
                {
                    zombieFrames.removeAt(i);
                    freeFrames.addInt(frame);
                    freed++;
                }
            }
            return freed;
        }
        finally
        {
            frameLock.unlock();
        }
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
