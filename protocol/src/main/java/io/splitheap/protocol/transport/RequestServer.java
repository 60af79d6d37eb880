package io.splitheap.protocol.transport;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.exceptions.RegistrationException;
import io.aeron.logbuffer.Header;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.codecs.AckEncoder;
import io.splitheap.protocol.codecs.ConnectDecoder;
import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.codecs.MessageHeaderEncoder;
import io.splitheap.protocol.exceptions.SplitheapException;
import io.splitheap.protocol.exceptions.TimeoutException;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Receives requests on a UDP endpoint and keeps a {@link Session} per client. A client's first message is
 * {@code Connect}, naming the channel for replies; the server opens a publication there and acknowledges the
 * {@code Connect} once it is connected. Everything else goes to the {@link Handler} with its session. Messages from
 * clients that never connected, or that are not of this schema, are counted and dropped. Single-threaded: call
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

    private static final long IPC = 1L << 32;
    private static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final Aeron aeron;
    private final Subscription subscription;
    private final FragmentAssembler assembler = new FragmentAssembler(
        (buffer, offset, length, header) -> onFragment(buffer, offset, length, header, 0));
    private final FragmentAssembler ipcAssembler = new FragmentAssembler(
        (buffer, offset, length, header) -> onFragment(buffer, offset, length, header, IPC));
    private volatile Subscription ipcSubscription;
    private final Handler handler;
    private final ErrorHandler errorHandler;
    private final Long2ObjectHashMap<Session> sessions = new Long2ObjectHashMap<>();
    private final ArrayList<Session> pending = new ArrayList<>();
    private final ManyToOneConcurrentArrayQueue<Long> closedImages = new ManyToOneConcurrentArrayQueue<>(1024);
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ConnectDecoder connectDecoder = new ConnectDecoder();
    private final AckEncoder ackEncoder = new AckEncoder();
    private final UnsafeBuffer ackBuffer = new UnsafeBuffer(new byte[64]);
    private long droppedMessages;

    /**
     * Binds the request subscription.
     *
     * @param aeron        client.
     * @param bind         endpoint to bind; port 0 picks a free port.
     * @param handler      receives requests.
     * @param errorHandler receives errors from handling.
     */
    public RequestServer(final Aeron aeron, final Endpoint bind, final Handler handler, final ErrorHandler errorHandler)
    {
        this.aeron = aeron;
        this.handler = handler;
        this.errorHandler = errorHandler;
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
        return droppedMessages;
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

    private void onFragment(
        final DirectBuffer buffer, final int offset, final int length, final Header header, final long transport)
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
            onConnect(transport | (header.sessionId() & 0xFFFF_FFFFL), buffer, offset);
            return;
        }
        final Session session = sessions.get(transport | (header.sessionId() & 0xFFFF_FFFFL));
        if (session == null)
        {
            droppedMessages++;
            errorHandler.onError(new SplitheapException("dropped templateId=" + templateId + " from session=" +
                header.sessionId() + " that has not completed Connect (pending=" + pending.size() + ")",
                SplitheapException.Category.WARN, null));
            return;
        }
        try
        {
            handler.onRequest(session, templateId, buffer, offset, length);
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(ex);
        }
    }

    private void onConnect(final long sessionKey, final DirectBuffer buffer, final int offset)
    {
        connectDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
        final long correlationId = connectDecoder.correlationId();
        final int replyStreamId = connectDecoder.replyStreamId();
        final String replyChannel = connectDecoder.replyChannel();
        final Session ready = sessions.get(sessionKey);
        if (ready != null && ready.isSameReplyPath(replyChannel, replyStreamId))
        {
            // a client that resent Connect (its acknowledgement was slow): acknowledge again, keep the session
            ready.connectCorrelationId(correlationId);
            sendAck(ready);
            return;
        }
        for (final Session waiting : pending)
        {
            if (waiting.key() == sessionKey && waiting.isSameReplyPath(replyChannel, replyStreamId))
            {
                waiting.connectCorrelationId(correlationId);
                return;
            }
        }
        if (ready != null)
        {
            sessions.remove(sessionKey);
            ready.close();
        }
        try
        {
            final long registrationId = aeron.asyncAddExclusivePublication(replyChannel, replyStreamId);
            pending.add(new Session(
                sessionKey, correlationId, replyChannel, replyStreamId, registrationId, System.nanoTime()));
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(new SplitheapException(
                "cannot open reply channel=" + replyChannel + " session=" + (int)sessionKey,
                SplitheapException.Category.WARN, ex));
        }
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
                    session.ready();
                    sendAck(session);
                    sessions.put(session.key(), session);
                    pending.remove(i);
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

    private void sendAck(final Session session)
    {
        ackEncoder.wrapAndApplyHeader(ackBuffer, 0, headerEncoder).correlationId(session.connectCorrelationId());
        session.send(ackBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + ackEncoder.encodedLength());
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
