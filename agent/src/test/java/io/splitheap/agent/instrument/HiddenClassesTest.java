package io.splitheap.agent.instrument;

import io.splitheap.agent.TestFarMemory;
import io.splitheap.agent.runtime.FarHiddenClasses;
import io.splitheap.fixtures.HiddenPrograms;
import io.splitheap.protocol.runtime.ErrorLog;
import org.junit.jupiter.api.Test;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A hidden class defined at run time by rewritten code (the JVM shows hidden classes to no transformer) is rewritten
 * before it is defined, so it reads a far array it is given where it lives; without that, it reads the empty
 * placeholder.
 */
class HiddenClassesTest
{
    private static final int N = 5000;

    @Test
    void shouldRewriteHiddenClassesBeforeTheyAreDefined() throws Exception
    {
        final ErrorLog errors = new ErrorLog("hidden-test", System.err);
        try (TestFarMemory far = new TestFarMemory(16 * 4096, "fifo"))
        {
            final long expected = HiddenPrograms.sumInHiddenClass(N, false);
            FarHiddenClasses.install(FarTransformer.hiddenClassRewriter(
                new ScopePolicy(List.of("io.splitheap.fixtures"), List.of()), errors));
            try
            {
                final long before = far.farMemory().farArrays();
                assertEquals(expected, run(false));
                assertEquals(expected, run(true));
                assertTrue(far.farMemory().farArrays() >= before + 4, "the arrays and the class files were far");
            }
            finally
            {
                FarHiddenClasses.install(null);
            }
            assertEquals(0, errors.errorCount());
        }
    }

    @Test
    void shouldReadThePlaceholderWithoutTheRewriter() throws Exception
    {
        try (TestFarMemory ignored = new TestFarMemory(16 * 4096, "fifo"))
        {
            // the loop sees length 0, then values[0] of the empty placeholder fails
            assertThrows(ArrayIndexOutOfBoundsException.class, () -> run(false));
        }
    }

    @Test
    void shouldFailAsTheJdkDoesOnCallsTheJdkRefuses() throws Exception
    {
        final ErrorLog errors = new ErrorLog("hidden-test", System.err);
        final MethodHandles.Lookup full = MethodHandles.lookup();
        final MethodHandles.Lookup weak = full.dropLookupMode(MethodHandles.Lookup.PRIVATE);
        final byte[] truncated = {(byte)0xCA, (byte)0xFE, (byte)0xBA, (byte)0xBE, 0, 0, 0, 61, 0, 5, 1};
        final byte[] notAClassFile = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
        try (TestFarMemory ignored = new TestFarMemory(16 * 4096, "fifo"))
        {
            FarHiddenClasses.install(FarTransformer.hiddenClassRewriter(
                new ScopePolicy(List.of("io.splitheap"), List.of()), errors));
            try
            {
                for (final byte[] bytes : List.of(new byte[0], truncated, notAClassFile))
                {
                    for (final MethodHandles.Lookup lookup : List.of(full, weak))
                    {
                        assertEquals(thrown(() -> lookup.defineHiddenClass(bytes, true)),
                            thrown(() -> FarHiddenClasses.defineHiddenClass(lookup, bytes, true)));
                        assertEquals(thrown(() -> lookup.defineHiddenClassWithClassData(bytes, "data", true)),
                            thrown(() -> FarHiddenClasses.defineHiddenClassWithClassData(lookup, bytes, "data",
                                true)));
                        assertEquals(thrown(() -> lookup.defineHiddenClassWithClassData(bytes, null, true)),
                            thrown(() -> FarHiddenClasses.defineHiddenClassWithClassData(lookup, bytes, null,
                                true)));
                        assertEquals(thrown(() -> lookup.defineHiddenClass(bytes, true,
                            (MethodHandles.Lookup.ClassOption[])null)),
                            thrown(() -> FarHiddenClasses.defineHiddenClass(lookup, bytes, true,
                                (MethodHandles.Lookup.ClassOption[])null)));
                    }
                }
            }
            finally
            {
                FarHiddenClasses.install(null);
            }
        }
    }

    private interface Definition
    {
        Object define() throws Exception;
    }

    private static Class<?> thrown(final Definition definition)
    {
        try
        {
            definition.define();
        }
        catch (final Throwable ex)
        {
            return ex.getClass();
        }
        return fail("the call defined a class from bytes that are not a class file");
    }

    private static long run(final boolean classData) throws Exception
    {
        final Class<?> programs =
            new RewritingClassLoader("io.splitheap.fixtures").loadClass(HiddenPrograms.class.getName());
        final Method method = programs.getMethod("sumInHiddenClass", int.class, boolean.class);
        try
        {
            return (long)method.invoke(null, N, classData);
        }
        catch (final java.lang.reflect.InvocationTargetException ex)
        {
            throw ex.getCause() instanceof Exception ? (Exception)ex.getCause() : ex;
        }
    }
}
