package io.splitheap.protocol.runtime;

import io.splitheap.protocol.exceptions.SplitheapException;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentHostTest
{
    @Test
    void shouldExitLoudlyWhenADutyCycleThrowsAnError() throws Exception
    {
        final List<Throwable> errors = new ArrayList<>();
        final AtomicInteger exits = new AtomicInteger();
        final AgentHost.FatalGuard guard = new AgentHost.FatalGuard(new Agent()
        {
            private int calls;

            public int doWork()
            {
                if (++calls == 2)
                {
                    throw new OutOfMemoryError("Java heap space");
                }
                return 1;
            }

            public String roleName()
            {
                return "test-node";
            }
        }, errors::add, exits::incrementAndGet);

        assertEquals(1, guard.doWork());
        assertThrows(AgentTerminationException.class, guard::doWork);
        assertEquals(1, exits.get(), "the JVM is told to exit");
        assertEquals(SplitheapException.Category.FATAL, ((SplitheapException)errors.get(0)).category());
        assertTrue(errors.get(0).getMessage().contains("test-node"));
    }

    @Test
    void shouldLeaveExceptionsToTheErrorHandler()
    {
        final AgentHost.FatalGuard guard = new AgentHost.FatalGuard(new Agent()
        {
            public int doWork()
            {
                throw new IllegalStateException("a bad request");
            }

            public String roleName()
            {
                return "test-node";
            }
        }, errors -> errors.getMessage(), () ->
        {
            throw new AssertionError("no exit for an exception");
        });
        assertThrows(IllegalStateException.class, guard::doWork);
    }
}
