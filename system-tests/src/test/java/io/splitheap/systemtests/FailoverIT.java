package io.splitheap.systemtests;

import io.splitheap.launcher.cluster.EmbeddedCluster;
import io.splitheap.launcher.cluster.NodeStatus;
import io.splitheap.memorynode.MemoryNode;
import io.splitheap.testsupport.ForkedProcess;
import io.splitheap.testsupport.StatsLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failover in the default build (the fault-injection profile kills separate processes; this stops a node inside the
 * test's own cluster): a program whose far data lies on two memory nodes, each the primary of some vRegions and the
 * secondary of the others (16 MiB vRegions), loses one node in the middle of its updates and still computes what it
 * computes on the heap. Its vRegions on the dead node move to their secondaries; those whose secondary died go on
 * without one.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FailoverIT
{
    @Test
    void shouldComputeTheSameResultWhenAMemoryNodeDiesMidRun() throws Exception
    {
        final String[] workload = {"kvstore", "--working-set", "16m", "--ops", "150000"};
        final String expected = StatsLine.checksum(FarRuns.run("failover-heap", "256m", null, workload).stdout());
        try (EmbeddedCluster cluster = FarRuns.cluster())
        {
            final ForkedProcess program = FarRuns.start("failover-far", "128m",
                cluster.agentOptions() + ",excache=2m,stats=true", workload);
            final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!program.stdout().contains("loaded keys="))
            {
                assertTrue(program.isAlive() && System.nanoTime() < deadline, "the program loads: " + program.logs());
                Thread.sleep(50);
            }
            final MemoryNode victim = cluster.memoryNodes().get(0);
            final int victimId = victim.nodeId();
            victim.close();

            assertEquals(0, program.waitFor(3, TimeUnit.MINUTES), "the program completes: " + program.logs());
            assertEquals(expected, StatsLine.checksum(program.stdout()), "nothing acknowledged was lost");
            assertTrue(cluster.status().stream().anyMatch((NodeStatus n) -> n.nodeId() == victimId && !n.alive()),
                "the coordinator declared node " + victimId + " dead while the program ran: " + cluster.status());
        }
    }
}
