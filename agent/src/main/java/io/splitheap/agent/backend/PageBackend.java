package io.splitheap.agent.backend;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Where far memory lives, as the ExCache and the allocator see it: an address space of lines on memory nodes.
 * Blocking calls are made by application threads on misses; completions of asynchronous calls run on whichever
 * thread drives progress ({@link #await}).
 */
public interface PageBackend extends AutoCloseable
{
    /**
     * Completion of an asynchronous call.
     */
    @FunctionalInterface
    interface Completion
    {
        /**
         * The call finished.
         *
         * @param error null on success, else why it failed.
         */
        void complete(Throwable error);
    }

    /**
     * Reserves far address space on memory nodes.
     *
     * @param length bytes (a multiple of the page size).
     * @return the first address.
     */
    long allocate(long length);

    /**
     * Releases a range obtained from {@link #allocate(long)}.
     *
     * @param address first address.
     * @param length  bytes.
     */
    void unmap(long address, long length);

    /**
     * Reads a line into memory, zeros where never written.
     *
     * @param address    far address of the line.
     * @param dstAddress native address to copy into.
     * @param length     line length.
     */
    void readLine(long address, long dstAddress, int length);

    /**
     * Starts reading a line (prefetch).
     *
     * @param address    far address of the line.
     * @param dstAddress native address to copy into; must stay valid until completion.
     * @param length     line length.
     * @param completion called when the data is in place or the read failed.
     * @return false if it could not be started now.
     */
    boolean readLineAsync(long address, long dstAddress, int length, Completion completion);

    /**
     * How many bytes of readahead may be in flight at once: replies that no thread has polled yet wait in the
     * transport, and must not fill its window.
     *
     * @return bytes.
     */
    default long readaheadBudgetBytes()
    {
        return Long.MAX_VALUE;
    }

    /**
     * Starts reading consecutive lines (readahead), each into its own place; the completion runs once, after all.
     *
     * @param address       far address of the first line.
     * @param dstAddresses  native addresses to copy line {@code i} into; must stay valid until completion.
     * @param count         lines.
     * @param lineSize      bytes per line.
     * @param completion    called when every line is in place or the read failed.
     * @return false if it could not be started now (then nothing was read and the completion never runs).
     */
    default boolean readLinesAsync(
        final long address, final long[] dstAddresses, final int count, final int lineSize, final Completion completion)
    {
        if (count == 1)
        {
            return readLineAsync(address, dstAddresses[0], lineSize, completion);
        }
        try
        {
            for (int i = 0; i < count; i++)
            {
                readLine(address + (long)i * lineSize, dstAddresses[i], lineSize);
            }
        }
        catch (final RuntimeException ex)
        {
            completion.complete(ex);
            return true;
        }
        completion.complete(null);
        return true;
    }

    /**
     * Writes lines back.
     *
     * @param addresses       far addresses.
     * @param sourceAddresses native addresses of the data; must stay valid until completion.
     * @param count           number of lines.
     * @param length          line length.
     * @param completion      called once all are stored, or on the first failure; at once, with a
     *                        {@link NodeUnavailableException}, when a node cannot take them now.
     */
    void writeLinesAsync(long[] addresses, long[] sourceAddresses, int count, int length, Completion completion);

    /**
     * How many times the route of a vRegion has moved to another node or epoch (a failover). Write-backs and frees
     * that failed because their node was unavailable ({@link NodeUnavailableException}) wait with a backoff, and are
     * sent again at once when this changes.
     *
     * @return a count that only grows.
     */
    default long routesMoved()
    {
        return 0;
    }

    /**
     * Discards pages of dead data; the range stays mapped.
     *
     * @param address    first address.
     * @param length     bytes.
     * @param completion called when done.
     */
    void freePagesAsync(long address, long length, Completion completion);

    /**
     * Waits until a condition holds, processing replies meanwhile.
     *
     * @param condition what to wait for.
     * @param timeoutNs how long at most.
     * @param what      named in the error on timeout.
     * @return true if the condition holds, false on timeout.
     */
    boolean await(BooleanSupplier condition, long timeoutNs, String what);

    /**
     * Processes replies that arrived, if no other thread is doing so.
     *
     * @return replies processed.
     */
    int poll();

    /**
     * Periodic duties (heartbeats, timeouts), called by the heartbeat thread ({@code splitheap-heartbeats}).
     *
     * @param nowNs current nano time.
     * @return work done.
     */
    default int doWork(final long nowNs)
    {
        return 0;
    }

    /**
     * Names the node holding an address, for error messages.
     *
     * @param address far address.
     * @return for example {@code node=2 (127.0.0.1:40123)}.
     */
    String describe(long address);

    /**
     * Pages held for this process on each memory node.
     *
     * @return one entry per node.
     */
    List<NodeUsage> nodeUsage();

    /**
     * Leaves the cluster and releases resources.
     */
    void close();

    /**
     * Pages a memory node holds.
     *
     * @param nodeId       node id.
     * @param processPages pages of this process.
     * @param totalPages   pages of all processes.
     * @param transport    how this process reaches it: ipc (shared memory), udp or local.
     */
    record NodeUsage(int nodeId, long processPages, long totalPages, String transport)
    {
    }
}
