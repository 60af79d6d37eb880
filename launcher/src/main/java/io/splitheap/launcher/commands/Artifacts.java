package io.splitheap.launcher.commands;

import java.io.File;

/**
 * Where the agent jar and the samples jar are: given by {@code bin/splitheap} as system properties, else found next
 * to the launcher jar in the source tree layout.
 */
final class Artifacts
{
    private Artifacts()
    {
    }

    static File agentJar(final File override)
    {
        return find(override, "splitheap.agent.jar", "agent/target/splitheap-agent.jar", "the agent jar");
    }

    static File samplesJar(final File override)
    {
        return find(override, "splitheap.samples.jar", "samples/target/samples.jar", "the samples jar");
    }

    static File benchmarksJar()
    {
        return find(null, "splitheap.bench.jar", "bench/target/benchmarks.jar", "the benchmarks jar");
    }

    private static File find(final File override, final String property, final String relative, final String what)
    {
        File file = override;
        if (file == null && System.getProperty(property) != null)
        {
            file = new File(System.getProperty(property));
        }
        if (file == null)
        {
            file = new File(projectRoot(), relative);
        }
        if (!file.isFile())
        {
            throw new IllegalArgumentException(what + " is not at " + file.getAbsolutePath() +
                ": build first with 'mvn -q -DskipTests package' in the project root");
        }
        return file;
    }

    private static File projectRoot()
    {
        try
        {
            final File jar = new File(Artifacts.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getParentFile().getParentFile().getParentFile();
        }
        catch (final Exception ex)
        {
            return new File(".");
        }
    }
}
