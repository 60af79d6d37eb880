package io.splitheap.protocol.transport;

import io.aeron.Aeron;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.codecs.ConnectReplyDecoder;
import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.exceptions.SplitheapException;
import io.splitheap.protocol.runtime.RateLimitedLog;
import io.splitheap.protocol.security.MessageVerifier;
import io.splitheap.protocol.exceptions.TimeoutException;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client side of the transport: one reply subscription on an ephemeral UDP port, and a {@link ServerLink} per
 * server. Replies are delivered to one {@link FragmentHandler} by {@link #poll(int)}, which must be called by one
 * thread at a time; the links' {@code ConnectReply} messages are consumed here. A reply reaches the handler only if
 * it comes from a link's server session, carries a valid tag and sequence number (when the link tags messages) and
 * is well formed; anything else is counted and dropped.
 */
public final class ClientEndpoint implements AutoCloseable
{
    private static final long IPC = 1L << 32;

    private final Aeron aeron;
    private final Subscription subscription;
    private final BoundedAssembler assembler;
    private final FragmentHandler replyHandler;
    private final String replyChannel;
    private final Subscription ipcSubscription;
    private final BoundedAssembler ipcAssembler;
    private final int ipcReplyStreamId;
    private final int mtu;
    private final int termLength;
    private final AtomicLong correlationIds;
    private final TransportSecurity security;
    private final Long2ObjectHashMap<ServerLink> awaitingAck = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<ServerLink> replySessions = new Long2ObjectHashMap<>();
    private final RateLimitedLog droppedLog;
    private long droppedReplies;
    private long authFailures;
    private long malformedReplies;
    private final ArrayList<ServerLink> links = new ArrayList<>();
    // the links, for doWork, which must not hold this endpoint's lock while it takes a link's: a link takes its own
    // lock and then this one (a ConnectReply, a Connect sent)
    private volatile ServerLink[] linkArray = new ServerLink[0];
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final ConnectReplyDecoder connectReplyDecoder = new ConnectReplyDecoder();

    /**
     * Binds the reply subscription.
     *
     * @param aeron        client.
     * @param bindHost     local address servers can reach (the host part of the reply endpoint).
     * @param mtu          MTU for publications.
     * @param termLength   term length for publications.
     * @param replyHandler receives every reply that is not a link's connect acknowledgement.
     * @param timeoutNs    how long to wait for the driver to bind.
     * @param security     how links are authenticated.
     * @param errorHandler receives reports of dropped replies (at a bounded rate).
     */
    public ClientEndpoint(
        final Aeron aeron,
        final String bindHost,
        final int mtu,
        final int termLength,
        final FragmentHandler replyHandler,
        final long timeoutNs,
        final TransportSecurity security,
        final org.agrona.ErrorHandler errorHandler)
    {
        this(aeron, bindHost, mtu, termLength, replyHandler, timeoutNs, false, security, errorHandler);
    }

    /**
     * Binds the reply subscription and, with {@code ipc}, a shared-memory one: servers on this host that share this
     * client's media driver are then reached over {@code aeron:ipc} (see {@link #link}).
     *
     * @param aeron        client.
     * @param bindHost     local address servers can reach (the host part of the reply endpoint).
     * @param mtu          MTU for publications.
     * @param termLength   term length for publications.
     * @param replyHandler receives every reply that is not a link's connect acknowledgement.
     * @param timeoutNs    how long to wait for the driver to bind.
     * @param ipc          whether to try shared memory for servers on this host.
     * @param security     how links are authenticated.
     * @param errorHandler receives reports of dropped replies (at a bounded rate).
     */
    public ClientEndpoint(
        final Aeron aeron,
        final String bindHost,
        final int mtu,
        final int termLength,
        final FragmentHandler replyHandler,
        final long timeoutNs,
        final boolean ipc,
        final TransportSecurity security,
        final org.agrona.ErrorHandler errorHandler)
    {
        this.aeron = aeron;
        this.security = security;
        this.droppedLog = new RateLimitedLog(errorHandler);
        this.mtu = mtu;
        this.termLength = termLength;
        this.replyHandler = replyHandler;
        this.correlationIds = new AtomicLong((System.nanoTime() & 0xFFFF_FFFFL) << 16);
        this.subscription = aeron.addSubscription(
            Channels.subscription(new Endpoint(bindHost, 0)), Channels.REPLY_STREAM_ID);
        this.assembler = new BoundedAssembler(0, this::onFragment, this::isLinkSession);
        final long deadline = System.nanoTime() + timeoutNs;
        String resolved;
        int idle = 0;
        while ((resolved = subscription.resolvedEndpoint()) == null)
        {
            if (System.nanoTime() > deadline)
            {
                CloseHelper.quietClose(subscription);
                throw new TimeoutException("reply endpoint not bound: host=" + bindHost);
            }
            IdleStrategies.pause(++idle, 100_000);
        }
        final Endpoint replyEndpoint = Endpoint.parse(resolved);
        this.replyChannel = Channels.publication(replyEndpoint, mtu, termLength);
        this.ipcReplyStreamId = Channels.ipcStreamId(replyEndpoint);
        this.ipcSubscription = ipc ? aeron.addSubscription(Channels.ipc(Channels.IPC_TERM_LENGTH), ipcReplyStreamId) :
            null;
        this.ipcAssembler = ipc ? new BoundedAssembler(IPC, this::onFragment, this::isLinkSession) : null;
    }

    /**
     * Starts connecting to a server; progress the link with {@link ServerLink#doWork(long)}.
     *
     * @param server the server's request endpoint.
     * @return the link.
     */
    public synchronized ServerLink link(final Endpoint server)
    {
        final boolean ipc = ipcSubscription != null && LocalAddresses.isLocal(server.host());
        final ServerLink link = new ServerLink(this, server, addPublication(server, ipc), ipc);
        links.add(link);
        linkArray = links.toArray(new ServerLink[0]);
        return link;
    }

    long addPublication(final Endpoint server, final boolean ipc)
    {
        // exclusive: concurrent publications to the same channel and stream from one Aeron client are shared, and
        // the server would see several components as one client
        return ipc ?
            aeron.asyncAddExclusivePublication(Channels.ipc(Channels.IPC_TERM_LENGTH), Channels.ipcStreamId(server)) :
            aeron.asyncAddExclusivePublication(Channels.publication(server, mtu, termLength),
                Channels.REQUEST_STREAM_ID);
    }

    /**
     * The stream on which shared-memory replies arrive.
     *
     * @return stream id.
     */
    int ipcReplyStreamId()
    {
        return ipcReplyStreamId;
    }

    /**
     * Connects to a server and waits until it acknowledged, polling replies meanwhile. For start-up paths only.
     *
     * @param server    the server's request endpoint.
     * @param timeoutNs how long to wait.
     * @return a ready link.
     */
    public ServerLink connect(final Endpoint server, final long timeoutNs)
    {
        final ServerLink link = link(server);
        final long deadline = System.nanoTime() + timeoutNs;
        while (!link.isReady())
        {
            final long now = System.nanoTime();
            if (link.isFailed())
            {
                link.close();
                throw new SplitheapException(
                    "cannot connect to " + server, SplitheapException.Category.ERROR, link.failure());
            }
            if (now > deadline)
            {
                link.close();
                throw new TimeoutException("no answer from " + server + " within " + timeoutNs / 1_000_000 +
                    "ms: is the component running and reachable from this host?");
            }
            final int work = link.doWork(now) + poll(16);
            if (work == 0)
            {
                Thread.yield();
            }
        }
        return link;
    }

    /**
     * Polls replies.
     *
     * @param fragmentLimit most fragments to read.
     * @return fragments read.
     */
    public int poll(final int fragmentLimit)
    {
        final int work = subscription.poll(assembler, fragmentLimit);
        return ipcSubscription == null ? work : work + ipcSubscription.poll(ipcAssembler, fragmentLimit);
    }

    /**
     * Advances every link's handshake. Any thread may call it; it holds no lock of this endpoint's while it advances a
     * link.
     *
     * @param nowNs current nano time.
     * @return work done.
     */
    public int doWork(final long nowNs)
    {
        int work = 0;
        for (final ServerLink link : linkArray)
        {
            work += link.doWork(nowNs);
        }
        return work;
    }

    /**
     * A new correlation id, unique within this endpoint.
     *
     * @return the id.
     */
    public long nextCorrelationId()
    {
        return correlationIds.incrementAndGet();
    }

    /**
     * The channel servers reply on.
     *
     * @return channel URI.
     */
    public String replyChannel()
    {
        return replyChannel;
    }

    /**
     * Closes every link and the reply subscription.
     */
    public void close()
    {
        final ArrayList<ServerLink> copy;
        synchronized (this)
        {
            copy = new ArrayList<>(links);
        }
        copy.forEach(ServerLink::close);
        CloseHelper.quietCloseAll(subscription, ipcSubscription);
    }

    Aeron aeron()
    {
        return aeron;
    }

    synchronized void expectConnectAck(final ServerLink link, final long previousCorrelationId)
    {
        // a retried Connect replaces the previous attempt: only the latest reply can complete the link
        awaitingAck.remove(previousCorrelationId);
        awaitingAck.put(link.connectCorrelationId(), link);
    }

    synchronized void forget(final ServerLink link)
    {
        links.remove(link);
        linkArray = links.toArray(new ServerLink[0]);
        awaitingAck.values().remove(link);
        replySessions.remove(link.replySessionKey(), link);
    }

    synchronized void replySession(final ServerLink link, final long previousKey, final long key)
    {
        replySessions.remove(previousKey, link);
        replySessions.put(key, link);
    }

    /**
     * How this endpoint's links are authenticated.
     *
     * @return the settings.
     */
    public TransportSecurity security()
    {
        return security;
    }

    /**
     * Replies dropped: from no link's server session, with a bad tag or sequence number, or malformed.
     *
     * @return count.
     */
    public long droppedReplies()
    {
        return droppedReplies + authFailures + malformedReplies;
    }

    /**
     * Replies whose tag or sequence number was wrong.
     *
     * @return count.
     */
    public long authFailures()
    {
        return authFailures;
    }

    private synchronized boolean isLinkSession(final long sessionKey)
    {
        return replySessions.containsKey(sessionKey);
    }

    private void onFragment(
        final DirectBuffer buffer, final int offset, final int length, final Header header, final long sessionKey)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            droppedReplies++;
            return;
        }
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.templateId() == ConnectReplyDecoder.TEMPLATE_ID &&
            headerDecoder.schemaId() == ConnectReplyDecoder.SCHEMA_ID)
        {
            if (MessageValidator.check(buffer, offset, length) != null || !onConnectReply(buffer, offset, length,
                sessionKey))
            {
                droppedReplies++;
            }
            return;
        }
        final ServerLink link;
        synchronized (this)
        {
            link = replySessions.get(sessionKey);
        }
        if (link == null)
        {
            droppedReplies++;
            droppedLog.warn(System.nanoTime(), () -> "dropped a reply from session=" + (int)sessionKey +
                " that belongs to no link");
            return;
        }
        final int messageLength = link.verifyReply(buffer, offset, length);
        if (messageLength < 0)
        {
            authFailures++;
            droppedLog.warn(System.nanoTime(), () -> "dropped a reply from " + link.endpoint() + ": " +
                MessageVerifier.reason(messageLength));
            return;
        }
        final String problem = MessageValidator.check(buffer, offset, messageLength);
        if (problem != null)
        {
            malformedReplies++;
            droppedLog.warn(System.nanoTime(), () -> "dropped a malformed reply from " + link.endpoint() + ": " +
                problem);
            return;
        }
        replyHandler.onFragment(buffer, offset, messageLength, header);
    }

    private boolean onConnectReply(final DirectBuffer buffer, final int offset, final int length, final long sessionKey)
    {
        connectReplyDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
        final long correlationId = connectReplyDecoder.correlationId();
        final ServerLink link;
        synchronized (this)
        {
            link = awaitingAck.get(correlationId);
        }
        if (link == null || !link.onConnectReply(buffer, offset, length, sessionKey))
        {
            return false;
        }
        synchronized (this)
        {
            awaitingAck.remove(correlationId);
        }
        return true;
    }
}
