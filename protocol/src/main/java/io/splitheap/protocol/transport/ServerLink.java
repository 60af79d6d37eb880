package io.splitheap.protocol.transport;

import io.aeron.Publication;
import io.aeron.exceptions.RegistrationException;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.security.ClientHandshake;
import io.splitheap.protocol.security.MessageSigner;
import io.splitheap.protocol.security.MessageVerifier;
import io.splitheap.protocol.security.SessionKeys;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A client's connection to one server: an exclusive publication to the server's request endpoint (its own Aeron
 * session) plus the {@code Connect} handshake that tells the server where to reply and agrees the link's keys
 * ({@link ClientHandshake}). Progressed by {@link #doWork(long)} until {@link #isReady()}; nothing is sent before.
 * {@link #send} may be called from any thread: tagging and offers are serialized on the link.
 */
public final class ServerLink implements AutoCloseable
{
    private static final long CONNECT_RETRY_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long DISCONNECTED_NS = TimeUnit.SECONDS.toNanos(2);
    private static final int MAX_OFFER_ATTEMPTS = 1000;
    private static final long IPC_PROBE_NS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long SEND_PARK_NS = TimeUnit.MICROSECONDS.toNanos(50);

    enum State
    {
        ADDING, CONNECTING, AWAITING_ACK, READY, FAILED, CLOSED
    }

    private final ClientEndpoint client;
    private final Endpoint endpoint;
    private long registrationId;
    private volatile boolean ipc;
    // a handshake completed over shared memory: the server runs on this client's driver, so a later handshake (it
    // went away and comes back) waits for it there instead of falling back to UDP
    private boolean ipcProven;
    private long connectingSinceNs;
    private final UnsafeBuffer connectBuffer = new UnsafeBuffer(new byte[1024]);
    private final Object sendLock = new Object();
    private volatile State state = State.ADDING;
    private volatile Publication publication;
    private long connectCorrelationId;
    private ClientHandshake handshake;
    private MessageSigner signer;
    private volatile MessageVerifier verifier;
    private long replySessionKey = Long.MIN_VALUE;
    private long lastConnectSentNs;
    private long notConnectedSinceNs;
    private Throwable failure;

    ServerLink(final ClientEndpoint client, final Endpoint endpoint, final long registrationId, final boolean ipc)
    {
        this.client = client;
        this.endpoint = endpoint;
        this.registrationId = registrationId;
        this.ipc = ipc;
        this.connectingSinceNs = System.nanoTime();
    }

    /**
     * Whether requests travel over shared memory ({@code aeron:ipc}, the server shares this client's media driver)
     * rather than UDP.
     *
     * @return true for ipc.
     */
    public boolean isIpc()
    {
        return ipc;
    }

    /**
     * The server's endpoint.
     *
     * @return host:port.
     */
    public Endpoint endpoint()
    {
        return endpoint;
    }

    /**
     * Whether requests can be sent.
     *
     * @return true once the server acknowledged {@code Connect}.
     */
    public boolean isReady()
    {
        return state == State.READY;
    }

    /**
     * Whether a request offered now could go out: the handshake is done and the publication has a subscriber. A
     * server that died stays "ready" but stops being connected once Aeron's publication connection timeout passes
     * without status messages from it, so senders that must not wait (write-backs) can fail at once instead.
     *
     * @return true when ready and connected.
     */
    public boolean isConnected()
    {
        final Publication publication = this.publication;
        return state == State.READY && publication != null && publication.isConnected();
    }

    /**
     * Whether the link failed for good (for example an invalid channel).
     *
     * @return true when failed.
     */
    public boolean isFailed()
    {
        return state == State.FAILED;
    }

    /**
     * Why the link failed.
     *
     * @return the cause or null.
     */
    public Throwable failure()
    {
        return failure;
    }

    /**
     * Advances the handshake. Call from the thread that polls the {@link ClientEndpoint}, or under its lock.
     *
     * @param nowNs current {@link System#nanoTime()}.
     * @return work done.
     */
    public synchronized int doWork(final long nowNs)
    {
        switch (state)
        {
            case ADDING:
                return resolvePublication();
            case CONNECTING:
                if (publication.isConnected())
                {
                    state = State.AWAITING_ACK;
                    return sendConnect(nowNs);
                }
                return ipc && !ipcProven && nowNs - connectingSinceNs > IPC_PROBE_NS ? fallBackToUdp(nowNs) : 0;
            case AWAITING_ACK:
                return nowNs - lastConnectSentNs > CONNECT_RETRY_NS ? sendConnect(nowNs) : 0;
            case READY:
                return checkStillConnected(nowNs);
            default:
                return 0;
        }
    }

    /**
     * Sends a message without waiting long: a few hundred offers on back pressure, none once the subscriber is
     * gone. For threads that must not stall (a coordinator's duty cycle, heartbeats).
     *
     * @param buffer holding the message.
     * @param offset where it starts.
     * @param length its length.
     * @return true if sent.
     */
    public boolean send(final DirectBuffer buffer, final int offset, final int length)
    {
        return send(buffer, offset, length, 0);
    }

    /**
     * Sends a request, waiting out back pressure (the server or the media driver behind) and a moment without a
     * connected subscriber (an image being re-established while both sides are starved of CPU) for at most
     * {@code waitNs}, with a backoff that spins, yields and then parks; a closed publication fails at once. For
     * requests whose caller would otherwise fail (a miss, a write-back).
     *
     * @param buffer holding the message.
     * @param offset where it starts.
     * @param length its length.
     * @param waitNs longest wait; 0 for {@link #send(DirectBuffer, int, int)}'s brief retry.
     * @return true if sent, false if the link is closed or stayed unable to send.
     */
    public boolean send(final DirectBuffer buffer, final int offset, final int length, final long waitNs)
    {
        return send(buffer, offset, length, waitNs, null);
    }

    /**
     * {@link #send(DirectBuffer, int, int, long)}, giving up early, between two offers that failed, once
     * {@code giveUp} holds: for a caller that no longer needs the message sent (the server it was for was replaced).
     *
     * @param buffer holding the message.
     * @param offset where it starts.
     * @param length its length.
     * @param waitNs longest wait; 0 for {@link #send(DirectBuffer, int, int)}'s brief retry.
     * @param giveUp checked while waiting; null for never.
     * @return true if sent, false if the link is closed, stayed unable to send, or the caller gave up.
     */
    public boolean send(
        final DirectBuffer buffer, final int offset, final int length, final long waitNs, final BooleanSupplier giveUp)
    {
        long startNs = 0;
        for (int attempt = 1; ; attempt++)
        {
            long result = Publication.NOT_CONNECTED;
            synchronized (sendLock)
            {
                // checked under the lock that also orders a new handshake's Connect: a message signed with the old
                // keys never follows it
                final Publication publication = this.publication;
                if (publication != null && state == State.READY)
                {
                    final MessageSigner signer = this.signer;
                    if (signer == null)
                    {
                        result = publication.offer(buffer, offset, length);
                    }
                    else
                    {
                        // signed again on a retry: another thread may have sent in between and taken the number
                        result = publication.offer(buffer, offset, length, signer.sign(buffer, offset, length), 0,
                            MessageSigner.TRAILER_LENGTH);
                        if (result > 0)
                        {
                            signer.sent();
                        }
                    }
                }
            }
            if (result > 0)
            {
                return true;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED || state == State.CLOSED)
            {
                return false;
            }
            if (waitNs == 0)
            {
                if (result == Publication.NOT_CONNECTED || attempt >= MAX_OFFER_ATTEMPTS)
                {
                    return false;
                }
                Thread.yield();
            }
            else
            {
                // the clock is read only once an offer failed: a send that goes through at once costs no time read
                final long nowNs = System.nanoTime();
                if (attempt == 1)
                {
                    startNs = nowNs;
                }
                if (nowNs - startNs > waitNs || (giveUp != null && giveUp.getAsBoolean()))
                {
                    return false;
                }
                IdleStrategies.pause(attempt, SEND_PARK_NS);
            }
        }
    }

    /**
     * Largest message this link can carry.
     *
     * @return bytes, 0 before the publication exists.
     */
    public int maxMessageLength()
    {
        final Publication publication = this.publication;
        return publication == null ? 0 : publication.maxMessageLength();
    }

    /**
     * Closes the publication.
     */
    public synchronized void close()
    {
        state = State.CLOSED;
        client.forget(this);
        CloseHelper.quietClose(publication);
    }

    /**
     * The server's {@code ConnectReply} arrived on the reply session {@code replySessionKey}.
     *
     * @return true if it completed this link's handshake.
     */
    synchronized boolean onConnectReply(
        final DirectBuffer buffer, final int offset, final int length, final long replySessionKey)
    {
        if (state != State.AWAITING_ACK || handshake == null)
        {
            return false;
        }
        final SessionKeys keys = handshake.onReply(buffer, offset, length);
        if (keys == null || (!ipc && !keys.messageAuth()))
        {
            // a link over the network is never untagged, whatever the reply says
            return false;
        }
        synchronized (sendLock)
        {
            signer = keys.clientSigner();
        }
        verifier = keys.clientVerifier();
        client.replySession(this, this.replySessionKey, replySessionKey);
        this.replySessionKey = replySessionKey;
        handshake = null;
        ipcProven |= ipc;
        state = State.READY;
        return true;
    }

    /**
     * Checks a reply from this link's server (see {@link MessageVerifier#verify}). Called by the polling thread.
     */
    int verifyReply(final DirectBuffer buffer, final int offset, final int length)
    {
        final MessageVerifier verifier = this.verifier;
        return verifier == null ? length : verifier.verify(buffer, offset, length);
    }

    long replySessionKey()
    {
        return replySessionKey;
    }

    long connectCorrelationId()
    {
        return connectCorrelationId;
    }

    /**
     * Starts the handshake again on the same publication, for a ready link whose server stopped answering: a server
     * restarted on the same endpoint reconnects Aeron's publication before its connection timeout notices anything,
     * but its new process knows no session of this link and drops what the link sends until it handshakes again. A
     * server that was only slow takes the new handshake as a live session's (new keys, same session).
     *
     * @param nowNs current {@link System#nanoTime()}.
     * @return true if the link was ready and now handshakes again.
     */
    public synchronized boolean handshakeAgain(final long nowNs)
    {
        if (state != State.READY)
        {
            return false;
        }
        notConnectedSinceNs = 0;
        state = State.CONNECTING;
        connectingSinceNs = nowNs;
        return true;
    }

    private int checkStillConnected(final long nowNs)
    {
        if (publication.isConnected())
        {
            notConnectedSinceNs = 0;
            return 0;
        }
        if (notConnectedSinceNs == 0)
        {
            notConnectedSinceNs = nowNs;
            return 0;
        }
        if (nowNs - notConnectedSinceNs > DISCONNECTED_NS)
        {
            // the server went away (or restarted): handshake again once it is back
            notConnectedSinceNs = 0;
            state = State.CONNECTING;
            connectingSinceNs = nowNs;
            return 1;
        }
        return 0;
    }

    private int fallBackToUdp(final long nowNs)
    {
        // nothing in this media driver listens on the server's shared-memory stream: it runs on its own driver
        final Publication stale = publication;
        publication = null;
        CloseHelper.quietClose(stale);
        ipc = false;
        registrationId = client.addPublication(endpoint, false);
        connectingSinceNs = nowNs;
        state = State.ADDING;
        return 1;
    }

    private int resolvePublication()
    {
        try
        {
            publication = client.aeron().getExclusivePublication(registrationId);
        }
        catch (final RegistrationException ex)
        {
            failure = ex;
            state = State.FAILED;
            return 1;
        }
        if (publication != null)
        {
            state = State.CONNECTING;
            connectingSinceNs = System.nanoTime();
            return 1;
        }
        return 0;
    }

    private int sendConnect(final long nowNs)
    {
        final long previousCorrelationId = connectCorrelationId;
        connectCorrelationId = client.nextCorrelationId();
        client.expectConnectAck(this, previousCorrelationId);
        // a fresh nonce and key per attempt: the server refuses a nonce it has seen
        handshake = new ClientHandshake(client.security().handshakeKeys());
        final Publication publication = this.publication;
        final int length = handshake.encodeConnect(connectBuffer, connectCorrelationId, publication.sessionId(),
            ipc ? client.ipcReplyStreamId() : Channels.REPLY_STREAM_ID,
            ipc ? Channels.ipc(Channels.IPC_TERM_LENGTH) : client.replyChannel(), System.currentTimeMillis());
        // one offer: the polling thread must not wait here; an offer that fails is retried after CONNECT_RETRY_NS
        synchronized (sendLock)
        {
            publication.offer(connectBuffer, 0, length);
        }
        lastConnectSentNs = nowNs;
        return 1;
    }
}
