package io.splitheap.storagenode;

import io.splitheap.protocol.codecs.ErrorCode;
import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.membership.NodeMembership;
import io.splitheap.protocol.transport.ClientEndpoint;
import io.splitheap.protocol.transport.Replier;
import io.splitheap.protocol.transport.RequestServer;
import io.splitheap.protocol.transport.Session;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;

import java.nio.ByteOrder;

/**
 * The storage node's duty cycle: membership and heartbeats. It serves no requests yet; any request is answered
 * with an error that says so.
 */
final class StorageNodeAgent implements Agent, RequestServer.Handler
{
    private static final int FRAGMENT_LIMIT = 16;

    private final NodeMembership membership;
    private final ClientEndpoint client;
    private final Replier replier = new Replier(0);
    private RequestServer server;

    StorageNodeAgent(final NodeMembership membership, final ClientEndpoint client)
    {
        this.membership = membership;
        this.client = client;
    }

    void server(final RequestServer server)
    {
        this.server = server;
    }

    public int doWork()
    {
        int work = server.poll(FRAGMENT_LIMIT);
        work += client.poll(FRAGMENT_LIMIT);
        work += membership.doWork(System.nanoTime());
        replier.nodeId(membership.nodeId());
        return work;
    }

    public String roleName()
    {
        return "splitheap-storage-node";
    }

    public void onRequest(
        final Session session, final int templateId, final DirectBuffer buffer, final int offset, final int length)
    {
        final int correlationOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final long correlationId = length >= MessageHeaderDecoder.ENCODED_LENGTH + Long.BYTES ?
            buffer.getLong(correlationOffset, ByteOrder.LITTLE_ENDIAN) : 0;
        replier.error(session, correlationId, ErrorCode.INVALID_ARGUMENT, 0,
            "storage node serves no requests in this version (templateId=" + templateId + ")");
    }
}
