package io.splitheap.protocol.transport;

import io.splitheap.protocol.CommonConfiguration;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Idle strategies that leave the CPU to the application: a few spins, a few yields, then parks growing to a
 * configured maximum. Busy spinning is never used; on two cores it starves the media driver.
 */
public final class IdleStrategies
{
    private static final int MAX_SPINS = 10;
    // validated when a component or the agent starts (ComponentContext, RemoteBackend), so this cannot fail here
    private static final int MAX_YIELDS = CommonConfiguration.idleYields(Map.of());
    private static final long MIN_PARK_NS = 1_000;

    private IdleStrategies()
    {
    }

    /**
     * A backoff strategy.
     *
     * @param maxParkNs the longest park.
     * @return a new strategy (they hold state: one per thread).
     */
    public static IdleStrategy backoff(final long maxParkNs)
    {
        return new BackoffIdleStrategy(MAX_SPINS, MAX_YIELDS, MIN_PARK_NS, Math.max(MIN_PARK_NS, maxParkNs));
    }

    /**
     * One step of an allocation-free backoff for a loop that waits for a condition: a few spins, then yields, then
     * parks of {@code parkNs}. For waits on the caller's own thread (a miss waiting for its reply), where a
     * per-thread {@link IdleStrategy} would be state to keep.
     *
     * @param idle   how many times in a row the loop found nothing to do, from 1.
     * @param parkNs how long to park once spinning and yielding did not help.
     */
    public static void pause(final int idle, final long parkNs)
    {
        if (idle < 50)
        {
            Thread.onSpinWait();
        }
        else if (idle < 100)
        {
            Thread.yield();
        }
        else
        {
            LockSupport.parkNanos(parkNs);
        }
    }
}
