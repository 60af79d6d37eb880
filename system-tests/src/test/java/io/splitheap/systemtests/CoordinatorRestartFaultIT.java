package io.splitheap.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitheap.testsupport.ForkedProcess;
import io.splitheap.testsupport.ProjectPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kill -9} of the coordinator while a program runs on two memory nodes, and a restart on the same endpoint with
 * its data directory (issue 12, fault 5; run by {@code mvn -Pfaults verify}): the program completes with the heap
 * run's checksum, the nodes and the program are back in touch with the new coordinator process, and a program started
 * afterwards gets far memory and computes the heap's result too.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CoordinatorRestartFaultIT extends ProcessFaultTest
{
    private static final long DOWN_MS = 2_000;

    @Test
    void shouldCompleteTheWorkloadAndServeNewProgramsWhenTheCoordinatorIsKilledAndRestarted() throws Exception
    {
        final String name = "coordinator-restart";
        final Path state = LOGS.toPath().resolve(name + "-" + ProcessHandle.current().pid() + "-state");
        final Cluster cluster = startCoordinator(name, "--data-dir", state.toString());
        final String coordinator = cluster.coordinator();
        final Path secret = cluster.secret();
        startNodes(cluster.dir(), coordinator, secret, name + "-node-a", name + "-node-b");
        final List<String> workload = KVSTORE_UPDATES;
        final long startedMs = System.currentTimeMillis();
        final ForkedProcess program = startProgram(name + "-program", Map.of("SPLITHEAP_PROGRESS", "1"),
            coordinator, secret, workload);
        final JsonNode before = status(coordinator, secret);

        final long killedAtMs = System.currentTimeMillis();
        final ProcessHandle killed = ProcessHandle.of(cluster.process().pid()).orElseThrow();
        killed.destroyForcibly();
        killed.onExit().get(1, TimeUnit.MINUTES);
        TimeUnit.MILLISECONDS.sleep(DOWN_MS);
        final ForkedProcess again = start(name + "-coordinator-again", "coordinator", "--bind", coordinator,
            "--secret-file", secret.toString(), "--data-dir", state.toString());
        awaitLine(again, Pattern.compile("splitheap-coordinator-ready"));
        final long backMs = System.currentTimeMillis();
        awaitLine(again, Pattern.compile("coordinator restarted from .*: 2 node\\(s\\), 1 process\\(es\\)"), true);
        awaitLine(again, Pattern.compile("process pid=\\d+ .* is back in touch after the coordinator restarted"),
            true);
        final long reconnectedMs = System.currentTimeMillis();
        final JsonNode after = status(coordinator, secret);
        assertEquals(before.get("region_count").asInt(), after.get("region_count").asInt(),
            "the restarted coordinator knows the running program's vRegions: " + after);
        for (final JsonNode node : after.get("nodes"))
        {
            assertTrue(node.get("alive").asBoolean() && node.get("heartbeat_age_ms").asLong() < 5_000,
                "the nodes heartbeat to the restarted coordinator: " + after);
        }

        assertEquals(0, program.waitFor(4, TimeUnit.MINUTES), "the program completes: " + program.logs());
        final long endedMs = System.currentTimeMillis();
        assertEquals(heapChecksum(name + "-heap", "-Xmx256m", workload), checksum(program),
            "every acknowledged write survived the coordinator's restart");

        final List<String> small = List.of("-jar", ProjectPaths.samplesJar().getPath(), "kvstore",
            "--working-set", "8m", "--ops", "200000");
        final ForkedProcess later = start(name + "-program-later", farRun(coordinator, secret, small)
            .toArray(String[]::new));
        assertEquals(0, later.waitFor(3, TimeUnit.MINUTES), later.logs());
        assertEquals(heapChecksum(name + "-heap-later", "-Xmx256m", small), checksum(later),
            "a program started after the restart gets far memory and computes what the heap computes");

        System.out.println("FAULT workload=kvstore fault=kill-9-coordinator-and-restart nodes=2 down_ms=" +
            (backMs - killedAtMs) + " result=same-checksum program_ms=" + (endedMs - startedMs) +
            " program_back_in_touch_after_restart_ms=" + (reconnectedMs - backMs) + " ended_after_kill_ms=" +
            (endedMs - killedAtMs) + " stall_s=" + longestStallSeconds(program.stderr()) + " later_program=ok");
    }
}
