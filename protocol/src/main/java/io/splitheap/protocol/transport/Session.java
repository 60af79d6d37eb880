package io.splitheap.protocol.transport;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;

/**
 * One client of a {@link RequestServer}: identified by the Aeron session id of the client's publication, replied
 * to on the channel the client named in its {@code Connect} message.
 */
public final class Session
{
    private static final int MAX_OFFER_ATTEMPTS = 200;

    private final int sessionId;
    private long connectCorrelationId;
    private final String replyChannel;
    private final int replyStreamId;
    private final long registrationId;
    private final long createdNs;
    private ExclusivePublication publication;
    private boolean ready;
    private long failedSends;
    private Object attachment;

    Session(
        final int sessionId,
        final long connectCorrelationId,
        final String replyChannel,
        final int replyStreamId,
        final long registrationId,
        final long createdNs)
    {
        this.sessionId = sessionId;
        this.connectCorrelationId = connectCorrelationId;
        this.replyChannel = replyChannel;
        this.replyStreamId = replyStreamId;
        this.registrationId = registrationId;
        this.createdNs = createdNs;
    }

    /**
     * Aeron session id of the client's publication.
     *
     * @return the id.
     */
    public int sessionId()
    {
        return sessionId;
    }

    /**
     * The channel replies go to.
     *
     * @return channel URI.
     */
    public String replyChannel()
    {
        return replyChannel;
    }

    /**
     * Whatever the request handler wants to associate with this client.
     *
     * @return the attachment or null.
     */
    public Object attachment()
    {
        return attachment;
    }

    /**
     * Associates an object with this client.
     *
     * @param attachment the object.
     */
    public void attachment(final Object attachment)
    {
        this.attachment = attachment;
    }

    /**
     * Replies that could not be sent (client gone or persistently back-pressured).
     *
     * @return count.
     */
    public long failedSends()
    {
        return failedSends;
    }

    /**
     * Sends a message to the client, retrying briefly on back pressure.
     *
     * @param buffer holding the message.
     * @param offset where it starts.
     * @param length its length.
     * @return true if sent.
     */
    public boolean send(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!ready)
        {
            failedSends++;
            return false;
        }
        for (int attempt = 0; attempt < MAX_OFFER_ATTEMPTS; attempt++)
        {
            final long result = publication.offer(buffer, offset, length);
            if (result > 0)
            {
                return true;
            }
            if (result == Publication.NOT_CONNECTED || result == Publication.CLOSED ||
                result == Publication.MAX_POSITION_EXCEEDED)
            {
                break;
            }
            Thread.yield();
        }
        failedSends++;
        return false;
    }

    long connectCorrelationId()
    {
        return connectCorrelationId;
    }

    void connectCorrelationId(final long correlationId)
    {
        this.connectCorrelationId = correlationId;
    }

    boolean isSameReplyPath(final String channel, final int streamId)
    {
        return replyStreamId == streamId && replyChannel.equals(channel);
    }

    long registrationId()
    {
        return registrationId;
    }

    long createdNs()
    {
        return createdNs;
    }

    int replyStreamId()
    {
        return replyStreamId;
    }

    ExclusivePublication publication()
    {
        return publication;
    }

    void publication(final ExclusivePublication publication)
    {
        this.publication = publication;
    }

    boolean isReady()
    {
        return ready;
    }

    void ready()
    {
        ready = true;
    }

    void close()
    {
        ready = false;
        CloseHelper.quietClose(publication);
    }
}
