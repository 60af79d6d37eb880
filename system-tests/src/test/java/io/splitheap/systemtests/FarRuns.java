package io.splitheap.systemtests;

import io.splitheap.launcher.cluster.EmbeddedCluster;
import io.splitheap.testsupport.ForkedProcess;
import io.splitheap.testsupport.ProjectPaths;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs a sample the way a user does: {@code java [-javaagent:splitheap-agent.jar=...] -jar samples.jar ...}.
 */
final class FarRuns
{
    static final File LOGS = new File("target/system-test-logs");

    private FarRuns()
    {
    }

    /**
     * A small cluster: two memory nodes, 16 MiB vRegions so that tens of MiB spread over both.
     *
     * @return the cluster.
     */
    static EmbeddedCluster cluster()
    {
        return EmbeddedCluster.start(new EmbeddedCluster.Context()
            .memoryNodes(2).memoryNodeCapacity(512L << 20).vRegionShift(24));
    }

    /**
     * Runs a sample and requires exit code 0.
     *
     * @param name        log name.
     * @param heap        -Xmx value.
     * @param agentOptions agent options, or null for no agent.
     * @param sampleArgs  sample name and options.
     * @return the finished process (read its output).
     * @throws Exception on failure.
     */
    /**
     * A secret file of no cluster, for runs that fail before they reach one.
     */
    static synchronized String unusedSecretFile()
    {
        final File file = new File(LOGS, "unused-cluster.secret");
        if (!file.exists())
        {
            file.getParentFile().mkdirs();
            io.splitheap.protocol.security.ClusterSecret.generate().write(file.toPath());
        }
        return file.getPath();
    }

    static ForkedProcess run(final String name, final String heap, final String agentOptions,
        final String... sampleArgs) throws Exception
    {
        final ForkedProcess process = start(name, heap, agentOptions, sampleArgs);
        final int exit = process.waitFor(10, TimeUnit.MINUTES);
        assertEquals(0, exit, name + " failed; logs: " + process.logs() + "\n" + process.stderr());
        return process;
    }

    static ForkedProcess start(final String name, final String heap, final String agentOptions,
        final String... sampleArgs) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(ProjectPaths.java());
        command.add("-Xmx" + heap);
        if (agentOptions != null)
        {
            command.add("-javaagent:" + ProjectPaths.agentJar().getAbsolutePath() + "=" + agentOptions);
        }
        command.add("-jar");
        command.add(ProjectPaths.samplesJar().getAbsolutePath());
        command.addAll(Arrays.asList(sampleArgs));
        return ForkedProcess.start(LOGS, name, command, Map.of());
    }
}
