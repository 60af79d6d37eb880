package io.splitheap.agent.core;

import io.splitheap.agent.backend.NodeUnavailableException;
import io.splitheap.protocol.runtime.RateLimitedLog;
import org.agrona.ErrorHandler;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

/**
 * The failed requests of one kind (write-backs, frees) that the housekeeper puts aside and sends again: their
 * completions, on whichever thread polls, report each failure here once the request is put aside; the housekeeper's
 * thread asks whether the next attempt is due ({@link RetryBackoff}), and an unavailable node is reported at most
 * once every 10 s.
 */
final class Deferral
{
    private final String what;
    private final RetryBackoff backoff;
    private final RateLimitedLog log;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicReference<Throwable> unavailable = new AtomicReference<>();
    private long failuresSeen;

    /**
     * A deferral.
     *
     * @param what         what is deferred, for the log ("write-backs").
     * @param routesMoved  the backend's {@code routesMoved()} now.
     * @param errorHandler where the WARN lines go.
     */
    Deferral(final String what, final long routesMoved, final ErrorHandler errorHandler)
    {
        this.what = what;
        this.backoff = new RetryBackoff(routesMoved);
        this.log = new RateLimitedLog(errorHandler);
    }

    /**
     * A request failed and was put aside (any thread).
     *
     * @param error why.
     */
    void failed(final Throwable error)
    {
        if (error instanceof NodeUnavailableException)
        {
            unavailable.set(error);
        }
        failures.incrementAndGet();
    }

    /**
     * Whether what was put aside may be sent again now (the housekeeper's thread): failures reported since the last
     * call start the next delay.
     *
     * @param nowNs       current nano time.
     * @param routesMoved the backend's {@code routesMoved()} now.
     * @param waiting     how many are put aside, for the log (asked only when it logs).
     * @return true if due.
     */
    boolean due(final long nowNs, final long routesMoved, final IntSupplier waiting)
    {
        final long seen = failures.get();
        if (seen != failuresSeen)
        {
            failuresSeen = seen;
            backoff.failed(nowNs);
            final Throwable cause = unavailable.getAndSet(null);
            if (cause != null)
            {
                final int count = waiting.getAsInt();
                final long retryInMs = TimeUnit.NANOSECONDS.toMillis(backoff.remainingNs(nowNs));
                log.warn(nowNs, () -> count + " " + what + " deferred: " + cause.getMessage() + "; sent again in " +
                    retryInMs + "ms (backoff up to " + TimeUnit.NANOSECONDS.toMillis(RetryBackoff.MAX_DELAY_NS) +
                    "ms), at once when a new route arrives; lines to write back stay in the local write-back buffer " +
                    "and are read from there meanwhile");
            }
        }
        return backoff.due(nowNs, routesMoved);
    }
}
