package io.splitheap.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.util.jar.JarFile;

/**
 * The {@code Premain-Class} and {@code Agent-Class}. Loaded by the application class loader, it appends the agent
 * jar to the bootstrap class path, so that the runtime helpers rewritten code calls are visible from every class
 * loader, and starts the agent there. It must not refer to any other agent class directly.
 */
public final class AgentBootstrap
{
    private static final String AGENT_CLASS = "io.splitheap.agent.SplitheapAgent";

    private AgentBootstrap()
    {
    }

    /**
     * Entry point for {@code -javaagent:}.
     *
     * @param agentArgs       the options after {@code =}.
     * @param instrumentation the JVM's instrumentation.
     * @throws Exception if the agent cannot start; the JVM does not start then.
     */
    public static void premain(final String agentArgs, final Instrumentation instrumentation) throws Exception
    {
        try
        {
            start(agentArgs, instrumentation);
        }
        catch (final InvocationTargetException ex)
        {
            // the program cannot run as asked: say why in one line (the agent already did for its own errors) and
            // end the JVM with status 1, rather than the JVM's native abort of a failed -javaagent
            final Throwable cause = ex.getCause();
            if (!cause.getClass().getName().startsWith("io.splitheap."))
            {
                System.err.println("splitheap: the agent failed to start:");
                cause.printStackTrace();
            }
            System.err.flush();
            System.exit(1);
        }
    }

    /**
     * Entry point for attaching to a running JVM.
     *
     * @param agentArgs       the options.
     * @param instrumentation the JVM's instrumentation.
     * @throws Exception if the agent cannot start.
     */
    public static void agentmain(final String agentArgs, final Instrumentation instrumentation) throws Exception
    {
        start(agentArgs, instrumentation);
    }

    private static void start(final String agentArgs, final Instrumentation instrumentation) throws Exception
    {
        final File jar = new File(AgentBootstrap.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (jar.isFile())
        {
            instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(jar));
        }
        final ClassLoader loader = jar.isFile() ? null : AgentBootstrap.class.getClassLoader();
        Class.forName(AGENT_CLASS, true, loader)
            .getMethod("start", String.class, Instrumentation.class)
            .invoke(null, agentArgs, instrumentation);
    }
}
