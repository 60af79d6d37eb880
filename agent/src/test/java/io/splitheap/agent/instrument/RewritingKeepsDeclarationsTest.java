package io.splitheap.agent.instrument;

import io.splitheap.agent.TestFarMemory;
import io.splitheap.fixtures.AnnotatedPrograms;
import org.junit.jupiter.api.Test;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Rewriting (site helpers, loop chunking) keeps what reflection reads: method annotations, parameter annotations
 * and type annotations, on methods it changes and on methods it leaves alone.
 */
class RewritingKeepsDeclarationsTest
{
    @Test
    void shouldKeepMethodAndParameterAnnotations() throws Exception
    {
        try (TestFarMemory ignored = new TestFarMemory(16 * 4096, "fifo"))
        {
            final Class<?> rewritten =
                new RewritingClassLoader("io.splitheap.fixtures").loadClass(AnnotatedPrograms.class.getName());
            for (final String name : new String[]{"annotatedLoop", "plain"})
            {
                final Method original = method(AnnotatedPrograms.class, name);
                final Method changed = method(rewritten, name);
                assertEquals(describe(original.getDeclaredAnnotations()), describe(changed.getDeclaredAnnotations()),
                    name);
                assertEquals(original.getParameterAnnotations().length, changed.getParameterAnnotations().length);
                for (int i = 0; i < original.getParameterAnnotations().length; i++)
                {
                    assertEquals(describe(original.getParameterAnnotations()[i]),
                        describe(changed.getParameterAnnotations()[i]), name + " parameter " + i);
                }
                assertEquals(describe(original.getAnnotatedReturnType().getDeclaredAnnotations()),
                    describe(changed.getAnnotatedReturnType().getDeclaredAnnotations()), name + " return type");
            }
            assertEquals(AnnotatedPrograms.annotatedLoop(3000), method(rewritten, "annotatedLoop").invoke(null, 3000));
        }
    }

    private static Method method(final Class<?> type, final String name)
    {
        for (final Method method : type.getDeclaredMethods())
        {
            if (method.getName().equals(name))
            {
                return method;
            }
        }
        throw new AssertionError("no method " + name + " in " + type);
    }

    private static String describe(final Annotation[] annotations)
    {
        final StringBuilder text = new StringBuilder();
        for (final Annotation annotation : annotations)
        {
            text.append(annotation.annotationType().getSimpleName()).append('=')
                .append(annotation.toString().replaceAll(".*\\(", "(")).append(';');
        }
        return text.toString();
    }
}
