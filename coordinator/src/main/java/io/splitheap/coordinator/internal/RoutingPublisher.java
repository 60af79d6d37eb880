package io.splitheap.coordinator.internal;

import io.splitheap.protocol.codecs.MessageHeaderEncoder;
import io.splitheap.protocol.codecs.RoutingUpdateEncoder;
import io.splitheap.protocol.transport.Session;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Pushes routing to processes when it changes under them: a memory node that comes back on another endpoint, a
 * promoted secondary after a failover, a new secondary during re-replication. Each push carries a cluster-wide
 * routing epoch that only grows; a secondary still being prepared is not routed.
 */
public final class RoutingPublisher
{
    private static final int MAX_REGIONS_PER_MESSAGE = 400;

    private final ClusterRegistry registry;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64 * 1024]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final RoutingUpdateEncoder encoder = new RoutingUpdateEncoder();
    private long pushes;

    /**
     * A publisher.
     *
     * @param registry the cluster model.
     */
    public RoutingPublisher(final ClusterRegistry registry)
    {
        this.registry = registry;
    }

    /**
     * Tells every process with vRegions on a node where they are now.
     *
     * @param nodeId the node whose endpoint or role changed.
     * @return processes told.
     */
    public int nodeMoved(final int nodeId)
    {
        final long routingEpoch = registry.nextRoutingEpoch();
        int told = 0;
        for (final ProcessRecord process : registry.processes())
        {
            final List<RegionRecord> regions = new ArrayList<>();
            for (final RegionRecord region : process.regions())
            {
                if (region.primaryNodeId() == nodeId || region.secondaryNodeId() == nodeId)
                {
                    regions.add(region);
                }
            }
            if (!regions.isEmpty() && process.session() != null)
            {
                push(process, regions, routingEpoch);
                told++;
            }
        }
        return told;
    }

    /**
     * Tells a process where some of its vRegions live now (after a failover).
     *
     * @param process the process.
     * @param regions its changed vRegions.
     */
    public void regionsChanged(final ProcessRecord process, final List<RegionRecord> regions)
    {
        if (!regions.isEmpty() && process.session() != null)
        {
            push(process, regions, registry.nextRoutingEpoch());
        }
    }

    /**
     * The endpoint of a node as routing sends it.
     *
     * @param registry the cluster.
     * @param nodeId   the node, 0 for none.
     * @return its endpoint, or empty for none (no node, or a node the registry forgot).
     */
    static String endpointOf(final ClusterRegistry registry, final int nodeId)
    {
        final MemberNode node = nodeId == 0 ? null : registry.node(nodeId);
        return node == null ? "" : node.endpoint().toString();
    }

    static long incarnationOf(final ClusterRegistry registry, final int nodeId)
    {
        final MemberNode node = nodeId == 0 ? null : registry.node(nodeId);
        return node == null ? 0 : node.incarnation();
    }

    /**
     * Pushes sent so far.
     *
     * @return count.
     */
    public long pushes()
    {
        return pushes;
    }

    private void push(final ProcessRecord process, final List<RegionRecord> regions, final long routingEpoch)
    {
        registry.makeDurable();
        final Session session = process.session();
        for (int from = 0; from < regions.size(); from += MAX_REGIONS_PER_MESSAGE)
        {
            final int to = Math.min(regions.size(), from + MAX_REGIONS_PER_MESSAGE);
            encoder.wrapAndApplyHeader(buffer, 0, headerEncoder).epoch(routingEpoch).pid(process.pid());
            final RoutingUpdateEncoder.RegionsEncoder group = encoder.regionsCount(to - from);
            for (int i = from; i < to; i++)
            {
                final RegionRecord region = regions.get(i);
                group.next()
                    .vRegion(region.vRegion())
                    .epoch(region.epoch())
                    .primaryNodeId(region.primaryNodeId())
                    .secondaryNodeId(region.routedSecondaryNodeId())
                    .primaryIncarnation(incarnationOf(registry, region.primaryNodeId()))
                    .secondaryIncarnation(incarnationOf(registry, region.routedSecondaryNodeId()))
                    .primaryEndpoint(endpointOf(registry, region.primaryNodeId()))
                    .secondaryEndpoint(endpointOf(registry, region.routedSecondaryNodeId()));
            }
            session.send(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
            pushes++;
        }
    }
}
