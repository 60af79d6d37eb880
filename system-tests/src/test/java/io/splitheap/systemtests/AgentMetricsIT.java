package io.splitheap.systemtests;

import io.splitheap.testsupport.ForkedProcess;
import io.splitheap.testsupport.ProjectPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent's JMX bean shows the same counters as its statistics line, and {@code progress=} prints a line per
 * interval while the program runs.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AgentMetricsIT
{
    @Test
    void jmxShouldAgreeWithTheStatsLineAndProgressShouldPrint() throws Exception
    {
        final ForkedProcess process = ForkedProcess.start(FarRuns.LOGS, "agent-metrics", List.of(ProjectPaths.java(),
            "-Xmx128m", "-javaagent:" + ProjectPaths.agentJar().getAbsolutePath() + "=coordinator=local,threshold=0," +
            "excache=256k,stats=true,progress=1,include=" + AgentMetricsProgram.class.getPackageName(),
            "-cp", new File("target/test-classes").getAbsolutePath(), AgentMetricsProgram.class.getName(), "262144",
            "2500"), Map.of());
        assertEquals(0, process.waitFor(2, TimeUnit.MINUTES), process.logs());
        final Matcher jmx = Pattern.compile("jmx hits=(\\d+) misses=(\\d+) far_bytes=(\\d+)")
            .matcher(process.stdout());
        assertTrue(jmx.find(), process.stdout());
        final String stderr = process.stderr();
        assertEquals(field(stderr, "hits"), Long.parseLong(jmx.group(1)), stderr);
        assertEquals(field(stderr, "misses"), Long.parseLong(jmx.group(2)), stderr);
        assertEquals(262144L * Long.BYTES, Long.parseLong(jmx.group(3)));
        assertTrue(Long.parseLong(jmx.group(2)) > 0, "the 2 MiB array did not fit the 256 KiB ExCache");
        assertTrue(Pattern.compile("splitheap-progress t=\\ds far_bytes=\\d+ live_far_bytes=\\d+ hit_rate=[0-9.]+ " +
            "misses_per_s=\\d+ mb_in_per_s=[0-9.]+ mb_out_per_s=[0-9.]+").matcher(stderr).find(), stderr);
    }

    @Test
    void cncCountersShouldAgreeWithJmxAndTheStatsLine() throws Exception
    {
        try (io.splitheap.launcher.cluster.EmbeddedCluster cluster = FarRuns.cluster())
        {
            final ForkedProcess process = ForkedProcess.start(FarRuns.LOGS, "agent-metrics-cnc", List.of(
                ProjectPaths.java(), "-Xmx128m", "-javaagent:" + ProjectPaths.agentJar().getAbsolutePath() + "=" +
                cluster.agentOptions() + ",aeron.dir=" + cluster.aeronDirectory() + ",threshold=0,excache=256k," +
                "stats=true,include=" + AgentMetricsProgram.class.getPackageName(),
                "-cp", new File("target/test-classes").getAbsolutePath(), AgentMetricsProgram.class.getName(),
                "262144", "3000"), Map.of());
            // the agent's counters live in the cluster's media driver (the program shares it): read them while the
            // program waits after its loops, until it exits
            final java.util.Map<String, Long> seen = new java.util.HashMap<>();
            final org.agrona.concurrent.status.CountersReader counters = cluster.aeron().countersReader();
            while (process.isAlive())
            {
                counters.forEach((counterId, typeId, key, label) ->
                {
                    if (typeId == io.splitheap.agent.metrics.CncCounters.TYPE_ID)
                    {
                        seen.put(label.replaceAll(" pid=\\d+$", ""), counters.getCounterValue(counterId));
                    }
                });
                Thread.sleep(100);
            }
            assertEquals(0, process.waitFor(1, TimeUnit.MINUTES), process.logs());
            final Matcher jmx = Pattern.compile("jmx hits=(\\d+) misses=(\\d+)").matcher(process.stdout());
            assertTrue(jmx.find(), process.stdout());
            assertEquals(Long.parseLong(jmx.group(1)), seen.get("splitheap hits"), seen.toString());
            assertEquals(Long.parseLong(jmx.group(2)), seen.get("splitheap misses"), seen.toString());
            assertEquals(field(process.stderr(), "misses"), seen.get("splitheap misses"));
            assertEquals(262144L * Long.BYTES, seen.get("splitheap far_bytes"));
        }
    }

    @Test
    void jfrShouldRecordSlowMissesAndEvictionBursts() throws Exception
    {
        final File recording = new File(FarRuns.LOGS, "agent-metrics.jfr").getAbsoluteFile();
        recording.delete();
        // waits 1.5 s after its loops, so the periodic eviction-burst event fires at least once after them
        final ForkedProcess process = ForkedProcess.start(FarRuns.LOGS, "agent-metrics-jfr", List.of(
            ProjectPaths.java(), "-Xmx128m", "-XX:StartFlightRecording=filename=" + recording,
            "-javaagent:" + ProjectPaths.agentJar().getAbsolutePath() + "=coordinator=local,threshold=0," +
            "excache=256k,stats=true,jfr.slow.miss=0ns,jfr.eviction.burst=16,include=" +
            AgentMetricsProgram.class.getPackageName(),
            "-cp", new File("target/test-classes").getAbsolutePath(), AgentMetricsProgram.class.getName(), "262144",
            "1500"), Map.of());
        assertEquals(0, process.waitFor(2, TimeUnit.MINUTES), process.logs());
        final long misses = field(process.stderr(), "misses");
        final List<jdk.jfr.consumer.RecordedEvent> events = jdk.jfr.consumer.RecordingFile.readAllEvents(
            recording.toPath());
        final List<jdk.jfr.consumer.RecordedEvent> slow = events.stream()
            .filter(e -> e.getEventType().getName().equals("io.splitheap.SlowMiss")).toList();
        assertTrue(!slow.isEmpty() && slow.size() <= misses, slow.size() + " events for " + misses + " misses");
        assertTrue(slow.stream().allMatch(e -> e.getLong("address") != 0 && e.getInt("lineBytes") == 4096 &&
            e.getLong("fetchNanos") >= 0), slow.get(0).toString());

        final List<jdk.jfr.consumer.RecordedEvent> bursts = events.stream()
            .filter(e -> e.getEventType().getName().equals("io.splitheap.EvictionBurst")).toList();
        final long evictions = field(process.stderr(), "evictions");
        final long burstEvictions = bursts.stream().mapToLong(e -> e.getLong("evictions")).sum();
        final long burstWriteBacks = bursts.stream().mapToLong(e -> e.getLong("writeBacks")).sum();
        assertTrue(!bursts.isEmpty(), "the 2 MiB array went through a 256 KiB ExCache: " + evictions + " evictions");
        assertTrue(bursts.stream().allMatch(e -> e.getLong("evictions") >= 16 && e.getLong("periodNanos") > 0 &&
            e.getLong("bytesWrittenBack") == e.getLong("writeBacks") * 4096), bursts.get(0).toString());
        assertTrue(burstEvictions > 0 && burstEvictions <= evictions, burstEvictions + " of " + evictions);
        assertTrue(burstWriteBacks > 0 && burstWriteBacks <= field(process.stderr(), "writebacks"),
            "the program wrote every line: dirty evictions are written back, " + burstWriteBacks);
    }

    @Test
    void jfrShouldRecordAFailoverWhenTheCoordinatorDeclaresANodeDead() throws Exception
    {
        final File file = new File(FarRuns.LOGS, "coordinator-failover.jfr").getAbsoluteFile();
        try (jdk.jfr.Recording recording = new jdk.jfr.Recording();
            io.splitheap.launcher.cluster.EmbeddedCluster cluster = FarRuns.cluster())
        {
            recording.enable("io.splitheap.Failover");
            recording.start();
            final io.splitheap.memorynode.MemoryNode victim = cluster.memoryNodes().get(1);
            final int victimId = victim.nodeId();
            final long stoppedNs = System.nanoTime();
            victim.close();
            final long deadline = stoppedNs + TimeUnit.SECONDS.toNanos(60);
            while (cluster.status().stream().anyMatch(n -> n.nodeId() == victimId && n.alive()))
            {
                assertTrue(System.nanoTime() < deadline, "node " + victimId + " still alive: " + cluster.status());
                Thread.sleep(100);
            }
            final long detectedNs = System.nanoTime() - stoppedNs;
            recording.stop();
            recording.dump(file.toPath());
            final List<jdk.jfr.consumer.RecordedEvent> failovers = jdk.jfr.consumer.RecordingFile.readAllEvents(
                file.toPath()).stream().filter(e -> e.getEventType().getName().equals("io.splitheap.Failover"))
                .toList();
            assertEquals(1, failovers.size(), failovers.toString());
            final jdk.jfr.consumer.RecordedEvent failover = failovers.get(0);
            assertEquals(victimId, failover.getInt("nodeId"));
            assertEquals("MEMORY", failover.getString("kind"));
            assertEquals(victim.endpoint().toString(), failover.getString("endpoint"));
            assertTrue(failover.getLong("silenceNanos") > TimeUnit.SECONDS.toNanos(3) &&
                failover.getLong("silenceNanos") <= detectedNs + TimeUnit.SECONDS.toNanos(1),
                "declared dead only after the 3 s floor: " + failover);
            assertTrue(failover.getDouble("phi") >= 8, failover.toString());
        }
    }

    @Test
    void environmentShouldConfigureTheAgentBelowItsOptions() throws Exception
    {
        final List<String> command = List.of(ProjectPaths.java(), "-Xmx128m",
            "-javaagent:" + ProjectPaths.agentJar().getAbsolutePath() + "=coordinator=local,threshold=0,include=" +
            AgentMetricsProgram.class.getPackageName(), "-cp", new File("target/test-classes").getAbsolutePath(),
            AgentMetricsProgram.class.getName(), "65536", "0");
        final ForkedProcess fromEnvironment = ForkedProcess.start(FarRuns.LOGS, "agent-env", command,
            Map.of("SPLITHEAP_EXCACHE", "512k", "SPLITHEAP_STATS", "true"));
        assertEquals(0, fromEnvironment.waitFor(2, TimeUnit.MINUTES), fromEnvironment.logs());
        assertEquals(512 * 1024, field(fromEnvironment.stderr(), "excache_bytes"), "SPLITHEAP_EXCACHE applies");

        final List<String> withOption = new java.util.ArrayList<>(command);
        withOption.set(2, command.get(2).replace("coordinator=local,", "coordinator=local,excache=256k,"));
        final ForkedProcess overridden = ForkedProcess.start(FarRuns.LOGS, "agent-env-option", withOption,
            Map.of("SPLITHEAP_EXCACHE_SIZE", "1m", "SPLITHEAP_EXCACHE", "512k", "SPLITHEAP_STATS", "true"));
        assertEquals(0, overridden.waitFor(2, TimeUnit.MINUTES), overridden.logs());
        assertEquals(256 * 1024, field(overridden.stderr(), "excache_bytes"), "the agent option wins");
    }

    /**
     * Settings that components read outside the agent's option table (the idle strategy's yields, a node's capacity)
     * come from the environment too: a bad value there stops the JVM at start with the setting's name, which shows
     * that it was read (before, these names were read from system properties only).
     */
    @Test
    void environmentShouldReachEverySetting() throws Exception
    {
        final ForkedProcess agent = ForkedProcess.start(FarRuns.LOGS, "agent-env-idle", List.of(ProjectPaths.java(),
            "-javaagent:" + ProjectPaths.agentJar().getAbsolutePath() + "=coordinator=local", "-cp",
            new File("target/test-classes").getAbsolutePath(), AgentMetricsProgram.class.getName(), "65536", "0"),
            Map.of("SPLITHEAP_IDLE_YIELDS", "many"));
        assertEquals(1, agent.waitFor(2, TimeUnit.MINUTES), agent.logs());
        assertTrue(agent.stderr().contains("invalid configuration splitheap.idle.yields=many"), agent.logs());

        final ForkedProcess node = ForkedProcess.start(FarRuns.LOGS, "node-env-capacity", List.of(
            ProjectPaths.launcherScript().getAbsolutePath(), "memory-node", "--coordinator", "127.0.0.1:9",
            "--secret-file", FarRuns.unusedSecretFile(), "--data-dir", new File(FarRuns.LOGS, "node-env").getPath()),
            Map.of("SPLITHEAP_MEMORY_NODE_CAPACITY", "lots"));
        assertEquals(1, node.waitFor(2, TimeUnit.MINUTES), node.logs());
        assertTrue(node.stderr().contains("invalid configuration splitheap.memory.node.capacity=lots"), node.logs());
    }

    private static long field(final String stderr, final String field)
    {
        return io.splitheap.testsupport.StatsLine.in(stderr).number(field);
    }
}
