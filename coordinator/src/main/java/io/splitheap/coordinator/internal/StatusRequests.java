package io.splitheap.coordinator.internal;

import io.splitheap.protocol.codecs.BooleanType;
import io.splitheap.protocol.codecs.ClusterStatusEncoder;
import io.splitheap.protocol.codecs.ClusterStatusRequestDecoder;
import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.codecs.MessageHeaderEncoder;
import io.splitheap.protocol.transport.Session;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Answers {@code ClusterStatusRequest}: members, processes and vRegion placement as the coordinator sees them, with
 * every server's security counters (what {@code bin/splitheap status} shows).
 */
public final class StatusRequests
{
    /**
     * Most nodes and most processes listed.
     */
    public static final int MAX_LISTED = 200;

    /**
     * Most vRegions listed.
     */
    public static final int MAX_REGIONS = 500;

    private final ClusterRegistry registry;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ClusterStatusRequestDecoder statusRequestDecoder = new ClusterStatusRequestDecoder();
    private final ClusterStatusEncoder statusEncoder = new ClusterStatusEncoder();
    private final UnsafeBuffer reply = new UnsafeBuffer(new byte[64 * 1024]);

    /**
     * Status of a registry.
     *
     * @param registry the cluster model.
     */
    public StatusRequests(final ClusterRegistry registry)
    {
        this.registry = registry;
    }

    /**
     * Answers with the cluster's status.
     *
     * @param session           the client.
     * @param buffer            the message.
     * @param authFailures      the coordinator's refused handshakes and forged messages.
     * @param malformedMessages the coordinator's malformed messages.
     */
    public void onClusterStatus(
        final Session session, final DirectBuffer buffer, final long authFailures, final long malformedMessages)
    {
        statusRequestDecoder.wrapAndApplyHeader(buffer, 0, headerDecoder);
        final long nowNs = System.nanoTime();
        final List<MemberNode> nodes = registry.nodes();
        nodes.sort((a, b) -> Integer.compare(a.id(), b.id()));
        final List<ProcessRecord> processes = new ArrayList<>(registry.processes());
        processes.sort((a, b) -> Integer.compare(a.pid(), b.pid()));
        int regionCount = 0;
        for (final ProcessRecord process : processes)
        {
            regionCount += process.regions().size();
        }
        statusEncoder.wrapAndApplyHeader(reply, 0, headerEncoder)
            .correlationId(statusRequestDecoder.correlationId())
            .processes(processes.size())
            .authFailures(authFailures)
            .malformedMessages(malformedMessages)
            .regionCount(regionCount);
        final ClusterStatusEncoder.NodesEncoder group = statusEncoder.nodesCount(Math.min(nodes.size(), MAX_LISTED));
        for (int i = 0; i < Math.min(nodes.size(), MAX_LISTED); i++)
        {
            final MemberNode node = nodes.get(i);
            group.next()
                .nodeId(node.id())
                .kind(node.kind())
                .alive(node.isAlive() ? BooleanType.TRUE : BooleanType.FALSE)
                .capacityBytes(node.capacityBytes())
                .mappedBytes(node.mappedBytes())
                .usedPages(node.usedPages())
                .peakPages(node.peakPages())
                .connected(node.isPlaceable() ? BooleanType.TRUE : BooleanType.FALSE)
                .authFailures(node.authFailures())
                .malformedMessages(node.malformedMessages())
                .heartbeatAgeMs((nowNs - node.lastHeartbeatNs()) / 1_000_000)
                .requestsPerSecond(node.requestsPerSecond())
                .endpoint(node.endpoint().toString());
        }
        final int processCount = Math.min(processes.size(), MAX_LISTED);
        final ClusterStatusEncoder.ProcessListEncoder processGroup = statusEncoder.processListCount(processCount);
        for (int i = 0; i < processCount; i++)
        {
            final ProcessRecord process = processes.get(i);
            long live = 0;
            long reserved = 0;
            for (final RegionRecord region : process.regions())
            {
                live += region.live();
                reserved += region.used();
            }
            final String hostName = process.hostName();
            processGroup.next()
                .pid(process.pid())
                .hostPid(process.hostPid())
                .liveBytes(live)
                .reservedBytes(reserved)
                .heartbeatAgeMs((nowNs - process.lastHeartbeatNs()) / 1_000_000)
                .hostName(hostName.length() > 64 ? hostName.substring(0, 64) : hostName);
        }
        final ClusterStatusEncoder.RegionsEncoder regionGroup =
            statusEncoder.regionsCount(Math.min(regionCount, MAX_REGIONS));
        int written = 0;
        for (int p = 0; p < processes.size() && written < MAX_REGIONS; p++)
        {
            final ProcessRecord process = processes.get(p);
            final List<RegionRecord> regions = process.regions();
            for (int r = 0; r < regions.size() && written < MAX_REGIONS; r++, written++)
            {
                final RegionRecord region = regions.get(r);
                regionGroup.next()
                    .pid(process.pid())
                    .vRegion(region.vRegion())
                    .epoch(region.epoch())
                    .primaryNodeId(region.primaryNodeId())
                    .secondaryNodeId(region.secondaryNodeId())
                    .secondaryState(region.secondaryState());
            }
        }
        session.send(reply, 0, MessageHeaderEncoder.ENCODED_LENGTH + statusEncoder.encodedLength());
    }

}
