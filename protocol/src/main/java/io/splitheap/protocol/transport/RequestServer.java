package io.splitheap.protocol.transport;

import io.aeron.Aeron;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.exceptions.RegistrationException;
import io.aeron.logbuffer.Header;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.codecs.ConnectDecoder;
import io.splitheap.protocol.codecs.ErrorCode;
import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.exceptions.SplitheapException;
import io.splitheap.protocol.exceptions.TimeoutException;
import io.splitheap.protocol.runtime.RateLimitedLog;
import io.splitheap.protocol.security.MessageVerifier;
import io.splitheap.protocol.security.ServerHandshake;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Receives requests on a UDP endpoint (and over shared memory) and keeps a {@link Session} per client. A client's
 * first message is {@code Connect}: it names the channel for replies and proves that the client holds the cluster
 * secret ({@link ServerHandshake}); only then does the server open a publication there, and once it is connected it
 * answers {@code ConnectReply}, which completes the key agreement. Every later message of the session must carry a
 * valid tag and a fresh sequence number (see {@link TransportSecurity}), and must be well formed
 * ({@link MessageValidator}) before the {@link Handler} sees it. Malformed messages are answered with
 * {@code MALFORMED}; messages from clients that never connected, forged or replayed ones are counted and dropped,
 * and reported at a bounded rate. Sessions and pending handshakes are bounded. Single-threaded: call
 * {@link #poll(int)} from one agent's duty cycle.
 */
public final class RequestServer implements AutoCloseable
{
    /**
     * Handles one request.
     */
    @FunctionalInterface
    public interface Handler
    {
        /**
         * A request arrived.
         *
         * @param session    the client.
         * @param templateId the SBE template id.
         * @param buffer     holding the message.
         * @param offset     where its message header starts.
         * @param length     its length including the header.
         */
        void onRequest(Session session, int templateId, DirectBuffer buffer, int offset, int length);
    }

    /**
     * Most clients connected at once.
     */
    public static final int MAX_SESSIONS = 4096;

    /**
     * Most handshakes waiting for their reply channel to connect.
     */
    public static final int MAX_PENDING = 64;

    private static final long IPC = 1L << 32;
    private static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final Aeron aeron;
    private final Subscription subscription;
    private final BoundedAssembler assembler = new BoundedAssembler(0, this::onMessage, this::isConnected);
    private final BoundedAssembler ipcAssembler = new BoundedAssembler(IPC, this::onMessage, this::isConnected);
    private volatile Subscription ipcSubscription;
    private final Handler handler;
    private final ErrorHandler errorHandler;
    private final TransportSecurity security;
    private final ServerHandshake handshake;
    private final Replier replier = new Replier(0);
    private final RateLimitedLog unconnectedLog;
    private final RateLimitedLog refusedLog;
    private final RateLimitedLog forgedLog;
    private final RateLimitedLog malformedLog;
    private final Long2ObjectHashMap<Session> sessions = new Long2ObjectHashMap<>();
    private final ArrayList<Session> pending = new ArrayList<>();
    private final ManyToOneConcurrentArrayQueue<Long> closedImages = new ManyToOneConcurrentArrayQueue<>(1024);
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ConnectDecoder connectDecoder = new ConnectDecoder();
    private final UnsafeBuffer replyBuffer = new UnsafeBuffer(new byte[256]);
    private long droppedMessages;
    private long authFailures;
    private long malformedMessages;

    /**
     * Binds the request subscription.
     *
     * @param aeron        client.
     * @param bind         endpoint to bind; port 0 picks a free port.
     * @param handler      receives requests.
     * @param errorHandler receives errors from handling.
     * @param security     how clients are authenticated.
     */
    public RequestServer(
        final Aeron aeron,
        final Endpoint bind,
        final Handler handler,
        final ErrorHandler errorHandler,
        final TransportSecurity security)
    {
        this.aeron = aeron;
        this.handler = handler;
        this.errorHandler = errorHandler;
        this.security = security;
        this.handshake = new ServerHandshake(security.handshakeKeys());
        this.unconnectedLog = new RateLimitedLog(errorHandler);
        this.refusedLog = new RateLimitedLog(errorHandler);
        this.forgedLog = new RateLimitedLog(errorHandler);
        this.malformedLog = new RateLimitedLog(errorHandler);
        this.subscription = aeron.addSubscription(
            Channels.subscription(bind), Channels.REQUEST_STREAM_ID, this::onImageAvailable, this::onImageUnavailable);
    }

    /**
     * The bound endpoint, waiting for the driver to bind it.
     *
     * @param timeoutNs how long to wait.
     * @return host:port actually bound.
     */
    public Endpoint awaitResolvedEndpoint(final long timeoutNs)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        String resolved;
        while ((resolved = subscription.resolvedEndpoint()) == null)
        {
            if (System.nanoTime() > deadline)
            {
                throw new TimeoutException("endpoint not bound: channel=" + subscription.channel());
            }
            sleepMillis(1);
        }
        final Endpoint endpoint = Endpoint.parse(resolved);
        if (ipcSubscription == null)
        {
            // processes that share this media driver reach the component over shared memory on a stream derived
            // from its endpoint (ClientEndpoint chooses it for co-located servers)
            ipcSubscription = aeron.addSubscription(Channels.ipc(Channels.IPC_TERM_LENGTH),
                Channels.ipcStreamId(endpoint), this::onImageAvailable, this::onImageUnavailable);
        }
        return endpoint;
    }

    /**
     * Polls for requests and completes pending connects.
     *
     * @param fragmentLimit most fragments to read.
     * @return work done.
     */
    public int poll(final int fragmentLimit)
    {
        int work = subscription.poll(assembler, fragmentLimit);
        final Subscription ipcSubscription = this.ipcSubscription;
        if (ipcSubscription != null)
        {
            work += ipcSubscription.poll(ipcAssembler, fragmentLimit);
        }
        if (!pending.isEmpty())
        {
            work += progressPending();
        }
        Long closed;
        while ((closed = closedImages.poll()) != null)
        {
            ((closed & IPC) != 0 ? ipcAssembler : assembler).free(closed);
            final Session session = sessions.remove(closed.longValue());
            if (session != null)
            {
                session.close();
                work++;
            }
        }
        return work;
    }

    /**
     * Connected clients.
     *
     * @return the number of ready sessions.
     */
    public int sessionCount()
    {
        return sessions.size();
    }

    /**
     * Messages dropped because they came from unknown clients or were not of this protocol.
     *
     * @return count.
     */
    public long droppedMessages()
    {
        return droppedMessages + assembler.dropped() + ipcAssembler.dropped();
    }

    /**
     * Refused handshakes (wrong or no secret, stale, replayed, bad reply channel, over limits) and messages whose tag
     * or sequence number was wrong.
     *
     * @return count.
     */
    public long authFailures()
    {
        return authFailures;
    }

    /**
     * Messages that failed validation.
     *
     * @return count.
     */
    public long malformedMessages()
    {
        return malformedMessages;
    }

    /**
     * Closes every session and the subscription.
     */
    public void close()
    {
        sessions.values().forEach(Session::close);
        pending.forEach(Session::close);
        sessions.clear();
        pending.clear();
        CloseHelper.quietCloseAll(subscription, ipcSubscription);
    }

    private boolean isConnected(final long sessionKey)
    {
        return sessions.containsKey(sessionKey);
    }

    private void onMessage(
        final DirectBuffer buffer, final int offset, final int length, final Header header, final long sessionKey)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            droppedMessages++;
            return;
        }
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            droppedMessages++;
            return;
        }
        final int templateId = headerDecoder.templateId();
        if (templateId == ConnectDecoder.TEMPLATE_ID)
        {
            final String problem = MessageValidator.check(buffer, offset, length);
            if (problem != null)
            {
                malformedMessages++;
                malformedLog.warn(System.nanoTime(), () -> "dropped malformed Connect from session=" +
                    (int)sessionKey + ": " + problem);
                return;
            }
            onConnect(sessionKey, buffer, offset, length);
            return;
        }
        final Session session = sessions.get(sessionKey);
        if (session == null)
        {
            droppedMessages++;
            unconnectedLog.warn(System.nanoTime(), () -> "dropped templateId=" + templateId + " from session=" +
                (int)sessionKey + " that has not completed Connect (pending=" + pending.size() + ")");
            return;
        }
        int messageLength = length;
        final MessageVerifier verifier = session.verifier();
        if (verifier != null)
        {
            messageLength = verifier.verify(buffer, offset, length);
            if (messageLength < 0)
            {
                authFailures++;
                final int result = messageLength;
                forgedLog.warn(System.nanoTime(), () -> "dropped templateId=" + templateId + " from session=" +
                    (int)sessionKey + ": " + MessageVerifier.reason(result));
                return;
            }
        }
        final String problem = MessageValidator.check(buffer, offset, messageLength);
        if (problem != null)
        {
            malformedMessages++;
            malformedLog.warn(System.nanoTime(), () -> "malformed message from session=" + (int)sessionKey + ": " +
                problem);
            final long correlationId = MessageValidator.correlationId(buffer, offset, messageLength);
            if (correlationId != Long.MIN_VALUE)
            {
                replier.error(session, correlationId, ErrorCode.MALFORMED, 0, problem);
            }
            return;
        }
        try
        {
            handler.onRequest(session, templateId, buffer, offset, messageLength);
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(ex);
        }
    }

    private void onConnect(final long sessionKey, final DirectBuffer buffer, final int offset, final int length)
    {
        final ServerHandshake.ClientHello hello;
        try
        {
            hello = handshake.check(buffer, offset, length, (int)sessionKey, System.currentTimeMillis());
        }
        catch (final ServerHandshake.Refusal refusal)
        {
            refuse(sessionKey, refusal.getMessage());
            return;
        }
        connectDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
        final long correlationId = connectDecoder.correlationId();
        final int replyStreamId = connectDecoder.replyStreamId();
        final String replyChannel = connectDecoder.replyChannel();
        final String channelProblem = ReplyChannels.check(replyChannel, (sessionKey & IPC) != 0);
        if (channelProblem != null)
        {
            refuse(sessionKey, channelProblem);
            return;
        }
        final Session ready = sessions.get(sessionKey);
        if (ready != null && ready.isSameReplyPath(replyChannel, replyStreamId))
        {
            // a client that handshakes again on a live session (its reply was slow, or it lost track): new keys
            ready.connectCorrelationId(correlationId);
            ready.hello(hello);
            sendConnectReply(ready);
            return;
        }
        for (final Session waiting : pending)
        {
            if (waiting.key() == sessionKey && waiting.isSameReplyPath(replyChannel, replyStreamId))
            {
                waiting.connectCorrelationId(correlationId);
                waiting.hello(hello);
                return;
            }
        }
        if (ready != null)
        {
            sessions.remove(sessionKey);
            ready.close();
        }
        if (pending.size() >= MAX_PENDING || sessions.size() >= MAX_SESSIONS)
        {
            refuse(sessionKey, "too many clients (sessions=" + sessions.size() + " pending=" + pending.size() + ")");
            return;
        }
        try
        {
            final long registrationId = aeron.asyncAddExclusivePublication(replyChannel, replyStreamId);
            final Session session = new Session(
                sessionKey, correlationId, replyChannel, replyStreamId, registrationId, System.nanoTime());
            session.hello(hello);
            pending.add(session);
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(new SplitheapException(
                "cannot open reply channel=" + replyChannel + " session=" + (int)sessionKey,
                SplitheapException.Category.WARN, ex));
        }
    }

    private void refuse(final long sessionKey, final String reason)
    {
        authFailures++;
        refusedLog.warn(System.nanoTime(), () -> "refused Connect from session=" + (int)sessionKey + " source=" +
            sourceOf(sessionKey) + ": " + reason);
    }

    private String sourceOf(final long sessionKey)
    {
        final Subscription from = (sessionKey & IPC) != 0 ? ipcSubscription : subscription;
        final Image image = from == null ? null : from.imageBySessionId((int)sessionKey);
        return image == null ? "unknown" : image.sourceIdentity();
    }

    private int progressPending()
    {
        int work = 0;
        final long now = System.nanoTime();
        for (int i = pending.size() - 1; i >= 0; i--)
        {
            final Session session = pending.get(i);
            try
            {
                if (session.publication() == null)
                {
                    session.publication(aeron.getExclusivePublication(session.registrationId()));
                }
                if (session.publication() != null && session.publication().isConnected())
                {
                    pending.remove(i);
                    if (sendConnectReply(session))
                    {
                        sessions.put(session.key(), session);
                    }
                    else
                    {
                        session.close();
                    }
                    work++;
                }
                else if (now - session.createdNs() > CONNECT_TIMEOUT_NS)
                {
                    pending.remove(i);
                    session.close();
                    errorHandler.onError(new TimeoutException(
                        "reply channel never connected: channel=" + session.replyChannel()));
                }
            }
            catch (final RegistrationException ex)
            {
                pending.remove(i);
                session.close();
                errorHandler.onError(ex);
            }
        }
        return work;
    }

    private boolean sendConnectReply(final Session session)
    {
        // untagged only when both directions stay in shared memory
        final boolean ipcBothWays = session.isIpc() && session.replyChannel().startsWith("aeron:ipc");
        final int length = handshake.encodeReply(
            replyBuffer, session.connectCorrelationId(), session.hello(), security.tagsMessages(ipcBothWays));
        if (length < 0)
        {
            refuse(session.key(), "invalid X25519 public key");
            return false;
        }
        session.ready(session.hello().sessionKeys());
        return session.sendUntagged(replyBuffer, 0, length);
    }

    private void onImageAvailable(final Image image)
    {
        // sessions are created by Connect, not by the image appearing
    }

    private void onImageUnavailable(final Image image)
    {
        // called on the Aeron client conductor thread: hand over to the polling thread
        final long transport = image.subscription() == ipcSubscription ? IPC : 0;
        closedImages.offer(transport | (image.sessionId() & 0xFFFF_FFFFL));
    }

    private static void sleepMillis(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new SplitheapException("interrupted", SplitheapException.Category.ERROR, ex);
        }
    }
}
