package io.splitheap.protocol.runtime;

import io.splitheap.protocol.exceptions.SplitheapException;
import org.agrona.ErrorHandler;

import java.util.concurrent.TimeUnit;

/**
 * Logs one kind of event at most once per interval, saying how many were suppressed in between: traffic an
 * attacker controls, and routine events of a loaded host (late heartbeats), must not turn into unbounded log
 * output. Single-threaded.
 */
public final class RateLimitedLog
{
    private static final long DEFAULT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(10);

    private final ErrorHandler errorHandler;
    private final long intervalNs;
    private long lastLoggedNs;
    private boolean logged;
    private long suppressed;

    /**
     * A log that reports at most once every 10 s.
     *
     * @param errorHandler where reports go.
     */
    public RateLimitedLog(final ErrorHandler errorHandler)
    {
        this(errorHandler, DEFAULT_INTERVAL_NS);
    }

    /**
     * A log.
     *
     * @param errorHandler where reports go.
     * @param intervalNs   least time between reports.
     */
    public RateLimitedLog(final ErrorHandler errorHandler, final long intervalNs)
    {
        this.errorHandler = errorHandler;
        this.intervalNs = intervalNs;
    }

    /**
     * Reports an event if the interval has passed since the last report, else counts it.
     *
     * @param nowNs   current nano time.
     * @param message what happened (built only when reported: pass a cheap supplier).
     */
    public void warn(final long nowNs, final java.util.function.Supplier<String> message)
    {
        log(nowNs, message, SplitheapException.Category.WARN);
    }

    /**
     * Reports a routine event (logged at INFO, not counted as an error) if the interval has passed since the last
     * report, else counts it.
     *
     * @param nowNs   current nano time.
     * @param message what happened (built only when reported: pass a cheap supplier).
     */
    public void info(final long nowNs, final java.util.function.Supplier<String> message)
    {
        log(nowNs, message, SplitheapException.Category.INFO);
    }

    private void log(
        final long nowNs, final java.util.function.Supplier<String> message, final SplitheapException.Category category)
    {
        if (logged && nowNs - lastLoggedNs < intervalNs)
        {
            suppressed++;
            return;
        }
        final String text = message.get() + (suppressed > 0 ? " (" + suppressed + " similar suppressed)" : "");
        logged = true;
        lastLoggedNs = nowNs;
        suppressed = 0;
        errorHandler.onError(new SplitheapException(text, category, null));
    }
}
