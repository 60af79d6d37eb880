package io.splitheap.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.splitheap.testsupport.ForkedProcess;
import org.junit.jupiter.api.Assumptions;
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
 * A memory node cut off from the rest of the cluster, then reconnected (issue 12, fault 4; run by
 * {@code mvn -Pfaults verify}, as root: it needs a network namespace). The node runs inside a namespace of the test's
 * own, joined to the host by a veth pair; the coordinator, a second memory node and a kvstore program run on the host
 * side of it. Taking the link down cuts the node off in both directions while it goes on running: the coordinator
 * declares it dead and hands its vRegion to the other node at the next epoch; the program goes on there. When the link
 * comes back the node is heartbeating again and is fenced: it is told to drop the vRegion it no longer holds, so there
 * is one primary, never two (no split brain), and the program computes the heap run's checksum (no loss).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PartitionFaultIT extends ProcessFaultTest
{
    private static final long CUT_MS = 10_000;

    @Test
    void shouldFenceAPartitionedPrimaryAndLoseNothingWhenThePartitionHeals() throws Exception
    {
        Assumptions.assumeTrue(NetworkNamespace.available(), "network namespaces need root and iproute2");
        try (NetworkNamespace namespace = NetworkNamespace.create())
        {
            try
            {
                cutAndHeal(namespace);
            }
            finally
            {
                // before the namespace goes: its node, and the others' sends to it, end with the link up
                stopProcesses();
            }
        }
    }

    private void cutAndHeal(final NetworkNamespace namespace) throws Exception
    {
        final String name = "partition";
        final Cluster cluster = startCoordinatorOn(name, namespace.hostAddress());
        final String coordinator = cluster.coordinator();
        final Path secret = cluster.secret();
        final ForkedProcess cutOff = startNodeIn(namespace, name + "-node-a", cluster.dir(), coordinator,
            secret);
        final int cutOffId = nodeId(cutOff);
        startNode(name + "-node-b", name + "-node-b", cluster.dir(), coordinator, secret, "--bind",
            namespace.hostAddress() + ":0");
        final List<String> workload = KVSTORE_UPDATES;
        final long startedMs = System.currentTimeMillis();
        final ForkedProcess program = startProgram(name + "-program", Map.of("SPLITHEAP_PROGRESS", "1"),
            coordinator, secret, workload);
        final JsonNode before = status(coordinator, secret).get("regions").get(0);
        assertEquals(cutOffId, before.get("primary").asInt(),
            "the node in the namespace (registered first, so chosen on a tie) is the vRegion's primary: " + before);

        final long cutAtMs = System.currentTimeMillis();
        namespace.cut();
        awaitLine(cluster.process(), Pattern.compile("node=" + cutOffId + " at .* marked dead"), true);
        final long declaredMs = System.currentTimeMillis();
        TimeUnit.MILLISECONDS.sleep(Math.max(0, CUT_MS - (declaredMs - cutAtMs)));
        assertTrue(cutOff.isAlive(), "the node ran on through the partition: " + cutOff.logs());
        namespace.heal();
        final long healedMs = System.currentTimeMillis();
        awaitLine(cluster.process(), Pattern.compile("node=" + cutOffId + " at .* is back after it was declared " +
            "dead: told to drop"), true);
        final long fencedMs = System.currentTimeMillis();
        for (final JsonNode region : status(coordinator, secret).get("regions"))
        {
            assertTrue(region.get("primary").asInt() != cutOffId,
                "one primary, the node that took over, not the fenced one: " + region);
        }

        assertEquals(0, program.waitFor(4, TimeUnit.MINUTES), "the program completes: " + program.logs());
        final long endedMs = System.currentTimeMillis();
        assertEquals(heapChecksum(name + "-heap", "-Xmx256m", workload), checksum(program),
            "every acknowledged write survived the partition");
        final String log = cluster.process().stderr();
        assertTrue(log.contains("vRegion=" + before.get("vregion").asLong() + " of pid="),
            "the coordinator moved the vRegion: " + cluster.process().logs());
        System.out.println("FAULT workload=kvstore fault=partition-of-primary-memory-node nodes=2 cut_ms=" +
            (healedMs - cutAtMs) + " result=same-checksum declared_dead_after_ms=" + (declaredMs - cutAtMs) +
            " fenced_after_heal_ms=" + (fencedMs - healedMs) + " program_ms=" + (endedMs - startedMs) +
            " ended_after_cut_ms=" + (endedMs - cutAtMs) + " stall_s=" + longestStallSeconds(program.stderr()));
    }
}
