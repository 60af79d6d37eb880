package io.splitheap.launcher.cluster;

import io.splitheap.protocol.codecs.NodeKind;

/**
 * One node as the coordinator reports it.
 *
 * @param nodeId        node id.
 * @param kind          memory or storage.
 * @param alive         whether it heartbeats.
 * @param capacityBytes capacity offered.
 * @param mappedBytes   bytes of vmas placed on it.
 * @param usedPages     pages it holds now.
 * @param peakPages     most pages it held at once.
 * @param connected     whether the coordinator can place vRegions on it now.
 * @param authFailures      refused handshakes and forged or replayed messages it reported.
 * @param malformedMessages messages that failed validation it reported.
 * @param heartbeatAgeMs    time since its last heartbeat.
 * @param requestsPerSecond data requests per second between its last two heartbeats.
 * @param endpoint      where it receives requests.
 */
public record NodeStatus(
    int nodeId,
    NodeKind kind,
    boolean alive,
    long capacityBytes,
    long mappedBytes,
    long usedPages,
    long peakPages,
    boolean connected,
    long authFailures,
    long malformedMessages,
    long heartbeatAgeMs,
    long requestsPerSecond,
    String endpoint)
{
}
