package io.splitheap.launcher.cluster;

import io.aeron.Aeron;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.codecs.BooleanType;
import io.splitheap.protocol.codecs.ClusterStatusDecoder;
import io.splitheap.protocol.codecs.ClusterStatusRequestEncoder;
import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.codecs.MessageHeaderEncoder;
import io.splitheap.protocol.exceptions.TimeoutException;
import io.splitheap.protocol.transport.ClientEndpoint;
import io.splitheap.protocol.transport.TransportSecurity;
import io.splitheap.protocol.transport.ServerLink;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Asks a coordinator for the cluster's status: nodes, processes, vRegions and security counters.
 */
public final class ClusterStatusClient implements AutoCloseable
{
    private final ClientEndpoint client;
    private final ServerLink link;
    private final long timeoutNs;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private volatile ClusterView lastView;
    private long awaitedCorrelationId;
    private long coordinatorAuthFailures;
    private long coordinatorMalformedMessages;

    /**
     * Connects to a coordinator.
     *
     * @param aeron       client.
     * @param coordinator its endpoint.
     * @param mtu         transport MTU.
     * @param termLength  transport term length.
     * @param timeoutNs   timeout for connecting and for each request.
     * @param security    the cluster's secret.
     */
    public ClusterStatusClient(
        final Aeron aeron,
        final Endpoint coordinator,
        final int mtu,
        final int termLength,
        final long timeoutNs,
        final TransportSecurity security)
    {
        this.timeoutNs = timeoutNs;
        this.client = new ClientEndpoint(aeron, coordinator.host(), mtu, termLength,
            (buffer, offset, length, h) -> onReply(buffer, offset), timeoutNs, security,
            new io.splitheap.protocol.runtime.ErrorLog("status", System.err));
        this.link = client.connect(coordinator, timeoutNs);
    }

    /**
     * The cluster's nodes.
     *
     * @return nodes in id order.
     */
    public List<NodeStatus> status()
    {
        return view().nodes();
    }

    /**
     * Everything the coordinator reports.
     *
     * @return the view.
     */
    public ClusterView view()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final ClusterStatusRequestEncoder encoder = new ClusterStatusRequestEncoder();
        awaitedCorrelationId = client.nextCorrelationId();
        lastView = null;
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(awaitedCorrelationId);
        link.send(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(), timeoutNs);
        final long deadline = System.nanoTime() + timeoutNs;
        while (lastView == null)
        {
            if (client.poll(16) == 0)
            {
                if (System.nanoTime() > deadline)
                {
                    throw new TimeoutException("the coordinator did not answer a status request");
                }
                Thread.yield();
            }
        }
        return lastView;
    }

    /**
     * Closes the connection.
     */
    public void close()
    {
        client.close();
    }

    private void onReply(final org.agrona.DirectBuffer buffer, final int offset)
    {
        header.wrap(buffer, offset);
        if (header.templateId() != ClusterStatusDecoder.TEMPLATE_ID)
        {
            return;
        }
        final ClusterStatusDecoder decoder = new ClusterStatusDecoder();
        decoder.wrapAndApplyHeader(buffer, offset, header);
        if (decoder.correlationId() != awaitedCorrelationId)
        {
            return;
        }
        final List<NodeStatus> nodes = new ArrayList<>();
        for (final ClusterStatusDecoder.NodesDecoder node : decoder.nodes())
        {
            nodes.add(new NodeStatus(node.nodeId(), node.kind(), node.alive() == BooleanType.TRUE,
                node.capacityBytes(), node.mappedBytes(), node.usedPages(), node.peakPages(),
                node.connected() == BooleanType.TRUE, node.authFailures(), node.malformedMessages(),
                node.heartbeatAgeMs(), node.requestsPerSecond(), node.endpoint()));
        }
        final List<ClusterView.ProcessStatus> processes = new ArrayList<>();
        for (final ClusterStatusDecoder.ProcessListDecoder process : decoder.processList())
        {
            final int pid = process.pid();
            final long hostPid = process.hostPid();
            final long live = process.liveBytes();
            final long reserved = process.reservedBytes();
            final long age = process.heartbeatAgeMs();
            processes.add(new ClusterView.ProcessStatus(pid, hostPid, process.hostName(), live, reserved, age));
        }
        final List<ClusterView.RegionStatus> regions = new ArrayList<>();
        for (final ClusterStatusDecoder.RegionsDecoder region : decoder.regions())
        {
            regions.add(new ClusterView.RegionStatus(region.pid(), region.vRegion(), region.epoch(),
                region.primaryNodeId(), region.secondaryNodeId(), region.secondaryState()));
        }
        coordinatorAuthFailures = decoder.authFailures();
        coordinatorMalformedMessages = decoder.malformedMessages();
        lastView = new ClusterView(coordinatorAuthFailures, coordinatorMalformedMessages, decoder.processes(),
            decoder.regionCount(), nodes, processes, regions);
    }

    /**
     * The coordinator's own refused handshakes and forged or replayed messages, as of the last {@link #status()}.
     *
     * @return count.
     */
    public long coordinatorAuthFailures()
    {
        return coordinatorAuthFailures;
    }

    /**
     * The coordinator's own malformed messages, as of the last {@link #status()}.
     *
     * @return count.
     */
    public long coordinatorMalformedMessages()
    {
        return coordinatorMalformedMessages;
    }
}
