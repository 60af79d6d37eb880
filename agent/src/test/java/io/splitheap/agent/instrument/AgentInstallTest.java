package io.splitheap.agent.instrument;

import io.splitheap.agent.TestFarMemory;
import io.splitheap.protocol.runtime.ErrorLog;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real transformer, installed with Byte Buddy's agent builder: a class loaded afterwards is rewritten and runs on
 * far arrays; removing the transformer stops rewriting.
 */
class AgentInstallTest
{
    @Test
    void shouldRewriteClassesLoadedAfterInstallation() throws Exception
    {
        final Instrumentation instrumentation = ByteBuddyAgent.install();
        final ErrorLog errors = new ErrorLog("install-test", System.err);
        try (TestFarMemory far = new TestFarMemory(16 * 4096, "fifo"))
        {
            final ResettableClassFileTransformer transformer = FarTransformer.install(instrumentation,
                new ScopePolicy(List.of("io.splitheap.fixtures"), List.of()), errors);
            final long before = far.farMemory().farArrays();
            try
            {
                assertEquals(ArrayProgramsTest.run(io.splitheap.fixtures.ArrayPrograms.class, "longs",
                    new Object[]{9000}), ArrayProgramsTest.run(load(), "longs", new Object[]{9000}));
                assertTrue(far.farMemory().farArrays() > before, "the class loaded after install used far arrays");
            }
            finally
            {
                transformer.reset(instrumentation, AgentBuilder.RedefinitionStrategy.DISABLED);
            }
            final long after = far.farMemory().farArrays();
            ArrayProgramsTest.run(load(), "longs", new Object[]{9000});
            assertEquals(after, far.farMemory().farArrays(), "no rewriting once the transformer is removed");
            assertEquals(0, errors.errorCount());
        }
    }

    private static Class<?> load() throws Exception
    {
        final URL classes = new File("target/test-classes").toURI().toURL();
        final ClassLoader loader = new URLClassLoader(new URL[]{classes}, AgentInstallTest.class.getClassLoader())
        {
            protected Class<?> loadClass(final String name, final boolean resolve) throws ClassNotFoundException
            {
                if (name.startsWith("io.splitheap.fixtures"))
                {
                    synchronized (getClassLoadingLock(name))
                    {
                        final Class<?> loaded = findLoadedClass(name);
                        return loaded != null ? loaded : findClass(name);
                    }
                }
                return super.loadClass(name, resolve);
            }
        };
        return loader.loadClass("io.splitheap.fixtures.ArrayPrograms");
    }
}
