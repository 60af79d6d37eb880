package io.splitheap.protocol.transport;

import io.splitheap.protocol.codecs.AckEncoder;
import io.splitheap.protocol.codecs.ErrorCode;
import io.splitheap.protocol.codecs.ErrorResponseEncoder;
import io.splitheap.protocol.codecs.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Encodes and sends the generic replies ({@code Ack}, {@code ErrorResponse}) of a server. Single-threaded.
 */
public final class Replier
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final AckEncoder ackEncoder = new AckEncoder();
    private final ErrorResponseEncoder errorEncoder = new ErrorResponseEncoder();
    private int nodeId;
    private long errorsSent;

    /**
     * A replier for a node.
     *
     * @param nodeId id put in error replies (0 for the coordinator).
     */
    public Replier(final int nodeId)
    {
        this.nodeId = nodeId;
    }

    /**
     * Acknowledges a request.
     *
     * @param session       the client.
     * @param correlationId the request's id.
     * @return true if sent.
     */
    public boolean ack(final Session session, final long correlationId)
    {
        ackEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder).correlationId(correlationId);
        return session.send(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + ackEncoder.encodedLength());
    }

    /**
     * Answers a request with an error.
     *
     * @param session       the client.
     * @param correlationId the request's id.
     * @param code          what kind of error.
     * @param address       far address concerned or 0.
     * @param message       what was wrong and what to do.
     * @return true if sent.
     */
    public boolean error(
        final Session session, final long correlationId, final ErrorCode code, final long address, final String message)
    {
        errorsSent++;
        errorEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(correlationId)
            .code(code)
            .nodeId(nodeId)
            .address(address)
            .message(message.length() > 1000 ? message.substring(0, 1000) : message);
        return session.send(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + errorEncoder.encodedLength());
    }

    /**
     * Sets the node id put in error replies, once known.
     *
     * @param nodeId the id.
     */
    public void nodeId(final int nodeId)
    {
        this.nodeId = nodeId;
    }

    /**
     * Error replies sent so far.
     *
     * @return count.
     */
    public long errorsSent()
    {
        return errorsSent;
    }
}
