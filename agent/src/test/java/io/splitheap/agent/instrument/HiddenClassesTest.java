package io.splitheap.agent.instrument;

import io.splitheap.agent.RewritingClassLoader;
import io.splitheap.agent.TestFarMemory;
import io.splitheap.agent.runtime.FarHiddenClasses;
import io.splitheap.fixtures.HiddenPrograms;
import io.splitheap.protocol.runtime.ErrorLog;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
