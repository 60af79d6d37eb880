package io.splitheap.systemtests;

import io.splitheap.testsupport.ForkedProcess;
import io.splitheap.testsupport.ProjectPaths;
import io.splitheap.testsupport.ShmDirectories;
import io.splitheap.testsupport.StatsLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/splitheap} as a user runs it.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class LauncherIT
{
    private static ForkedProcess splitheap(final String name, final String... args) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(ProjectPaths.launcherScript().getAbsolutePath());
        command.addAll(Arrays.asList(args));
        return ForkedProcess.start(FarRuns.LOGS, name, command, Map.of());
    }

    @Test
    void runShouldStartAClusterRunTheProgramAndReport() throws Exception
    {
        final ForkedProcess run = splitheap("launcher-run", "run", "--excache", "2m", "--", "-Xmx128m", "-jar",
            ProjectPaths.samplesJar().getAbsolutePath(), "columnscan", "--working-set", "16m");
        assertEquals(0, run.waitFor(5, TimeUnit.MINUTES), run.logs());
        final String expected = StatsLine.checksum(
            FarRuns.run("launcher-heap", "256m", null, "columnscan", "--working-set", "16m").stdout());
        assertEquals(expected, StatsLine.checksum(run.stdout()), "stdout ends with the sample's RESULT line");
        final StatsLine stats = StatsLine.in(run.stderr());
        assertEquals(2L << 20, stats.number("excache_bytes"));
        assertTrue(run.stderr().contains("splitheap-cluster {\"memory_nodes\":[{\"id\":"), run.stderr());
        assertTrue(!stats.transports().isEmpty() && stats.transports().stream().allMatch("ipc"::equals),
            "the program reached the embedded nodes over shared memory: " + stats.json());
        assertTrue(ShmDirectories.of(run.pid()).isEmpty(), "the launcher removed its Aeron and data directories");
        // nothing of ours in the program's stderr but our two lines: no CDS warning, no Unsafe deprecation (Java 24+)
        assertEquals(List.of(), run.stderr().lines().filter(line -> !line.startsWith("splitheap-stats ") &&
            !line.startsWith("splitheap-cluster ") && !line.isBlank()).toList(), run.stderr());
    }

    @Test
    void runShouldExitWithTheProgramsExitCode() throws Exception
    {
        final ForkedProcess run = splitheap("launcher-exit", "run", "--", "-jar",
            ProjectPaths.samplesJar().getAbsolutePath(), "no-such-sample");
        assertEquals(2, run.waitFor(5, TimeUnit.MINUTES), run.logs());
    }

    @Test
    void clusterShouldPrintItsAddressAndCleanUpWhenStopped() throws Exception
    {
        try (ForkedProcess cluster = splitheap("launcher-cluster", "cluster", "--memory-nodes", "2",
            "--capacity", "256m"))
        {
            clusterRunsAndCleansUp(cluster);
        }
    }

    private static void clusterRunsAndCleansUp(final ForkedProcess cluster) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        final Pattern ready = Pattern.compile(
            "splitheap-cluster-ready coordinator=(127\\.0\\.0\\.1:\\d+) secret-file=(\\S+)\n");
        Matcher matcher = ready.matcher("");
        while (System.nanoTime() < deadline && !(matcher = ready.matcher(cluster.stdout())).find())
        {
            assertTrue(cluster.isAlive(), "cluster exited early: " + cluster.stderr());
            Thread.sleep(100);
        }
        assertTrue(matcher.find(0), "no ready line; logs: " + cluster.logs());
        final Matcher driver = Pattern.compile("splitheap-cluster-driver aeron\\.dir=(\\S+)\n")
            .matcher(cluster.stdout());
        assertTrue(driver.find(), "the driver line comes before the ready line: " + cluster.stdout());
        final ForkedProcess far = FarRuns.run("launcher-cluster-client", "128m",
            "coordinator=" + matcher.group(1) + ",secret.file=" + matcher.group(2) + ",excache=2m,stats=true",
            "kvstore", "--working-set", "64m",
            "--ops", "50000");
        assertEquals(List.of("udp", "udp"), StatsLine.in(far.stderr()).transports(), "without aeron.dir: UDP");
        final ForkedProcess shared = FarRuns.run("launcher-cluster-ipc-client", "128m",
            "coordinator=" + matcher.group(1) + ",secret.file=" + matcher.group(2) + ",aeron.dir=" + driver.group(1) +
            ",excache=2m,stats=true",
            "columnscan", "--working-set", "16m");
        final StatsLine stats = StatsLine.in(shared.stderr());
        assertTrue(!stats.transports().isEmpty() && stats.transports().stream().allMatch("ipc"::equals),
            "a program given the cluster's driver reaches its nodes over shared memory: " + stats.json());
        final ForkedProcess status = splitheap("launcher-status", "status", "--coordinator", matcher.group(1),
            "--secret-file", matcher.group(2), "--json");
        assertEquals(0, status.waitFor(1, TimeUnit.MINUTES), status.logs());
        final com.fasterxml.jackson.databind.JsonNode view =
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(status.stdout());
        assertEquals(3, view.get("nodes").size(), "two memory nodes and a storage node: " + view);
        for (final com.fasterxml.jackson.databind.JsonNode node : view.get("nodes"))
        {
            assertTrue(node.get("alive").asBoolean() && node.get("auth_failures").asLong() == 0, node.toString());
        }
        assertEquals(0, view.get("auth_failures").asLong());
        final ForkedProcess table = splitheap("launcher-status-table", "status", "--coordinator", matcher.group(1),
            "--secret-file", matcher.group(2));
        assertEquals(0, table.waitFor(1, TimeUnit.MINUTES), table.logs());
        assertTrue(table.stdout().contains("NODE") && table.stdout().contains("MEMORY") &&
            table.stdout().contains("AUTHFAIL"), table.stdout());
        assertTrue(!ShmDirectories.of(cluster.pid()).isEmpty(), "a running cluster has its Aeron directory");
        assertTrue(new File(matcher.group(2)).isFile(), "the secret file exists while the cluster runs");
        cluster.close();
        assertTrue(ShmDirectories.of(cluster.pid()).isEmpty(), "stopped by SIGTERM it removes it");
        assertTrue(!new File(matcher.group(2)).exists(), "and the secret it created");
    }

    @Test
    void secretShouldWriteAFileOnlyItsOwnerCanReadAndNeverOverwrite() throws Exception
    {
        final java.nio.file.Path file = FarRuns.LOGS.toPath().resolve("launcher-" + ProcessHandle.current().pid() +
            ".secret");
        java.nio.file.Files.deleteIfExists(file);
        final ForkedProcess write = splitheap("launcher-secret", "secret", "--out", file.toString());
        assertEquals(0, write.waitFor(1, TimeUnit.MINUTES), write.logs());
        final io.splitheap.protocol.security.ClusterSecret secret =
            io.splitheap.protocol.security.ClusterSecret.load(file);
        assertTrue(write.stdout().contains("splitheap-secret file=" + file + " key-id=" + secret.keyIdText()),
            write.stdout());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
            java.nio.file.Files.getPosixFilePermissions(file)));
        final ForkedProcess again = splitheap("launcher-secret-again", "secret", "--out", file.toString());
        assertEquals(1, again.waitFor(1, TimeUnit.MINUTES));
        assertTrue(again.stderr().contains("already exists") && !again.stderr().contains("\tat "), again.stderr());
        final ForkedProcess coordinator = splitheap("launcher-no-secret", "coordinator", "--bind", "127.0.0.1:0");
        assertEquals(2, coordinator.waitFor(1, TimeUnit.MINUTES));
        assertTrue(coordinator.stderr().contains("--secret-file"), coordinator.stderr());
        java.nio.file.Files.deleteIfExists(file);
    }

    @Test
    void memoryNodeShouldGiveUpOnAnUnreachableCoordinator() throws Exception
    {
        final long start = System.nanoTime();
        final ForkedProcess node = ForkedProcess.start(FarRuns.LOGS, "launcher-node-alone", List.of(
            ProjectPaths.launcherScript().getAbsolutePath(), "memory-node", "--coordinator", "127.0.0.1:9",
            "--secret-file", FarRuns.unusedSecretFile(), "--capacity", "64m", "--data-dir",
            new File(FarRuns.LOGS, "launcher-node-alone-data").getAbsolutePath()),
            Map.of("SPLITHEAP_JVM_OPTS", "-Dsplitheap.request.timeout=2s"));
        assertEquals(1, node.waitFor(1, TimeUnit.MINUTES), node.logs());
        assertTrue(node.stderr().contains("could not register with coordinator=127.0.0.1:9 within 2000ms") &&
            node.stderr().contains("--secret-file") && !node.stderr().contains("\tat "), node.stderr());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "it gave up after the request timeout");
    }

    @Test
    void shouldRejectBadCommandLinesWithUsage() throws Exception
    {
        final ForkedProcess help = splitheap("launcher-help", "--help");
        assertEquals(0, help.waitFor(1, TimeUnit.MINUTES));
        assertTrue(help.stdout().contains("run") && help.stdout().contains("memory-node"), help.stdout());
        final ForkedProcess bad = splitheap("launcher-bad", "run", "--excache", "lots", "--", "-version");
        assertEquals(2, bad.waitFor(1, TimeUnit.MINUTES));
        assertTrue(bad.stderr().contains("'lots' is not a size"), bad.stderr());
        final long start = System.nanoTime();
        final ForkedProcess badAgent = splitheap("launcher-bad-agent", "run", "--agent", "excahce=1m", "--",
            "-version");
        assertEquals(1, badAgent.waitFor(1, TimeUnit.MINUTES));
        assertTrue(badAgent.stderr().contains("unknown agent option 'excahce'") &&
            !badAgent.stderr().contains("splitheap-cluster") && !badAgent.stderr().contains("\tat "),
            "refused before a cluster starts: " + badAgent.stderr());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "and quickly");
        final ForkedProcess noSeparator = splitheap("launcher-no-separator", "run", "-Xmx64m", "-version");
        assertEquals(2, noSeparator.waitFor(1, TimeUnit.MINUTES));
        assertTrue(noSeparator.stderr().contains("Put the Java command line after '--'"), noSeparator.stderr());
    }
}
