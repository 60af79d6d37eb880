package io.splitheap.agent.backend;

import io.aeron.logbuffer.Header;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.codecs.HeartbeatAckDecoder;
import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.codecs.RoutingUpdateDecoder;
import io.splitheap.protocol.exceptions.SplitheapException;
import io.splitheap.protocol.exceptions.TimeoutException;
import io.splitheap.protocol.transport.ClientEndpoint;
import io.splitheap.protocol.transport.IdleStrategies;
import io.splitheap.protocol.transport.ServerLink;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The requests this process has in flight over its one {@link ClientEndpoint}, to the coordinator and to memory
 * nodes: correlation, reply dispatch, waiting and timeouts. Application threads that wait for replies take turns
 * polling the reply subscription (whoever holds the poll lock dispatches every reply), so a miss needs no extra thread
 * hop. Routing updates the coordinator pushes go to a {@link RoutingListener}.
 */
final class Requests
{
    /**
     * Receives what the coordinator sends unasked: routing updates and heartbeat acknowledgements.
     */
    interface CoordinatorListener
    {
        /**
         * A {@code RoutingUpdate} arrived.
         *
         * @param buffer holding it.
         * @param offset where it starts.
         * @param header its decoded message header.
         */
        void onRoutingUpdate(DirectBuffer buffer, int offset, MessageHeaderDecoder header);

        /**
         * A {@code HeartbeatAck} arrived.
         *
         * @param buffer holding it.
         * @param offset where it starts.
         * @param header its decoded message header.
         */
        void onHeartbeatAck(DirectBuffer buffer, int offset, MessageHeaderDecoder header);
    }

    private static final int FRAGMENT_LIMIT = 32;

    private final long timeoutNs;
    private final ReentrantLock pollLock = new ReentrantLock();
    private final Long2ObjectHashMap<PendingRequest> pending = new Long2ObjectHashMap<>();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private ClientEndpoint client;
    private CoordinatorListener coordinatorListener;
    private long droppedReplies;

    /**
     * Requests with a timeout.
     *
     * @param timeoutNs how long a request may wait for its reply.
     */
    Requests(final long timeoutNs)
    {
        this.timeoutNs = timeoutNs;
    }

    /**
     * The endpoint the requests go through (created with {@link #onReply} as its reply handler).
     *
     * @param client the endpoint.
     */
    void attach(final ClientEndpoint client)
    {
        this.client = client;
    }

    void coordinatorListener(final CoordinatorListener listener)
    {
        this.coordinatorListener = listener;
    }

    long timeoutNs()
    {
        return timeoutNs;
    }

    long nextCorrelationId()
    {
        return client.nextCorrelationId();
    }

    /**
     * Sends a request and waits for its reply, failing with the request's error.
     *
     * @param link    where to.
     * @param request the request.
     * @param buffer  its encoding.
     * @param length  its length.
     * @param peer    the server, for messages (its {@code toString()} is taken only when the call fails).
     */
    void call(
        final ServerLink link,
        final PendingRequest request,
        final DirectBuffer buffer,
        final int length,
        final Object peer)
    {
        call(link, request, buffer, length, peer, request);
    }

    /**
     * Sends a request and waits for its reply, failing with the request's error, or with a {@link TimeoutException}
     * as soon as {@code doneOrAbandoned} holds while the request could not be sent yet (a link not connected) or its
     * reply has not come (the caller gave up on that server).
     *
     * @param link            where to.
     * @param request         the request.
     * @param buffer          its encoding.
     * @param length          its length.
     * @param peer            the server, for messages.
     * @param doneOrAbandoned true once the request is done, or once the caller no longer wants its reply.
     */
    void call(
        final ServerLink link,
        final PendingRequest request,
        final DirectBuffer buffer,
        final int length,
        final Object peer,
        final BooleanSupplier doneOrAbandoned)
    {
        register(request);
        if (!link.send(buffer, 0, length, timeoutNs, doneOrAbandoned))
        {
            unregister(request);
            if (doneOrAbandoned.getAsBoolean())
            {
                throw new TimeoutException(request.description + " not sent: " + peer + " no longer serves it");
            }
            throw new SplitheapException("cannot send " + request.description + " to " + peer +
                ": not connected or back-pressured for " + TimeUnit.NANOSECONDS.toMillis(timeoutNs) + "ms");
        }
        if (!await(doneOrAbandoned, timeoutNs, request.description) && unregister(request))
        {
            // the server may have restarted on the same endpoint, where the link still looks connected
            link.handshakeAgain(System.nanoTime());
            throw new TimeoutException(request.description + " got no answer from " + peer + " within " +
                TimeUnit.NANOSECONDS.toMillis(timeoutNs) + "ms");
        }
        if (!request.isDone() && unregister(request))
        {
            throw new TimeoutException(request.description + " abandoned: " + peer + " no longer serves it");
        }
        await(request, Long.MAX_VALUE, request.description);
        if (request.error() != null)
        {
            if (request.error() instanceof RuntimeException)
            {
                throw (RuntimeException)request.error();
            }
            throw new SplitheapException(request.description + " failed", SplitheapException.Category.ERROR,
                request.error());
        }
    }

    /**
     * Sends a request whose completion runs when its reply arrives (or it times out), waiting at most {@code waitNs}
     * for a link that cannot take it now.
     *
     * @param link    where to.
     * @param request the request.
     * @param buffer  its encoding.
     * @param length  its length.
     * @param waitNs  longest wait for back pressure or a moment without a subscriber.
     * @return false if it could not be sent (then its completion never runs).
     */
    boolean send(
        final ServerLink link, final PendingRequest request, final DirectBuffer buffer, final int length,
        final long waitNs)
    {
        register(request);
        return link.send(buffer, 0, length, waitNs) || !unregister(request);
    }

    void register(final PendingRequest request)
    {
        synchronized (pending)
        {
            pending.put(request.correlationId, request);
        }
    }

    boolean unregister(final PendingRequest request)
    {
        synchronized (pending)
        {
            return pending.remove(request.correlationId) != null;
        }
    }

    /**
     * Polls replies until a condition holds or the time is up.
     *
     * @param condition what to wait for.
     * @param waitNs    how long at most.
     * @param what      for messages.
     * @return whether the condition holds.
     */
    boolean await(final BooleanSupplier condition, final long waitNs, final String what)
    {
        final long deadline = System.nanoTime() + Math.min(waitNs, Long.MAX_VALUE / 4);
        int idle = 0;
        while (!condition.getAsBoolean())
        {
            final int work = poll();
            if (work > 0)
            {
                idle = 0;
                continue;
            }
            if (System.nanoTime() - deadline > 0)
            {
                return condition.getAsBoolean();
            }
            IdleStrategies.pause(++idle, 20_000);
        }
        return true;
    }

    /**
     * Dispatches replies, unless another thread is doing it.
     *
     * @return replies dispatched.
     */
    int poll()
    {
        if (!pollLock.tryLock())
        {
            return 0;
        }
        try
        {
            return client.poll(FRAGMENT_LIMIT);
        }
        finally
        {
            pollLock.unlock();
        }
    }

    /**
     * Advances the handshakes of links that handshake again: a server that went away and came back on the same
     * endpoint (see {@link ServerLink#handshakeAgain}), or whose publication stayed without a subscriber.
     *
     * @param nowNs current nano time.
     * @return work done.
     */
    int linkWork(final long nowNs)
    {
        final ClientEndpoint client = this.client;
        return client == null ? 0 : client.doWork(nowNs);
    }

    /**
     * Fails asynchronous requests that waited longer than the timeout.
     *
     * @param nowNs current nano time.
     * @return requests failed.
     */
    int sweepTimeouts(final long nowNs)
    {
        final List<PendingRequest> expired = new ArrayList<>();
        synchronized (pending)
        {
            for (final PendingRequest request : pending.values())
            {
                if (request.completionIsAsync() && nowNs - request.startedNs > timeoutNs)
                {
                    expired.add(request);
                }
            }
            for (final PendingRequest request : expired)
            {
                pending.remove(request.correlationId);
            }
        }
        for (final PendingRequest request : expired)
        {
            request.complete(new TimeoutException(request.description + " got no answer within " +
                TimeUnit.NANOSECONDS.toMillis(timeoutNs) + "ms"));
        }
        return expired.size();
    }

    /**
     * Opens a link to a server and waits for its handshake.
     *
     * @param endpoint the server.
     * @param what     for messages.
     * @return the ready link.
     */
    ServerLink connect(final Endpoint endpoint, final String what)
    {
        final ServerLink link = startLink(endpoint);
        if (!awaitReady(link, timeoutNs))
        {
            link.close();
            throw unreachable(what, endpoint);
        }
        return link;
    }

    /**
     * Starts opening a link to a server without waiting; {@link #awaitReady} advances its handshake.
     *
     * @param endpoint the server.
     * @return the link, handshake under way.
     */
    ServerLink startLink(final Endpoint endpoint)
    {
        return client.link(endpoint);
    }

    /**
     * Advances a link's handshake, polling replies, until it is ready, has failed, or {@code waitNs} passed.
     *
     * @param link   the link.
     * @param waitNs how long at most.
     * @return whether it is ready.
     */
    boolean awaitReady(final ServerLink link, final long waitNs)
    {
        await(() ->
        {
            link.doWork(System.nanoTime());
            return link.isReady() || link.isFailed();
        }, waitNs, "connect");
        return link.isReady();
    }

    /**
     * The failure of a link that did not become ready within the request timeout.
     *
     * @param what     the server, for the message.
     * @param endpoint its endpoint.
     * @return the exception to throw.
     */
    TimeoutException unreachable(final String what, final Endpoint endpoint)
    {
        return new TimeoutException("cannot reach " + what + " at " + endpoint + " within " +
            TimeUnit.NANOSECONDS.toMillis(timeoutNs) + "ms: is it running and reachable from this host?");
    }

    /**
     * Replies that arrived for no pending request (late replies to timed-out requests).
     *
     * @return count.
     */
    long droppedReplies()
    {
        return droppedReplies;
    }

    /**
     * The endpoint's reply handler: hands each reply to its request (under the poll lock).
     *
     * @param buffer  holding the reply.
     * @param offset  where it starts.
     * @param length  its length.
     * @param ignored the Aeron header.
     */
    void onReply(final DirectBuffer buffer, final int offset, final int length, final Header ignored)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH + Long.BYTES)
        {
            droppedReplies++;
            return;
        }
        header.wrap(buffer, offset);
        if (header.templateId() == RoutingUpdateDecoder.TEMPLATE_ID)
        {
            if (coordinatorListener != null)
            {
                coordinatorListener.onRoutingUpdate(buffer, offset, header);
            }
            return;
        }
        if (header.templateId() == HeartbeatAckDecoder.TEMPLATE_ID)
        {
            if (coordinatorListener != null)
            {
                coordinatorListener.onHeartbeatAck(buffer, offset, header);
            }
            return;
        }
        final long correlationId = buffer.getLong(offset + MessageHeaderDecoder.ENCODED_LENGTH,
            ByteOrder.LITTLE_ENDIAN);
        final PendingRequest request;
        synchronized (pending)
        {
            request = pending.remove(correlationId);
        }
        if (request == null)
        {
            droppedReplies++;
            return;
        }
        request.onReply(header.templateId(), buffer, offset, header);
    }
}
