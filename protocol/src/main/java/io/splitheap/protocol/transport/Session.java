package io.splitheap.protocol.transport;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.splitheap.protocol.security.MessageSigner;
import io.splitheap.protocol.security.MessageVerifier;
import io.splitheap.protocol.security.ServerHandshake;
import io.splitheap.protocol.security.SessionKeys;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One client of a {@link RequestServer}: identified by the Aeron session id of the client's publication, replied
 * to on the channel the client named in its {@code Connect} message, with the keys the handshake agreed (replies are
 * tagged when the link tags messages).
 */
public final class Session
{
    private static final int MAX_OFFER_ATTEMPTS = 200;
    private static final long BACK_PRESSURE_PATIENCE_NS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long PARK_NS = TimeUnit.MICROSECONDS.toNanos(20);

    private final long key;
    private long connectCorrelationId;
    private final String replyChannel;
    private final int replyStreamId;
    private final long registrationId;
    private final long createdNs;
    private ExclusivePublication publication;
    private boolean ready;
    private ServerHandshake.ClientHello hello;
    private MessageSigner signer;
    private MessageVerifier verifier;
    private long failedSends;
    private Object attachment;

    Session(
        final long key,
        final long connectCorrelationId,
        final String replyChannel,
        final int replyStreamId,
        final long registrationId,
        final long createdNs)
    {
        this.key = key;
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
        return (int)key;
    }

    /**
     * Whether the client reaches this session over shared memory ({@code aeron:ipc}).
     *
     * @return true for ipc.
     */
    public boolean isIpc()
    {
        return (key >>> 32) != 0;
    }

    long key()
    {
        return key;
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
     * Sends a message to the client, waiting up to 200 ms while it is back-pressured (then counted as failed).
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
        final MessageSigner signer = this.signer;
        final DirectBuffer trailer = signer == null ? null : signer.sign(buffer, offset, length);
        if (offer(buffer, offset, length, trailer))
        {
            if (signer != null)
            {
                signer.sent();
            }
            return true;
        }
        failedSends++;
        return false;
    }

    boolean sendUntagged(final DirectBuffer buffer, final int offset, final int length)
    {
        if (offer(buffer, offset, length, null))
        {
            return true;
        }
        failedSends++;
        return false;
    }

    private boolean offer(final DirectBuffer buffer, final int offset, final int length, final DirectBuffer trailer)
    {
        long deadlineNs = 0;
        for (int attempt = 0; ; attempt++)
        {
            final long result = trailer == null ? publication.offer(buffer, offset, length) :
                publication.offer(buffer, offset, length, trailer, 0, MessageSigner.TRAILER_LENGTH);
            if (result > 0)
            {
                return true;
            }
            if (result == Publication.NOT_CONNECTED || result == Publication.CLOSED ||
                result == Publication.MAX_POSITION_EXCEEDED)
            {
                break;
            }
            if (attempt < MAX_OFFER_ATTEMPTS)
            {
                Thread.yield();
                continue;
            }
            // a client that has not polled its replies for a while: wait for it a little, a reply dropped here
            // costs the client a request timeout
            final long nowNs = System.nanoTime();
            if (deadlineNs == 0)
            {
                deadlineNs = nowNs + BACK_PRESSURE_PATIENCE_NS;
            }
            else if (nowNs - deadlineNs > 0)
            {
                break;
            }
            LockSupport.parkNanos(PARK_NS);
        }
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

    void ready(final SessionKeys keys)
    {
        signer = keys.serverSigner();
        verifier = keys.serverVerifier();
        ready = true;
    }

    ServerHandshake.ClientHello hello()
    {
        return hello;
    }

    void hello(final ServerHandshake.ClientHello hello)
    {
        this.hello = hello;
    }

    MessageVerifier verifier()
    {
        return verifier;
    }

    void close()
    {
        ready = false;
        CloseHelper.quietClose(publication);
    }
}
