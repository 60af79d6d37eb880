package io.splitheap.launcher.cluster;

import io.splitheap.protocol.codecs.SecondaryState;

import java.util.List;

/**
 * The whole status a coordinator reports: its own security counters, members, processes and vRegion placement.
 *
 * @param authFailures      the coordinator's refused handshakes, forged or replayed messages and wrong secrets.
 * @param malformedMessages the coordinator's malformed messages.
 * @param processCount      registered processes (the list holds at most 200).
 * @param regionCount       assigned vRegions (the list holds at most 500).
 * @param nodes             memory and storage nodes.
 * @param processes         registered processes, lowest pids first.
 * @param regions           vRegions by pid.
 */
public record ClusterView(
    long authFailures,
    long malformedMessages,
    int processCount,
    int regionCount,
    List<NodeStatus> nodes,
    List<ProcessStatus> processes,
    List<RegionStatus> regions)
{
    /**
     * A process as the coordinator reports it.
     *
     * @param pid            cluster-wide process id.
     * @param hostPid        the OS process id on its host.
     * @param hostName       its host.
     * @param liveBytes      bytes of far arrays allocated and not freed.
     * @param reservedBytes  far address space handed to it.
     * @param heartbeatAgeMs time since its last heartbeat.
     */
    public record ProcessStatus(
        int pid, long hostPid, String hostName, long liveBytes, long reservedBytes, long heartbeatAgeMs)
    {
    }

    /**
     * Where a vRegion of a process lives.
     *
     * @param pid             the process.
     * @param vRegion         vRegion number.
     * @param epoch           its epoch.
     * @param primaryNodeId   the node serving it.
     * @param secondaryNodeId its secondary (0: none).
     * @param secondaryState  how far the secondary's copy is: NONE, PREPARING, SYNCING (being filled) or SYNCED.
     */
    public record RegionStatus(
        int pid, long vRegion, long epoch, int primaryNodeId, int secondaryNodeId, SecondaryState secondaryState)
    {
    }
}
