package io.splitheap.agent.runtime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The shared slow path of rewritten array accesses throws what the program's own access would, with message and stack
 * trace, however often it throws: the JIT must not turn it into a preallocated exception without either.
 */
class HeapChecksTest
{
    private static final int THROWS = 200_000;

    @Test
    void shouldKeepTheJvmMessagesWhenTheSlowPathThrowsOften()
    {
        final long[] three = new long[3];
        RuntimeException last = null;
        for (int i = 0; i < THROWS; i++)
        {
            last = thrown(() -> FarAccess.laloadFar(null, 0, 1));
            assertEquals("Cannot load from long array", last.getMessage(), "after " + i + " throws");
        }
        assertTrue(last.getStackTrace().length > 0, "a stack trace");
        for (int i = 0; i < THROWS; i++)
        {
            last = thrown(() -> FarAccess.lastoreFar(three, 5, 1L, 1));
            assertEquals("Index 5 out of bounds for length 3", last.getMessage(), "after " + i + " throws");
        }
        assertTrue(last.getStackTrace().length > 0, "a stack trace");
        last = thrown(() -> FarAccess.baloadFar(null, 0, 1));
        assertEquals("Cannot load from byte/boolean array", last.getMessage());
        last = thrown(() -> FarAccess.bastoreFar(new boolean[2], -1, 1, 1));
        assertEquals("Index -1 out of bounds for length 2", last.getMessage());
    }

    private static RuntimeException thrown(final Runnable access)
    {
        try
        {
            access.run();
        }
        catch (final NullPointerException | ArrayIndexOutOfBoundsException ex)
        {
            return ex;
        }
        return fail("the access did not throw");
    }
}
