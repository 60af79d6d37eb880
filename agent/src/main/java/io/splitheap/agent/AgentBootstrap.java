package io.splitheap.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
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
        start(agentArgs, instrumentation);
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
