package io.splitheap.coordinator.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/**
 * JFR event of the coordinator: a memory or storage node was declared dead, as {@code io.splitheap.Failover}: which
 * node, how long it had been silent, the failure detector's phi, and the vRegions and processes it affects (no new
 * vRegions go to the node; the vRegions it held as primary or secondary are the ones a failover moves). Recorded by
 * any JFR recording of the coordinator's JVM.
 */
@Name("io.splitheap.Failover")
@Label("Node Declared Dead")
@Category("Splitheap")
@Description("The coordinator declared a node dead: its vRegions are affected")
public final class FailoverEvent extends jdk.jfr.Event
{
    @Label("Node")
    int nodeId;

    @Label("Kind")
    String kind;

    @Label("Endpoint")
    String endpoint;

    @Label("Silence")
    @Description("Time since the node's last heartbeat")
    @Timespan(Timespan.NANOSECONDS)
    long silenceNanos;

    @Label("Phi")
    @Description("The failure detector's suspicion level when it declared the node dead")
    double phi;

    @Label("Primary vRegions")
    int primaryRegions;

    @Label("Secondary vRegions")
    int secondaryRegions;

    @Label("Processes")
    @Description("Processes with a vRegion on the node")
    int processes;

    /**
     * Whether a recording wants the event (check before counting what it reports).
     *
     * @return true if enabled.
     */
    public static boolean wanted()
    {
        return new FailoverEvent().shouldCommit();
    }

    /**
     * Records a node declared dead.
     *
     * @param nodeId           node.
     * @param kind             memory or storage.
     * @param endpoint         its endpoint.
     * @param silenceNanos     time since its last heartbeat.
     * @param phi              the detector's phi.
     * @param primaryRegions   vRegions it held as primary.
     * @param secondaryRegions vRegions it held as secondary.
     * @param processes        processes with a vRegion there.
     */
    public static void record(
        final int nodeId,
        final String kind,
        final String endpoint,
        final long silenceNanos,
        final double phi,
        final int primaryRegions,
        final int secondaryRegions,
        final int processes)
    {
        final FailoverEvent event = new FailoverEvent();
        if (event.shouldCommit())
        {
            event.nodeId = nodeId;
            event.kind = kind;
            event.endpoint = endpoint;
            event.silenceNanos = silenceNanos;
            event.phi = phi;
            event.primaryRegions = primaryRegions;
            event.secondaryRegions = secondaryRegions;
            event.processes = processes;
            event.commit();
        }
    }
}
