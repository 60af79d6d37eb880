package io.splitheap.testsupport;

import java.io.File;

/**
 * Paths of the built artifacts, found from the project root (the folder with {@code bin/splitheap}).
 */
public final class ProjectPaths
{
    private ProjectPaths()
    {
    }

    /**
     * The project root: {@code splitheap.project.root} if set, else the first parent of the working directory that
     * holds {@code bin/splitheap}.
     *
     * @return the root folder.
     */
    public static File root()
    {
        final String configured = System.getProperty("splitheap.project.root");
        if (configured != null)
        {
            return new File(configured);
        }
        File dir = new File("").getAbsoluteFile();
        while (dir != null && !new File(dir, "bin/splitheap").isFile())
        {
            dir = dir.getParentFile();
        }
        if (dir == null)
        {
            throw new IllegalStateException("no project root above " + new File("").getAbsolutePath());
        }
        return dir;
    }

    /**
     * The shaded agent jar.
     *
     * @return the file (it must have been packaged).
     */
    public static File agentJar()
    {
        return existing(new File(root(), "agent/target/splitheap-agent.jar"));
    }

    /**
     * The samples jar.
     *
     * @return the file.
     */
    public static File samplesJar()
    {
        return existing(new File(root(), "samples/target/samples.jar"));
    }

    /**
     * The launcher script.
     *
     * @return bin/splitheap.
     */
    public static File launcherScript()
    {
        return existing(new File(root(), "bin/splitheap"));
    }

    /**
     * The java executable of this JVM.
     *
     * @return path.
     */
    public static String java()
    {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static File existing(final File file)
    {
        if (!file.isFile())
        {
            throw new IllegalStateException(file + " is missing: run the tests with 'mvn verify' so that it is " +
                "packaged first");
        }
        return file;
    }
}
