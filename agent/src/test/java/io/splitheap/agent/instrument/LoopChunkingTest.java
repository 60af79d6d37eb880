package io.splitheap.agent.instrument;

import io.splitheap.agent.TestFarMemory;
import io.splitheap.fixtures.LoopPrograms;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loops the chunker versions, run as written and rewritten with every array far in an ExCache of 16 lines (so loops
 * evict and refetch lines while they run): the same result, or the same exception with the same message (a helpful
 * {@code NullPointerException} names the helper's variable instead of the program's); and the chunked version did
 * run.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LoopChunkingTest
{
    private static TestFarMemory farMemory;
    private static Class<?> rewritten;

    @BeforeAll
    static void rewrite() throws ClassNotFoundException
    {
        farMemory = new TestFarMemory(16 * 4096, "fifo");
        rewritten = new RewritingClassLoader("io.splitheap.fixtures").loadClass(LoopPrograms.class.getName());
    }

    @AfterAll
    static void close()
    {
        farMemory.close();
    }

    static Stream<Arguments> programs()
    {
        final List<Arguments> cases = new ArrayList<>();
        for (final int n : new int[]{0, 1, 7, 512, 513, 5000, 20000})
        {
            for (final String name : new String[]{"sum", "fill", "compound", "copyAndWiden", "mixed", "narrow",
                "breakAndContinue", "returnInside", "throwInside", "pastTheEnd", "pastTheEndCaught", "nullArray",
                "limits", "nested", "otherShapes"})
            {
                cases.add(Arguments.of(name, n));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}({1})")
    @MethodSource("programs")
    void shouldComputeWhatTheProgramComputesWithoutTheAgent(final String name, final int n) throws Exception
    {
        assertEquals(run(LoopPrograms.class, name, n), run(rewritten, name, n));
    }

    @Test
    void shouldRunLoopsOverFarArraysInChunks() throws Exception
    {
        final long before = farMemory.cache().chunks();
        assertEquals(run(LoopPrograms.class, "sum", 20000), run(rewritten, "sum", 20000));
        final long chunks = farMemory.cache().chunks() - before;
        assertTrue(chunks >= 2 * 20000 * 8 / 4096, "chunks of the fill and sum loops: " + chunks);
    }

    @Test
    void shouldReleaseEveryPinWhenLoopsEndOrThrow() throws Exception
    {
        for (final String name : new String[]{"breakAndContinue", "returnInside", "throwInside", "pastTheEndCaught"})
        {
            run(rewritten, name, 20000);
        }
        farMemory.cache().reclaimIdle();
        assertTrue(farMemory.cache().toString() != null);
        final String census = io.splitheap.agent.excache.ExCacheProbe.census(farMemory.cache());
        assertTrue(census.contains(" 0 pinned"), census);
    }

    private static String run(final Class<?> type, final String name, final int n) throws Exception
    {
        final Method method = type.getMethod(name, int.class);
        try
        {
            return String.valueOf(method.invoke(null, n));
        }
        catch (final InvocationTargetException ex)
        {
            final Throwable cause = ex.getCause();
            // helpful NullPointerException messages name the variable: the rewritten access is in a helper method
            final String message = cause instanceof NullPointerException && cause.getMessage() != null ?
                cause.getMessage().replaceAll(" because \".*\" is null", "") : cause.getMessage();
            return cause.getClass().getName() + ": " + message;
        }
    }
}
