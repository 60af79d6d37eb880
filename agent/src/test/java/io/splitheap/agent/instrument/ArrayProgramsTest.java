package io.splitheap.agent.instrument;

import io.splitheap.agent.TestFarMemory;
import io.splitheap.fixtures.ArrayPrograms;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs each program of {@link ArrayPrograms} as written and rewritten (every primitive array far, an ExCache of 16
 * lines so that the larger cases evict and write back) and requires the same result or the same exception.
 */
class ArrayProgramsTest
{
    private static TestFarMemory farMemory;
    private static Class<?> rewritten;

    @BeforeAll
    static void rewrite() throws ClassNotFoundException
    {
        farMemory = new TestFarMemory(16 * 4096, "fifo");
        rewritten = new RewritingClassLoader("io.splitheap.fixtures").loadClass(ArrayPrograms.class.getName());
    }

    @AfterAll
    static void close()
    {
        farMemory.close();
    }

    static Stream<Arguments> programs()
    {
        final List<Arguments> cases = new ArrayList<>();
        for (final int n : new int[]{1, 7, 1000, 5000})
        {
            for (final String name : new String[]{"longs", "ints", "shorts", "chars", "bytes", "booleans", "floats",
                "doubles", "untouchedReadsZero", "cloneIsIndependent", "multiDimensional", "identityAndCollections",
                "jdkString", "jdkArrays", "byteBufferKeepsArray", "inheritedJdkMethod", "reflectArray", "serialization",
                "sorts", "arraysFillCopyEqualsHash", "rowsToTheJdk", "jdkStreamsDigestsAndCiphers", "serializeGraph",
                "serializeThroughInterfacesAndSubclasses",
                "arraysSearchStreamsAndText", "arraysCompareAndPrefix",
                "negativeSize",
                "arraycopyTypeMismatch", "arraycopyIntoObjects", "arraycopyNotAnArray", "arraycopyNull",
                "multiNegative"})
            {
                final boolean needsEight =
                    name.startsWith("jdk") || name.startsWith("byteBuffer") || name.startsWith("inherited") ||
                    name.startsWith("reflect") || name.startsWith("sorts") || name.startsWith("arrays");
                if (n >= 8 || !needsEight)
                {
                    cases.add(Arguments.of(name, new Object[]{n}));
                }
            }
        }
        cases.add(Arguments.of("negativeSize", new Object[]{-3}));
        for (final int[] index : new int[][]{{10, -1}, {10, 10}, {5000, 4999}, {5000, 5000}, {5000, Integer.MIN_VALUE}})
        {
            cases.add(Arguments.of("readLongAt", new Object[]{index[0], index[1]}));
            cases.add(Arguments.of("writeIntAt", new Object[]{index[0], index[1]}));
            cases.add(Arguments.of("readByteAt", new Object[]{index[0], index[1]}));
            cases.add(Arguments.of("writeBooleanAt", new Object[]{index[0], index[1]}));
        }
        for (final int[] copy : new int[][]{
            {5000, 0, 0, 5000}, {5000, 10, 2000, 1500}, {5000, 4000, 0, 1000}, {5000, 0, 1, 0}, {5000, -1, 0, 1},
            {5000, 0, -1, 1}, {5000, 0, 0, -1}, {5000, 4990, 0, 11}, {5000, 0, 4990, 11}, {10, 5, 5, 5}})
        {
            for (final String name : new String[]{"arraycopyFarToFar", "arraycopyFarToHeap", "arraycopyHeapToFar",
                "arraycopyOverlapping"})
            {
                cases.add(Arguments.of(name, new Object[]{copy[0], copy[1], copy[2], copy[3]}));
            }
        }
        for (final int[] overlap : new int[][]{{5000, 0, 1, 4999}, {5000, 1, 0, 4999}, {5000, 100, 1100, 3000},
            {5000, 1100, 100, 3000}})
        {
            cases.add(Arguments.of("arraycopyOverlapping", new Object[]{overlap[0], overlap[1], overlap[2],
                overlap[3]}));
        }
        for (final String name : new String[]{"nullLoad", "nullStore", "nullLength"})
        {
            cases.add(Arguments.of(name, new Object[0]));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}{1}")
    @MethodSource("programs")
    void shouldBehaveExactlyAsWithoutTheAgent(final String program, final Object[] args) throws Exception
    {
        assertEquals(run(ArrayPrograms.class, program, args), run(rewritten, program, args));
    }

    @Test
    void shouldHaveRunOnFarArraysWithEvictionsAndWriteBacks() throws Exception
    {
        final long before = farMemory.farMemory().farArrays();
        run(rewritten, "longs", new Object[]{20_000});
        assertTrue(farMemory.farMemory().farArrays() > before, "the rewritten program allocated far arrays");
        assertTrue(farMemory.cache().stats().evictions() > 0, "a 20,000-element array evicts from a 16-line cache");
        assertTrue(farMemory.cache().stats().writeBacks() > 0, "dirty lines were written back");
        assertTrue(farMemory.cache().stats().misses() > 0, "evicted lines were fetched again");
    }

    @Test
    void shouldKeepFarArraysFarWhenTheJdkUsesThemOnlyByIdentity() throws Exception
    {
        final long localizations = farMemory.cache().stats().localizations();
        final long farArrays = farMemory.farMemory().farArrays();
        assertEquals("returned true true true true true 5000 5", run(rewritten, "identityAndCollections",
            new Object[]{5000}));
        assertTrue(farMemory.farMemory().farArrays() > farArrays, "the program's array was far");
        assertEquals(localizations, farMemory.cache().stats().localizations(),
            "a far array put in a list, compared and hashed is not moved to the heap");
    }

    @Test
    void shouldCompareAndCumulateFarArraysWithoutMovingThem() throws Exception
    {
        final Class<?> fresh =
            new RewritingClassLoader("io.splitheap.fixtures").loadClass(ArrayPrograms.class.getName());
        final long localizations = farMemory.cache().stats().localizations();
        final long farArrays = farMemory.farMemory().farArrays();
        assertEquals(run(ArrayPrograms.class, "arraysCompareAndPrefix", new Object[]{20_000}),
            run(fresh, "arraysCompareAndPrefix", new Object[]{20_000}));
        assertTrue(farMemory.farMemory().farArrays() > farArrays, "the program's arrays were far");
        assertEquals(localizations, farMemory.cache().stats().localizations(),
            "compare, ranges of equals and mismatch, parallelPrefix, parallelSetAll, spliterator and reflect.Array " +
            "work on far arrays where they are");
    }

    static String run(final Class<?> type, final String program, final Object[] args) throws Exception
    {
        final Method method = find(type, program, args.length);
        try
        {
            return "returned " + method.invoke(null, args);
        }
        catch (final InvocationTargetException ex)
        {
            final Throwable cause = ex.getCause();
            String message = String.valueOf(cause.getMessage());
            if (cause instanceof NullPointerException && message.contains(" because "))
            {
                message = message.substring(0, message.indexOf(" because "));
            }
            return "threw " + cause.getClass().getName() + ": " + message;
        }
    }

    private static Method find(final Class<?> type, final String name, final int parameters)
    {
        for (final Method method : type.getDeclaredMethods())
        {
            if (method.getName().equals(name) && method.getParameterCount() == parameters)
            {
                method.setAccessible(true);
                return method;
            }
        }
        throw new IllegalArgumentException("no program " + name + "/" + parameters);
    }
}
