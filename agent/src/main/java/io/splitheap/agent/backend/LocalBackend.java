package io.splitheap.agent.backend;

import io.splitheap.protocol.FarAddress;
import io.splitheap.protocol.codecs.ErrorCode;
import io.splitheap.protocol.exceptions.RemoteException;
import io.splitheap.protocol.transport.IdleStrategies;
import org.agrona.UnsafeApi;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Far memory kept in this JVM, off-heap, page by page: no cluster, no network. For tests of the rewriting and the
 * ExCache, for benchmarks of the hit path, and as the debugging mode {@code coordinator=local}. It checks that every
 * access lies in an allocated range, as a memory node would.
 */
public final class LocalBackend implements PageBackend
{
    private static final long BASE = 1L << 30;

    private final Long2ObjectHashMap<long[]> pages = new Long2ObjectHashMap<>();
    private final TreeMap<Long, Long> ranges = new TreeMap<>();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private long next = BASE;
    private final long alignment;
    private final long capacityBytes;
    private long mappedBytes;
    private volatile Runnable readHook;

    /**
     * A local backend.
     *
     * @param alignment alignment of allocated ranges (the line size).
     */
    public LocalBackend(final long alignment)
    {
        this(alignment, Long.MAX_VALUE);
    }

    /**
     * A local backend that, like a cluster, refuses to map more than a capacity.
     *
     * @param alignment     alignment of allocated ranges (the line size).
     * @param capacityBytes most bytes mapped at once; beyond it allocation fails with {@code CAPACITY_EXCEEDED}.
     */
    public LocalBackend(final long alignment, final long capacityBytes)
    {
        this.alignment = alignment;
        this.capacityBytes = capacityBytes;
    }

    /**
     * {@inheritDoc}
     */
    public synchronized long allocate(final long length)
    {
        if (length > capacityBytes - mappedBytes)
        {
            throw new RemoteException(ErrorCode.CAPACITY_EXCEEDED, 0, 0, "no memory node has " + length +
                " bytes free (local capacity " + capacityBytes + ", " + mappedBytes + " mapped)");
        }
        mappedBytes += length;
        final long address = next;
        next += (length + alignment - 1) / alignment * alignment + alignment;
        ranges.put(address, address + length);
        return address;
    }

    /**
     * {@inheritDoc}
     */
    public synchronized void unmap(final long address, final long length)
    {
        checkMapped(address, length);
        mappedBytes -= ranges.remove(address) - address;
        discard(address, length);
    }

    /**
     * {@inheritDoc}
     */
    public void readLine(final long address, final long dstAddress, final int length)
    {
        reads.incrementAndGet();
        final Runnable hook = readHook;
        if (hook != null)
        {
            hook.run();
        }
        synchronized (this)
        {
            checkMapped(address, length);
            for (int offset = 0; offset < length; offset += FarAddress.PAGE_SIZE)
            {
                final long[] page = pages.get(FarAddress.pageNumber(address + offset));
                if (page == null)
                {
                    UnsafeApi.setMemory(dstAddress + offset, FarAddress.PAGE_SIZE, (byte)0);
                }
                else
                {
                    UnsafeApi.copyMemory(page, UnsafeApi.arrayBaseOffset(long[].class), null, dstAddress + offset,
                        FarAddress.PAGE_SIZE);
                }
            }
        }
    }

    /**
     * {@inheritDoc}
     */
    public boolean readLineAsync(
        final long address, final long dstAddress, final int length, final Completion completion)
    {
        Throwable error = null;
        try
        {
            readLine(address, dstAddress, length);
        }
        catch (final RuntimeException ex)
        {
            error = ex;
        }
        completion.complete(error);
        return true;
    }

    /**
     * {@inheritDoc}
     */
    public void writeLinesAsync(
        final long[] addresses,
        final long[] sourceAddresses,
        final int count,
        final int length,
        final Completion completion)
    {
        Throwable error = null;
        try
        {
            synchronized (this)
            {
                for (int i = 0; i < count; i++)
                {
                    checkMapped(addresses[i], length);
                    for (int offset = 0; offset < length; offset += FarAddress.PAGE_SIZE)
                    {
                        final long pageNumber = FarAddress.pageNumber(addresses[i] + offset);
                        long[] page = pages.get(pageNumber);
                        if (page == null)
                        {
                            page = new long[FarAddress.PAGE_SIZE / Long.BYTES];
                            pages.put(pageNumber, page);
                        }
                        UnsafeApi.copyMemory(null, sourceAddresses[i] + offset, page,
                            UnsafeApi.arrayBaseOffset(long[].class), FarAddress.PAGE_SIZE);
                    }
                    writes.incrementAndGet();
                }
            }
        }
        catch (final RuntimeException ex)
        {
            error = ex;
        }
        completion.complete(error);
    }

    /**
     * {@inheritDoc}
     */
    public void freePagesAsync(final long address, final long length, final Completion completion)
    {
        synchronized (this)
        {
            checkMapped(address, length);
            discard(address, length);
        }
        completion.complete(null);
    }

    /**
     * {@inheritDoc}
     */
    public boolean await(final BooleanSupplier condition, final long timeoutNs, final String what)
    {
        final long deadline = System.nanoTime() + Math.min(timeoutNs, Long.MAX_VALUE / 4);
        int spins = 0;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
            IdleStrategies.pause(++spins, 10_000);
        }
        return true;
    }

    /**
     * {@inheritDoc}
     */
    public int poll()
    {
        return 0;
    }

    /**
     * {@inheritDoc}
     */
    public String describe(final long address)
    {
        return "node=local (in-process)";
    }

    /**
     * {@inheritDoc}
     */
    public synchronized List<NodeUsage> nodeUsage()
    {
        return List.of(new NodeUsage(0, pages.size(), pages.size(), "local"));
    }

    /**
     * Runs a hook at the start of every line read, outside any lock (tests use it to hold reads in flight).
     *
     * @param hook the hook, or null.
     */
    public void readHook(final Runnable hook)
    {
        this.readHook = hook;
    }

    /**
     * Lines read so far.
     *
     * @return count.
     */
    public long reads()
    {
        return reads.get();
    }

    /**
     * Lines written so far.
     *
     * @return count.
     */
    public long writes()
    {
        return writes.get();
    }

    /**
     * Pages stored.
     *
     * @return count.
     */
    public synchronized int storedPages()
    {
        return pages.size();
    }

    /**
     * Releases everything.
     */
    public synchronized void close()
    {
        pages.clear();
        ranges.clear();
    }

    private void checkMapped(final long address, final long length)
    {
        final Map.Entry<Long, Long> range = ranges.floorEntry(address);
        if (range == null || range.getValue() < address + length)
        {
            throw new IllegalStateException("address=" + FarAddress.format(address) + " length=" + length +
                " is not mapped");
        }
    }

    private void discard(final long address, final long length)
    {
        for (long offset = 0; offset < length; offset += FarAddress.PAGE_SIZE)
        {
            pages.remove(FarAddress.pageNumber(address + offset));
        }
    }
}
