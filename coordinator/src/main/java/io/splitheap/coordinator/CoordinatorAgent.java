package io.splitheap.coordinator;

import io.aeron.logbuffer.Header;
import io.splitheap.coordinator.internal.AllocationRequests;
import io.splitheap.coordinator.internal.ClusterRegistry;
import io.splitheap.coordinator.internal.MembershipRequests;
import io.splitheap.coordinator.internal.PendingOperations;
import io.splitheap.coordinator.internal.Replication;
import io.splitheap.coordinator.internal.StatusRequests;
import io.splitheap.protocol.codecs.AckDecoder;
import io.splitheap.protocol.codecs.AllocateDecoder;
import io.splitheap.protocol.codecs.ClusterStatusRequestDecoder;
import io.splitheap.protocol.codecs.ErrorCode;
import io.splitheap.protocol.codecs.ErrorResponseDecoder;
import io.splitheap.protocol.codecs.HeartbeatDecoder;
import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.codecs.RegisterNodeDecoder;
import io.splitheap.protocol.codecs.RegionSyncedDecoder;
import io.splitheap.protocol.codecs.RegisterProcessDecoder;
import io.splitheap.protocol.codecs.UnmapDecoder;
import io.splitheap.protocol.codecs.UnregisterProcessDecoder;
import io.splitheap.protocol.transport.ClientEndpoint;
import io.splitheap.protocol.transport.Replier;
import io.splitheap.protocol.transport.RequestServer;
import io.splitheap.protocol.transport.Session;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator's duty cycle: requests from nodes and processes, replies from memory nodes to its control
 * requests, link handshakes, timeouts and liveness checks.
 */
final class CoordinatorAgent implements Agent, RequestServer.Handler
{
    private static final int FRAGMENT_LIMIT = 32;
    private static final long CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(50);

    private final ClientEndpoint client;
    private final PendingOperations pending;
    private final MembershipRequests membership;
    private final AllocationRequests allocation;
    private final Replication replication;
    private final StatusRequests status;
    private final Replier replier;
    private final ClusterRegistry registry;
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final AckDecoder ackDecoder = new AckDecoder();
    private final ErrorResponseDecoder errorDecoder = new ErrorResponseDecoder();
    private RequestServer server;
    private long lastCheckNs;

    CoordinatorAgent(
        final ClientEndpoint client,
        final PendingOperations pending,
        final MembershipRequests membership,
        final AllocationRequests allocation,
        final Replication replication,
        final StatusRequests status,
        final Replier replier,
        final ClusterRegistry registry)
    {
        this.registry = registry;
        this.replication = replication;
        this.status = status;
        this.client = client;
        this.pending = pending;
        this.membership = membership;
        this.allocation = allocation;
        this.replier = replier;
    }

    void server(final RequestServer server)
    {
        this.server = server;
    }

    public int doWork()
    {
        final long now = System.nanoTime();
        final int requests = server.poll(FRAGMENT_LIMIT);
        int work = requests + client.poll(FRAGMENT_LIMIT);
        if (now - lastCheckNs > CHECK_INTERVAL_NS)
        {
            lastCheckNs = now;
            work += client.doWork(now);
            work += pending.checkTimeouts(now);
            // judge liveness only with the inbox drained: after this thread was starved (a loaded host), heartbeats
            // still queued are evidence of life, not silence
            if (requests < FRAGMENT_LIMIT)
            {
                work += membership.checkLiveness(now);
            }
            work += replication.doWork(now);
        }
        if (work > 0)
        {
            // what changed without a reply or command revealing it (a release, a death) is written here
            registry.makeDurable();
        }
        return work;
    }

    public String roleName()
    {
        return "splitheap-coordinator";
    }

    public void onRequest(
        final Session session, final int templateId, final DirectBuffer buffer, final int offset, final int length)
    {
        view.wrap(buffer, offset, length);
        final long now = System.nanoTime();
        try
        {
            switch (templateId)
            {
                case HeartbeatDecoder.TEMPLATE_ID -> membership.onHeartbeat(session, view, now);
                case AllocateDecoder.TEMPLATE_ID -> allocation.onAllocate(session, view, now);
                case UnmapDecoder.TEMPLATE_ID -> allocation.onUnmap(session, view, now);
                case RegisterNodeDecoder.TEMPLATE_ID -> membership.onRegisterNode(session, view, now);
                case RegisterProcessDecoder.TEMPLATE_ID -> membership.onRegisterProcess(session, view, now);
                case UnregisterProcessDecoder.TEMPLATE_ID -> membership.onUnregisterProcess(session, view, now);
                case RegionSyncedDecoder.TEMPLATE_ID -> replication.onRegionSynced(view, now);
                case ClusterStatusRequestDecoder.TEMPLATE_ID -> status.onClusterStatus(
                    session, view, server.authFailures() + replier.badSecrets(), server.malformedMessages());
                default -> malformed(session, "the coordinator does not handle templateId=" + templateId);
            }
        }
        catch (final IndexOutOfBoundsException | IllegalStateException ex)
        {
            malformed(session, "truncated or inconsistent message templateId=" + templateId + ": " + ex.getMessage());
        }
    }

    void onNodeReply(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.templateId() == AckDecoder.TEMPLATE_ID)
        {
            ackDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
            pending.onAck(ackDecoder.correlationId());
        }
        else if (headerDecoder.templateId() == ErrorResponseDecoder.TEMPLATE_ID)
        {
            errorDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
            pending.onError(errorDecoder.correlationId(), errorDecoder.code(), errorDecoder.address(),
                errorDecoder.message());
        }
    }

    private void malformed(final Session session, final String message)
    {
        final int correlationOffset = MessageHeaderDecoder.ENCODED_LENGTH;
        final long correlationId = view.capacity() >= correlationOffset + Long.BYTES ?
            view.getLong(correlationOffset, ByteOrder.LITTLE_ENDIAN) : 0;
        replier.error(session, correlationId, ErrorCode.MALFORMED, 0, message);
    }
}
