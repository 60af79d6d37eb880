package io.splitheap.systemtests;

import io.splitheap.launcher.cluster.EmbeddedCluster;
import io.splitheap.launcher.cluster.NodeStatus;
import io.splitheap.testsupport.ForkedProcess;
import io.splitheap.testsupport.ShmDirectories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad agent options and unreachable clusters stop the JVM with a message naming what is wrong; a killed
 * application's far memory is released by the coordinator and its Aeron directory by the next Splitheap JVM.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class AgentErrorsIT
{
    private static final java.util.List<ForkedProcess> KILL_LATER = new java.util.ArrayList<>();

    @org.junit.jupiter.api.AfterAll
    static void stopLeftovers()
    {
        KILL_LATER.forEach(ForkedProcess::close);
    }

    @Test
    void shouldRefuseABadOptionNamingIt() throws Exception
    {
        final ForkedProcess process = FarRuns.start("agent-bad-size", "64m", "coordinator=127.0.0.1:1,excache=12x",
            "columnscan", "--working-set", "1m");
        assertEquals(1, process.waitFor(2, TimeUnit.MINUTES));
        assertTrue(process.stderr().contains(
            "splitheap: invalid configuration splitheap.excache.size=12x: a size such as"), process.stderr());
        assertCleanFailure(process);
    }

    @Test
    void shouldRefuseAnUnknownOptionListingTheKnownOnes() throws Exception
    {
        final ForkedProcess process = FarRuns.start("agent-unknown", "64m", "coordinator=127.0.0.1:1,exache=1m",
            "columnscan", "--working-set", "1m");
        assertEquals(1, process.waitFor(2, TimeUnit.MINUTES));
        assertTrue(process.stderr().contains("unknown agent option 'exache'") &&
            process.stderr().contains("excache"), process.stderr());
        assertCleanFailure(process);
    }

    @Test
    void shouldRefuseAnUnknownSystemProperty() throws Exception
    {
        final ForkedProcess process = ForkedProcess.start(FarRuns.LOGS, "agent-unknown-property", java.util.List.of(
            io.splitheap.testsupport.ProjectPaths.java(), "-Xmx64m", "-Dsplitheap.excache.sise=1m",
            "-javaagent:" + io.splitheap.testsupport.ProjectPaths.agentJar().getAbsolutePath() + "=coordinator=local",
            "-jar", io.splitheap.testsupport.ProjectPaths.samplesJar().getAbsolutePath(), "columnscan",
            "--working-set", "1m"), java.util.Map.of());
        assertEquals(1, process.waitFor(2, TimeUnit.MINUTES));
        assertTrue(process.stderr().contains("unknown property -Dsplitheap.excache.sise"), process.stderr());
        assertCleanFailure(process);
    }

    @Test
    void shouldNameAnUnknownHost() throws Exception
    {
        final ForkedProcess process = FarRuns.start("agent-unknown-host", "64m",
            "coordinator=no-such-host.invalid:40100,secret.file=" + FarRuns.unusedSecretFile(), "columnscan",
            "--working-set", "1m");
        assertEquals(1, process.waitFor(2, TimeUnit.MINUTES));
        assertTrue(process.stderr().contains("unknown host 'no-such-host.invalid' in coordinator="),
            process.stderr());
        assertCleanFailure(process);
    }

    @Test
    void shouldExplainAnUnreachableCoordinator() throws Exception
    {
        final ForkedProcess process = FarRuns.start("agent-unreachable", "64m",
            "coordinator=127.0.0.1:9,request.timeout=2s,secret.file=" + FarRuns.unusedSecretFile(),
            "columnscan", "--working-set", "1m");
        assertEquals(1, process.waitFor(2, TimeUnit.MINUTES));
        assertTrue(process.stderr().contains("splitheap: cannot join the cluster at coordinator=127.0.0.1:9"),
            process.stderr());
        assertCleanFailure(process);
        assertTrue(ShmDirectories.of(process.pid()).isEmpty(), "no Aeron directory left behind");
    }

    @Test
    void shouldReleaseTheMemoryOfAKilledProcess() throws Exception
    {
        System.setProperty("splitheap.process.timeout", "2s");
        try (EmbeddedCluster cluster = FarRuns.cluster())
        {
            final ForkedProcess process = FarRuns.start("agent-killed", "256m",
                cluster.agentOptions() + ",excache=1m", "kvstore", "--working-set", "16m",
                "--ops", "100000000");
            KILL_LATER.add(process);
            final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (pages(cluster) == 0 && System.nanoTime() < deadline)
            {
                Thread.sleep(200);
            }
            assertTrue(pages(cluster) > 0, "the program wrote pages to the memory nodes");
            final io.splitheap.launcher.cluster.ClusterView running = cluster.view();
            assertEquals(1, running.processCount(), "status lists the running program: " + running);
            final io.splitheap.launcher.cluster.ClusterView.ProcessStatus program = running.processes().get(0);
            assertEquals(process.pid(), program.hostPid());
            assertTrue(program.liveBytes() >= 16L << 20 && program.reservedBytes() >= program.liveBytes(),
                "its far bytes: " + program);
            final long rateDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long rate = 0;
            while (rate == 0 && System.nanoTime() < rateDeadline)
            {
                Thread.sleep(200);
                rate = cluster.view().nodes().stream().mapToLong(NodeStatus::requestsPerSecond).sum();
            }
            assertTrue(rate > 0, "status shows the requests the nodes serve");
            Thread.sleep(5000);
            assertEquals(1, cluster.view().processCount(),
                "a running program's heartbeats keep it registered past splitheap.process.timeout (2s)");
            assertTrue(!running.regions().isEmpty() && running.regions().stream().allMatch(r ->
                r.pid() == program.pid() && r.epoch() == 1 && running.nodes().stream()
                    .anyMatch(n -> n.nodeId() == r.primaryNodeId())), "and where its vRegions live: " + running);
            final long pid = process.pid();
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            process.waitFor(1, TimeUnit.MINUTES);
            assertTrue(!ShmDirectories.of(pid).isEmpty(), "a killed JVM leaves its Aeron directory");
            while (pages(cluster) > 0 && System.nanoTime() < deadline + TimeUnit.MINUTES.toNanos(1))
            {
                Thread.sleep(200);
            }
            assertEquals(0, pages(cluster), "the coordinator released the killed process's pages");
            assertEquals(0, cluster.view().processCount(), "and forgot the process");
            FarRuns.run("agent-after-kill", "128m", null, "columnscan", "--working-set", "1m");
            try (EmbeddedCluster next = FarRuns.cluster())
            {
                assertTrue(ShmDirectories.of(pid).isEmpty(), "the next Splitheap JVM swept the dead directory");
            }
        }
        finally
        {
            System.clearProperty("splitheap.process.timeout");
        }
    }

    /**
     * One line of explanation, status 1: no native abort of a failed -javaagent, no stack trace.
     */
    private static void assertCleanFailure(final ForkedProcess process) throws Exception
    {
        final String stderr = process.stderr();
        assertTrue(!stderr.contains("FATAL ERROR") && !stderr.contains("\tat ") &&
            stderr.lines().filter(line -> line.startsWith("splitheap: ")).count() == 1, stderr);
    }

    private static long pages(final EmbeddedCluster cluster)
    {
        return cluster.status().stream().mapToLong(NodeStatus::usedPages).sum();
    }
}
