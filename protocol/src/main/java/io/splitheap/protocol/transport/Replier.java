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
    private long badSecrets;
    private io.splitheap.protocol.runtime.RateLimitedLog refusalLog;

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
        if (code == ErrorCode.BAD_SECRET)
        {
            badSecrets++;
            if (refusalLog != null)
            {
                refusalLog.warn(System.nanoTime(), () -> "refused a request from session=" + session.sessionId() +
                    ": " + message);
            }
        }
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
     * Reports refusals for a wrong process secret or coordinator token, at most once every 10 s.
     *
     * @param errorHandler where reports go.
     */
    public void refusalLog(final org.agrona.ErrorHandler errorHandler)
    {
        this.refusalLog = new io.splitheap.protocol.runtime.RateLimitedLog(errorHandler);
    }

    /**
     * Requests refused for a wrong process secret or coordinator token.
     *
     * @return count.
     */
    public long badSecrets()
    {
        return badSecrets;
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
