package io.splitheap.memorynode.internal;

import io.splitheap.protocol.exceptions.SplitheapException;
import org.agrona.ErrorHandler;

import java.io.File;

/**
 * Opens a node's {@link PageStore} once the node is registered, on a thread of its own: a node that cannot join
 * the cluster leaves no page file behind, and the open (1.4–2.4 s on first creation, Chronicle Map compiles code)
 * does not hold up the heartbeats of the node's duty cycle. Until the store is open, it reads as empty.
 */
public final class PageStoreOpener implements AutoCloseable
{
    private final File file;
    private final long capacityPages;
    private final ErrorHandler errorHandler;
    private Thread thread;
    private volatile PageStore store;
    private volatile RuntimeException failure;
    private volatile boolean closed;

    /**
     * An opener of a store not yet opened.
     *
     * @param file          the persisted map.
     * @param capacityPages most pages stored at once.
     * @param errorHandler  told if the store cannot be opened (the node then serves no requests).
     */
    public PageStoreOpener(final File file, final long capacityPages, final ErrorHandler errorHandler)
    {
        this.file = file;
        this.capacityPages = capacityPages;
        this.errorHandler = errorHandler;
    }

    /**
     * Starts opening the store, once; later calls do nothing.
     */
    public synchronized void open()
    {
        if (thread != null || closed)
        {
            return;
        }
        thread = new Thread(this::run, "splitheap-page-store-open");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The store once open.
     *
     * @return the store, null until it is open.
     */
    public PageStore store()
    {
        return store;
    }

    /**
     * Why the store could not be opened.
     *
     * @return the failure, null if none (yet).
     */
    public RuntimeException failure()
    {
        return failure;
    }

    /**
     * Pages stored, a snapshot for heartbeats and reports.
     *
     * @return count, 0 until the store is open.
     */
    public long usedPages()
    {
        final PageStore current = store;
        return current == null ? 0 : current.usedPages();
    }

    /**
     * Most pages stored at once.
     *
     * @return count, 0 until the store is open.
     */
    public long peakPages()
    {
        final PageStore current = store;
        return current == null ? 0 : current.peakPages();
    }

    /**
     * Compactions of the store since it was opened.
     *
     * @return count, 0 until the store is open.
     */
    public long compactions()
    {
        final PageStore current = store;
        return current == null ? 0 : current.compactions();
    }

    /**
     * Waits for an open in progress, then closes the store if it was opened.
     */
    public void close()
    {
        final Thread opening;
        synchronized (this)
        {
            closed = true;
            opening = thread;
        }
        if (opening != null)
        {
            try
            {
                opening.join();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        final PageStore current = store;
        if (current != null)
        {
            current.close();
        }
    }

    private void run()
    {
        try
        {
            store = new PageStore(file, capacityPages);
        }
        catch (final RuntimeException ex)
        {
            failure = ex instanceof SplitheapException ? ex : new SplitheapException(
                "cannot open page store file=" + file + ": " + ex, SplitheapException.Category.FATAL, ex);
            errorHandler.onError(failure);
        }
    }
}
