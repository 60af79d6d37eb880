package io.splitheap.agent.core;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backoff of requests a node could not take, with the test's clock: 10 ms doubling to 1 s, at once on a route
 * move.
 */
class RetryBackoffTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void shouldDoubleTheDelayUpToTheLongest()
    {
        final RetryBackoff backoff = new RetryBackoff(0);
        long now = 1_000 * MS;
        assertTrue(backoff.due(now, 0), "nothing failed yet");
        final long[] expected = {10, 20, 40, 80, 160, 320, 640, 1000, 1000, 1000};
        for (final long delayMs : expected)
        {
            backoff.failed(now);
            assertFalse(backoff.due(now + delayMs * MS - 1, 0), "not before " + delayMs + "ms");
            now += delayMs * MS;
            assertTrue(backoff.due(now, 0), "due after " + delayMs + "ms");
        }
    }

    @Test
    void shouldBeDueAtOnceWhenARouteMovesAndStartAgainFromTheShortestDelay()
    {
        final RetryBackoff backoff = new RetryBackoff(7);
        long now = failUntilTheLongestDelay(backoff);
        backoff.failed(now);
        assertFalse(backoff.due(now + MS, 7), "waiting the longest delay");
        assertTrue(backoff.due(now + MS, 8), "a route moved: due at once");
        backoff.failed(now + 2 * MS);
        assertEquals(TimeUnit.MILLISECONDS.toNanos(10), backoff.remainingNs(now + 2 * MS), "from the shortest again");
    }

    @Test
    void shouldStartFromTheShortestDelayAfterAQuietSpell()
    {
        final RetryBackoff backoff = new RetryBackoff(0);
        long now = failUntilTheLongestDelay(backoff);
        now += TimeUnit.MINUTES.toNanos(1);
        backoff.failed(now);
        assertEquals(RetryBackoff.MIN_DELAY_NS, backoff.remainingNs(now), "a new outage starts from the shortest");
    }

    /**
     * Fails eight times a second apart (no quiet spell): the delay reaches its longest.
     */
    private static long failUntilTheLongestDelay(final RetryBackoff backoff)
    {
        long now = 0;
        for (int i = 0; i < 8; i++)
        {
            backoff.failed(now);
            now += RetryBackoff.MAX_DELAY_NS;
        }
        return now;
    }
}
