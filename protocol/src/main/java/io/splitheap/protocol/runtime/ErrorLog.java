package io.splitheap.protocol.runtime;

import io.splitheap.protocol.exceptions.SplitheapException;
import org.agrona.ErrorHandler;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A component's error handler: counts every error and prints it, with a UTC timestamp (ISO-8601), the component's
 * name and the level, to a stream.
 * Errors are never swallowed silently.
 */
public final class ErrorLog implements ErrorHandler
{
    private final String component;
    private final PrintStream out;
    private final AtomicLong errors = new AtomicLong();
    private volatile Throwable last;

    /**
     * An error log.
     *
     * @param component name printed before each error.
     * @param out       where to print.
     */
    public ErrorLog(final String component, final PrintStream out)
    {
        this.component = component;
        this.out = out;
    }

    /**
     * {@inheritDoc}
     */
    public void onError(final Throwable throwable)
    {
        final String category = throwable instanceof SplitheapException ?
            ((SplitheapException)throwable).category().name() : "ERROR";
        if (!"INFO".equals(category))
        {
            // routine events are logged, not counted
            errors.incrementAndGet();
            last = throwable;
        }
        synchronized (out)
        {
            out.println(java.time.Instant.now() + " [" + component + "] " + category + " " + throwable);
            if (!(throwable instanceof SplitheapException))
            {
                throwable.printStackTrace(out);
            }
        }
    }

    /**
     * Errors seen.
     *
     * @return count.
     */
    public long errorCount()
    {
        return errors.get();
    }

    /**
     * The last error seen.
     *
     * @return the error or null.
     */
    public Throwable lastError()
    {
        return last;
    }
}
