package io.splitheap.agent.core;

import java.util.concurrent.TimeUnit;

/**
 * When to send again what a node could not take (write-backs or frees to a node that died or is being failed over):
 * a bounded exponential backoff, {@link #MIN_DELAY_NS} doubling to {@link #MAX_DELAY_NS}, so that the sender neither
 * spins on a dead link (two shared cores) nor waits long once the node is back. A route that moved (the failover's
 * new owner) makes the next attempt due at once and starts the delays again from the shortest; so does a failure
 * after a quiet spell, which begins a new outage. Used by one thread.
 */
final class RetryBackoff
{
    static final long MIN_DELAY_NS = TimeUnit.MILLISECONDS.toNanos(10);
    static final long MAX_DELAY_NS = TimeUnit.SECONDS.toNanos(1);

    private long delayNs = MIN_DELAY_NS;
    private long retryAtNs;
    private long lastFailureNs;
    private boolean failedBefore;
    private boolean waiting;
    private long routesSeen;

    /**
     * A backoff.
     *
     * @param routesMoved the backend's {@code routesMoved()} now, so that moves before this are not taken as news.
     */
    RetryBackoff(final long routesMoved)
    {
        this.routesSeen = routesMoved;
    }

    /**
     * An attempt failed: the next is due after the current delay, which then doubles (up to the longest).
     *
     * @param nowNs current nano time.
     */
    void failed(final long nowNs)
    {
        if (failedBefore && nowNs - lastFailureNs > 2 * MAX_DELAY_NS)
        {
            delayNs = MIN_DELAY_NS;
        }
        failedBefore = true;
        lastFailureNs = nowNs;
        retryAtNs = nowNs + delayNs;
        delayNs = Math.min(2 * delayNs, MAX_DELAY_NS);
        waiting = true;
    }

    /**
     * Whether the next attempt may go now: its delay passed, or a route moved since the last call.
     *
     * @param nowNs       current nano time.
     * @param routesMoved the backend's {@code routesMoved()} now.
     * @return true if due.
     */
    boolean due(final long nowNs, final long routesMoved)
    {
        if (routesMoved != routesSeen)
        {
            routesSeen = routesMoved;
            delayNs = MIN_DELAY_NS;
            waiting = false;
        }
        else if (waiting && nowNs - retryAtNs >= 0)
        {
            waiting = false;
        }
        return !waiting;
    }

    /**
     * How long until the pending attempt is due.
     *
     * @param nowNs current nano time.
     * @return nanoseconds, 0 if due.
     */
    long remainingNs(final long nowNs)
    {
        return waiting ? Math.max(0, retryAtNs - nowNs) : 0;
    }
}
