package io.splitheap.samples.support;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WorkersTest
{
    @Test
    void shouldRunEveryTaskExactlyOnce()
    {
        for (final int threads : new int[]{ 1, 2, 3, 8 })
        {
            final AtomicIntegerArray runs = new AtomicIntegerArray(100);
            Workers.forEach(threads, runs.length(), runs::incrementAndGet);
            for (int t = 0; t < runs.length(); t++)
            {
                assertEquals(1, runs.get(t), "task " + t + " with " + threads + " threads");
            }
        }
    }

    @Test
    void shouldRethrowFailureOfAWorker()
    {
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () ->
            Workers.forEach(3, 10, (final int t) ->
            {
                if (t == 7)
                {
                    throw new IllegalStateException("task 7");
                }
            }));
        assertEquals("task 7", ex.getMessage());
    }

    @Test
    void shouldRethrowErrorsUnwrapped()
    {
        assertThrows(AssertionError.class, () -> Workers.forEach(2, 4, (final int t) ->
        {
            throw new AssertionError("boom");
        }));
    }
}
