package io.splitheap.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitheap.testsupport.ForkedProcess;
import io.splitheap.testsupport.ProjectPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault injection with real processes (run by {@code mvn -Pfaults verify}, not by the default build): a coordinator
 * and a memory node as separate JVMs ({@code bin/splitheap coordinator}, {@code bin/splitheap memory-node}), a
 * program under {@code bin/splitheap run --coordinator}, and {@code kill -9} of the memory node while the program's
 * far data lives there.
 * <p>
 * With two memory nodes every vRegion has a secondary that receives every write-back: when the primary dies the
 * coordinator promotes the secondary and the program goes on with the right result (issue 12, fault 1); when the
 * secondary dies the primary goes on without one (the first half of fault 2). Each prints how long the program stood
 * still (seconds of its {@code splitheap-progress} lines in which no miss completed). With three, the vRegions that
 * lost a copy get a new secondary while the program runs (re-replication), so that the node that took over can die
 * too (fault 2). With one
 * node there is no copy ("both copies destroyed"): the program gets a {@code FarMemoryError} naming the far address
 * and the node within a bounded time, never a wrong value or a hang; the coordinator stays up, notices the death, and
 * serves other programs on a node that joins later. A node that holds the only copy and is restarted with its data
 * directory ({@code kill -9} or a graceful stop, on a new endpoint or its old one) serves its pages again, and the
 * program completes with the right result (fault 3).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class MemoryNodeLossFaultIT extends ProcessFaultTest
{
    private static final long FAILURE_BOUND_MS = 60_000;

    @Test
    void shouldFailOverToTheSecondaryWhenThePrimaryDiesAndComputeTheSameResult() throws Exception
    {
        loseOneOfTwoNodes("failover", true);
    }

    @Test
    void shouldGoOnWithoutTheSecondaryWhenItDiesAndComputeTheSameResult() throws Exception
    {
        loseOneOfTwoNodes("secondary-loss", false);
    }

    /**
     * kvstore on two nodes, {@code kill -9} of its vRegion's primary (the secondary takes over at the next epoch) or
     * of its secondary (the primary goes on without one, at the same epoch, and write-backs, which went to both, go
     * to the primary only); the program computes the heap run's checksum either way.
     */
    private void loseOneOfTwoNodes(final String name, final boolean killPrimary) throws Exception
    {
        final Cluster cluster = startCoordinator(name);
        final Path dir = cluster.dir();
        final Path secret = cluster.secret();
        final String coordinator = cluster.coordinator();
        final Map<Integer, ForkedProcess> nodes = startNodes(dir, coordinator, secret, name + "-node-a",
            name + "-node-b");

        // kvstore updates its table all the time, and with a 2 MiB ExCache most lines live on the nodes only
        final List<String> workload = KVSTORE_UPDATES;
        final long startedMs = System.currentTimeMillis();
        // a progress line every second: the seconds in which no miss completed are the program's stall; when the
        // secondary dies, a write-back buffer (64 lines) smaller than what the program evicts while the coordinator
        // detects the death shows how long write-backs held by the dead node hold the program
        final Map<String, String> env = killPrimary ? Map.of("SPLITHEAP_PROGRESS", "1") :
            Map.of("SPLITHEAP_PROGRESS", "1", "SPLITHEAP_WRITEBACK_BUFFER", "256k");
        final ForkedProcess program = startProgram(name + "-program", env, coordinator, secret, workload);

        final JsonNode before = status(coordinator, secret).get("regions").get(0);
        final int primary = before.get("primary").asInt();
        final int secondary = before.get("secondary").asInt();
        assertTrue(nodes.containsKey(primary) && nodes.containsKey(secondary) && primary != secondary,
            "a primary and a secondary among the nodes: " + before);
        final long killedAtMs = System.currentTimeMillis();
        ProcessHandle.of(nodes.get(killPrimary ? primary : secondary).pid()).ifPresent(ProcessHandle::destroyForcibly);

        // while the program still runs: the coordinator hands the vRegion to the secondary under the next epoch, or
        // leaves it to its primary without a secondary
        JsonNode region = null;
        final long statusDeadlineMs = System.currentTimeMillis() + 60_000;
        while (program.isAlive() && System.currentTimeMillis() < statusDeadlineMs)
        {
            final JsonNode regions = status(coordinator, secret).get("regions");
            if (regions.size() > 0 && (killPrimary ? regions.get(0).get("primary").asInt() != primary :
                regions.get(0).get("secondary").asInt() != secondary))
            {
                region = regions.get(0);
                break;
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        assertTrue(region != null, "the vRegion changed while the program ran: " + program.logs());
        assertEquals(killPrimary ? secondary : primary, region.get("primary").asInt(), "its primary: " + region);
        assertEquals(0, region.get("secondary").asInt(), "no secondary left: " + region);
        assertEquals(before.get("epoch").asLong() + (killPrimary ? 1 : 0), region.get("epoch").asLong(),
            "the next epoch for a new primary: " + region);
        final long movedMs = System.currentTimeMillis();

        assertEquals(0, program.waitFor(4, TimeUnit.MINUTES), "the program completes: " + program.logs());
        final long endedMs = System.currentTimeMillis();

        assertEquals(heapChecksum(name + "-heap", "-Xmx256m", workload), checksum(program),
            "every acknowledged write survived the node's death");
        System.out.println("FAULT workload=kvstore fault=kill-9-" + (killPrimary ? "primary" : "secondary") +
            "-memory-node replicas=2 result=same-checksum program_ms=" + (endedMs - startedMs) + " killed_after_ms=" +
            (killedAtMs - startedMs) + " moved_after_kill_ms<=" + (movedMs - killedAtMs) + " ended_after_kill_ms=" +
            (endedMs - killedAtMs) + " stall_s=" + longestStallSeconds(program.stderr()) + " primary=node" +
            region.get("primary").asInt());
    }

    @Test
    void shouldRebuildSecondariesAndSurviveTheLossOfTheNewPrimaryToo() throws Exception
    {
        final Cluster cluster = startCoordinator("resync", "--vregion-size", "4m");
        final Path dir = cluster.dir();
        final Path secret = cluster.secret();
        final String coordinator = cluster.coordinator();
        final Map<Integer, ForkedProcess> nodes = startNodes(dir, coordinator, secret, "resync-node-a",
            "resync-node-b", "resync-node-c");
        final List<String> workload = List.of("-jar", ProjectPaths.samplesJar().getPath(), "kvstore",
            "--working-set", "32m", "--ops", "500000");
        final long startedMs = System.currentTimeMillis();
        final ForkedProcess program = start("resync-program", farRun(coordinator, secret, workload)
            .toArray(String[]::new));
        awaitLine(program, Pattern.compile("(?m)^loaded"));
        TimeUnit.SECONDS.sleep(3);
        final JsonNode before = status(coordinator, secret).get("regions");
        final JsonNode watched = before.get(0);
        final int first = watched.get("primary").asInt();
        assertTrue(program.isAlive() && before.size() > 1, "the program runs on several vRegions: " + before);

        final long firstKilledMs = System.currentTimeMillis();
        ProcessHandle.of(nodes.get(first).pid()).ifPresent(ProcessHandle::destroyForcibly);
        JsonNode rebuilt = null;
        final long deadlineMs = System.currentTimeMillis() + 120_000;
        while (rebuilt == null && program.isAlive() && System.currentTimeMillis() < deadlineMs)
        {
            final JsonNode regions = status(coordinator, secret).get("regions");
            boolean done = regions.size() == before.size();
            for (final JsonNode region : regions)
            {
                done &= region.get("primary").asInt() != first && region.get("secondary").asInt() != first &&
                    region.get("secondary").asInt() != 0 && "SYNCED".equals(region.get("secondary_state").asText());
            }
            rebuilt = done ? regions : null;
            TimeUnit.MILLISECONDS.sleep(500);
        }
        assertTrue(rebuilt != null, "every vRegion has a full second copy again while the program runs: " +
            program.logs() + " " + cluster.process().logs());
        final long rebuiltMs = System.currentTimeMillis();
        int promoted = 0;
        for (final JsonNode region : rebuilt)
        {
            promoted = region.get("vregion").asLong() == watched.get("vregion").asLong() ?
                region.get("primary").asInt() : promoted;
        }
        assertTrue(promoted != 0 && promoted != first, "the watched vRegion moved: " + rebuilt);

        final long secondKilledMs = System.currentTimeMillis();
        ProcessHandle.of(nodes.get(promoted).pid()).ifPresent(ProcessHandle::destroyForcibly);
        assertEquals(0, program.waitFor(4, TimeUnit.MINUTES), "the program completes: " + program.logs());
        final long endedMs = System.currentTimeMillis();

        assertEquals(heapChecksum("resync-heap", "-Xmx256m", workload), checksum(program),
            "every acknowledged write survived both deaths");
        final List<String> copies = cluster.process().stderr().lines()
            .filter(l -> l.contains(" re-replicated from node=")).map(l -> l.replaceAll(".*SplitheapException: ", ""))
            .toList();
        System.out.println("FAULT workload=kvstore-32MiB fault=kill-9-primary,re-replicate,kill-9-new-primary " +
            "nodes=3 vregion=4MiB result=same-checksum program_ms=" + (endedMs - startedMs) + " vregions=" +
            before.size() + " rebuilt_after_first_kill_ms<=" + (rebuiltMs - firstKilledMs) +
            " ended_after_second_kill_ms=" + (endedMs - secondKilledMs) + " copies=" + copies.size() + "\n  " +
            String.join("\n  ", copies));
    }

    @Test
    void shouldFailWithAClearErrorWhenTheOnlyCopyDiesAndKeepTheClusterUp() throws Exception
    {
        final Cluster cluster = startCoordinator("node-loss");
        final Path dir = cluster.dir();
        final Path secret = cluster.secret();
        final String coordinator = cluster.coordinator();
        final ForkedProcess coordinatorProcess = cluster.process();
        final ForkedProcess nodeA = startNode("node-a", dir, coordinator, secret);

        // a long kvstore run whose far data lives on node A and mostly not in its 2 MiB ExCache
        final ForkedProcess program = start("program-a", "run", "--coordinator", coordinator, "--secret-file",
            secret.toString(), "--excache", "2m", "--", "-Xmx256m", "-jar", ProjectPaths.samplesJar().getPath(),
            "kvstore", "--working-set", "32m", "--ops", "1000000000");
        awaitLine(program, Pattern.compile("(?m)^loaded|^kvstore: "));
        TimeUnit.SECONDS.sleep(3);
        assertTrue(program.isAlive(), "the program runs before the fault: " + program.logs());

        final long killedAtMs = System.currentTimeMillis();
        ProcessHandle.of(nodeA.pid()).ifPresent(ProcessHandle::destroyForcibly);
        final int exit = program.waitFor(FAILURE_BOUND_MS + 30_000, TimeUnit.MILLISECONDS);
        final long failedAfterMs = System.currentTimeMillis() - killedAtMs;

        final String stderr = program.stderr();
        assertNotEquals(0, exit, "the program must not succeed without its data: " + program.logs());
        assertTrue(failedAfterMs < FAILURE_BOUND_MS, "it failed after " + failedAfterMs + " ms: " + program.logs());
        assertTrue(stderr.contains("FarMemoryError"), "a FarMemoryError: " + program.logs());
        // a read that got no answer ("...fetch of address=0x... node=1 ... failed"), or, when the node died while the
        // program was still filling its table and only wrote, an eviction that found no frame ("...for
        // address=0x...: all 512 frames are ... waiting for write-back acknowledgements ... (node=1 ...)")
        final Matcher named = Pattern.compile("address=0x[0-9a-f]+\\b.*node=\\d+").matcher(stderr);
        assertTrue(named.find(), "the error names the far address and the node: " + program.logs());
        assertFalse(program.stdout().contains("RESULT "), "no result computed from lost data: " + program.logs());
        System.out.println("FAULT workload=kvstore fault=kill-9-only-memory-node failed_after_ms=" + failedAfterMs +
            " exit=" + exit + " error=" + stderr.lines().filter(l -> l.contains("FarMemoryError")).findFirst()
            .orElse("").trim());

        // the coordinator lives on, declares the node dead, and serves a program on a node that joins later
        assertTrue(coordinatorProcess.isAlive(), "the coordinator survives: " + coordinatorProcess.logs());
        awaitLine(coordinatorProcess, Pattern.compile("marked dead"), true);
        startNode("node-b", dir, coordinator, secret);
        final List<String> small = List.of("-jar", ProjectPaths.samplesJar().getPath(), "kvstore",
            "--working-set", "8m", "--ops", "200000");
        final List<String> farRun = new ArrayList<>(List.of("run", "--coordinator", coordinator, "--secret-file",
            secret.toString(), "--excache", "1m", "--", "-Xmx128m"));
        farRun.addAll(small);
        final ForkedProcess after = start("program-b", farRun.toArray(String[]::new));
        assertEquals(0, after.waitFor(3, TimeUnit.MINUTES), after.logs());
        assertEquals(heapChecksum("program-b-heap", "-Xmx128m", small), checksum(after),
            "the later program computes what the heap computes");
    }

    @Test
    void shouldServeThePagesAgainWhenTheOnlyNodeIsKilledAndRestartedWithItsData() throws Exception
    {
        restartTheOnlyNode("restart-kill", true, false);
    }

    @Test
    void shouldServeThePagesAgainWhenTheOnlyNodeIsStoppedAndRestartedOnItsEndpoint() throws Exception
    {
        restartTheOnlyNode("restart-stop", false, true);
    }

    /**
     * kvstore on a one-node cluster (the node holds the only copy of every page), the node stopped 3 s into the update
     * phase ({@code kill -9}, or a graceful stop) and started again at once with its data directory, on a new endpoint
     * or on its old one: the program stalls and then computes the heap run's checksum (issue 12, fault 3).
     */
    private void restartTheOnlyNode(final String name, final boolean kill, final boolean sameEndpoint)
        throws Exception
    {
        final Cluster cluster = startCoordinator(name);
        final String coordinator = cluster.coordinator();
        final Path secret = cluster.secret();
        final String[] bind = sameEndpoint ? new String[]{"--bind", "127.0.0.1:" + freeUdpPort()} : new String[0];
        final ForkedProcess first = startNode(name + "-node", name + "-node", cluster.dir(), coordinator, secret, bind);
        final List<String> workload = KVSTORE_UPDATES;
        final long startedMs = System.currentTimeMillis();
        final ForkedProcess program = startProgram(name + "-program", Map.of("SPLITHEAP_PROGRESS", "1"),
            coordinator, secret, workload);

        final long stoppedAtMs = System.currentTimeMillis();
        final ProcessHandle handle = ProcessHandle.of(first.pid()).orElseThrow();
        if (kill)
        {
            handle.destroyForcibly();
        }
        else
        {
            handle.destroy();
        }
        handle.onExit().get(1, TimeUnit.MINUTES);
        final ForkedProcess second = startNode(name + "-node-again", name + "-node", cluster.dir(), coordinator,
            secret, bind);
        final long backMs = System.currentTimeMillis();
        assertEquals(nodeId(first), nodeId(second), "the node keeps its id: " + second.logs());

        assertEquals(0, program.waitFor(4, TimeUnit.MINUTES), "the program completes: " + program.logs());
        final long endedMs = System.currentTimeMillis();
        assertEquals(heapChecksum(name + "-heap", "-Xmx256m", workload), checksum(program),
            "every acknowledged write survived the restart");
        System.out.println("FAULT workload=kvstore fault=" + (kill ? "kill-9" : "stop") + "-and-restart-only-" +
            "memory-node endpoint=" + (sameEndpoint ? "same" : "new") + " result=same-checksum program_ms=" +
            (endedMs - startedMs) + " node_back_after_ms=" + (backMs - stoppedAtMs) + " ended_after_stop_ms=" +
            (endedMs - stoppedAtMs) + " stall_s=" + longestStallSeconds(program.stderr()));
    }
}
