package io.splitheap.agent;

import io.splitheap.agent.backend.PageBackend;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A backend that passes every call to another, for tests that change one behaviour (answers withheld, failures).
 */
public class ForwardingBackend implements PageBackend
{
    private final PageBackend backend;

    /**
     * A forwarding backend.
     *
     * @param backend the backend that does the work.
     */
    public ForwardingBackend(final PageBackend backend)
    {
        this.backend = backend;
    }

    /**
     * {@inheritDoc}
     */
    public long allocate(final long length)
    {
        return backend.allocate(length);
    }

    /**
     * {@inheritDoc}
     */
    public void unmap(final long address, final long length)
    {
        backend.unmap(address, length);
    }

    /**
     * {@inheritDoc}
     */
    public void readLine(final long address, final long dstAddress, final int length)
    {
        backend.readLine(address, dstAddress, length);
    }

    /**
     * {@inheritDoc}
     */
    public boolean readLineAsync(final long address, final long dstAddress, final int length,
        final Completion completion)
    {
        return backend.readLineAsync(address, dstAddress, length, completion);
    }

    /**
     * {@inheritDoc}
     */
    public void writeLinesAsync(final long[] addresses, final long[] sourceAddresses, final int count,
        final int length, final Completion completion)
    {
        backend.writeLinesAsync(addresses, sourceAddresses, count, length, completion);
    }

    /**
     * {@inheritDoc}
     */
    public void freePagesAsync(final long address, final long length, final Completion completion)
    {
        backend.freePagesAsync(address, length, completion);
    }

    /**
     * {@inheritDoc}
     */
    public long routesMoved()
    {
        return backend.routesMoved();
    }

    /**
     * {@inheritDoc}
     */
    public boolean await(final BooleanSupplier condition, final long timeoutNs, final String what)
    {
        return backend.await(condition, timeoutNs, what);
    }

    /**
     * {@inheritDoc}
     */
    public int poll()
    {
        return backend.poll();
    }

    /**
     * {@inheritDoc}
     */
    public String describe(final long address)
    {
        return backend.describe(address);
    }

    /**
     * {@inheritDoc}
     */
    public List<NodeUsage> nodeUsage()
    {
        return backend.nodeUsage();
    }

    /**
     * {@inheritDoc}
     */
    public void close()
    {
        backend.close();
    }
}
