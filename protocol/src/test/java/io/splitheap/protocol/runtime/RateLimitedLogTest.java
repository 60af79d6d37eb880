package io.splitheap.protocol.runtime;

import io.splitheap.protocol.exceptions.SplitheapException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Routine events are logged at INFO, once per interval, with a count of those suppressed.
 */
class RateLimitedLogTest
{
    @Test
    void shouldLogRoutineEventsAtInfoOncePerInterval()
    {
        final List<Throwable> logged = new ArrayList<>();
        final RateLimitedLog log = new RateLimitedLog(logged::add, 1_000);
        log.info(0, () -> "late");
        log.info(500, () -> "late");
        log.info(900, () -> "late");
        log.info(1_000, () -> "late again");
        assertEquals(2, logged.size());
        assertEquals(SplitheapException.Category.INFO, ((SplitheapException)logged.get(0)).category());
        assertEquals("late again (2 similar suppressed)", logged.get(1).getMessage());
        log.warn(3_000, () -> "attack");
        assertEquals(SplitheapException.Category.WARN, ((SplitheapException)logged.get(2)).category());
    }
}
