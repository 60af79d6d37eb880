package io.splitheap.protocol.membership;

import io.splitheap.protocol.Capabilities;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.codecs.BooleanType;
import io.splitheap.protocol.codecs.ErrorResponseDecoder;
import io.splitheap.protocol.codecs.HeartbeatAckDecoder;
import io.splitheap.protocol.codecs.HeartbeatEncoder;
import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.codecs.MessageHeaderEncoder;
import io.splitheap.protocol.codecs.NodeKind;
import io.splitheap.protocol.codecs.RegisterNodeEncoder;
import io.splitheap.protocol.codecs.RegisterNodeReplyDecoder;
import io.splitheap.protocol.runtime.RateLimitedLog;
import io.splitheap.protocol.transport.ClientEndpoint;
import io.splitheap.protocol.transport.ServerLink;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A node's membership in the cluster: connects to the coordinator, registers (asking for the node id it had
 * before, if any), learns the cluster key and geometry, then heartbeats with its load. If the coordinator stops
 * answering or forgets the node, it registers again. Driven from the node's duty cycle.
 */
public final class NodeMembership implements AutoCloseable
{
    private static final long REGISTER_RETRY_NS = TimeUnit.SECONDS.toNanos(1);
    private static final int LATE_INTERVALS = 5;

    /**
     * Reads the node's load for heartbeats.
     */
    public interface Load
    {
        /**
         * Pages stored.
         *
         * @return count.
         */
        long usedPages();

        /**
         * Most pages ever stored at once.
         *
         * @return count.
         */
        long peakPages();

        /**
         * Refused handshakes and forged or replayed messages the node's server saw.
         *
         * @return count.
         */
        default long authFailures()
        {
            return 0;
        }

        /**
         * Malformed messages the node's server saw.
         *
         * @return count.
         */
        default long malformedMessages()
        {
            return 0;
        }

        /**
         * Data requests served since start.
         *
         * @return count.
         */
        default long requests()
        {
            return 0;
        }
    }

    private final ClientEndpoint client;
    private final ServerLink link;
    private final NodeKind kind;
    private final long capacityBytes;
    private final Endpoint advertised;
    private final Load load;
    private final ErrorHandler errorHandler;
    private final RateLimitedLog lateLog;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final RegisterNodeEncoder registerEncoder = new RegisterNodeEncoder();
    private final RegisterNodeReplyDecoder replyDecoder = new RegisterNodeReplyDecoder();
    private final ErrorResponseDecoder errorDecoder = new ErrorResponseDecoder();
    private final HeartbeatEncoder heartbeatEncoder = new HeartbeatEncoder();
    private final HeartbeatAckDecoder ackDecoder = new HeartbeatAckDecoder();
    private final CoordinatorWatch watch;
    private int requestedNodeId;
    private long registerCorrelationId;
    private long lastRegisterSentNs;
    private long lastHeartbeatNs;
    private long heartbeatIntervalNs = TimeUnit.MILLISECONDS.toNanos(200);
    private volatile boolean registered;
    private volatile int nodeId;
    private volatile int vRegionShift;
    private volatile Capabilities capabilities;
    private volatile long incarnation;
    // this node process's own, sent with every RegisterNode: a new one at a known node id tells that it restarted
    private final long nodeIncarnation = newNodeIncarnation();
    private Runnable newCluster = () -> {};

    /**
     * Membership of a node.
     *
     * @param client          the node's client endpoint.
     * @param coordinator     the coordinator's endpoint.
     * @param kind            memory or storage.
     * @param requestedNodeId id to ask for (the one persisted from a previous run), 0 for any.
     * @param capacityBytes   capacity offered.
     * @param advertised      the endpoint others reach this node's requests on.
     * @param load            load for heartbeats.
     * @param errorHandler    receives errors.
     */
    public NodeMembership(
        final ClientEndpoint client,
        final Endpoint coordinator,
        final NodeKind kind,
        final int requestedNodeId,
        final long capacityBytes,
        final Endpoint advertised,
        final Load load,
        final ErrorHandler errorHandler)
    {
        this.client = client;
        this.link = client.link(coordinator);
        this.kind = kind;
        this.requestedNodeId = requestedNodeId;
        this.capacityBytes = capacityBytes;
        this.advertised = advertised;
        this.load = load;
        this.errorHandler = errorHandler;
        this.lateLog = new RateLimitedLog(errorHandler);
        this.watch = new CoordinatorWatch(
            link, heartbeatIntervalNs, () -> kind + " node=" + nodeId, errorHandler, System.nanoTime());
    }

    /**
     * What to do when this node registers with a coordinator of another incarnation than the one it registered with
     * before: a coordinator restarted without its state (no {@code --data-dir}) is a new cluster, whose process ids
     * mean other processes.
     *
     * @param newCluster the action, run on the duty cycle's thread before the registration completes.
     */
    public void onNewCluster(final Runnable newCluster)
    {
        this.newCluster = newCluster;
    }

    /**
     * The incarnation of the coordinator this node registered with last (0: none yet).
     *
     * @return the incarnation.
     */
    public long incarnation()
    {
        return incarnation;
    }

    /**
     * The incarnation this node registered with before it started (from its data directory), so that a node restarted
     * into a new cluster drops what it held for the old one too.
     *
     * @param incarnation the incarnation, 0 for unknown.
     */
    public void previousIncarnation(final long incarnation)
    {
        this.incarnation = incarnation;
    }

    /**
     * Advances connection, registration and heartbeats.
     *
     * @param nowNs current nano time.
     * @return work done.
     */
    public int doWork(final long nowNs)
    {
        int work = link.doWork(nowNs);
        if (!link.isReady())
        {
            return work;
        }
        if (!registered)
        {
            if (nowNs - lastRegisterSentNs > REGISTER_RETRY_NS)
            {
                sendRegister(nowNs);
                work++;
            }
        }
        else
        {
            if (nowNs - lastHeartbeatNs >= heartbeatIntervalNs)
            {
                sendHeartbeat(nowNs);
                work++;
            }
            work += watch.check(nowNs) ? 1 : 0;
        }
        return work;
    }

    /**
     * Offers a reply from the coordinator.
     *
     * @param buffer holding it.
     * @param offset where its header starts.
     * @return true if it was a membership reply and was consumed.
     */
    public boolean onReply(final DirectBuffer buffer, final int offset)
    {
        headerDecoder.wrap(buffer, offset);
        final int templateId = headerDecoder.templateId();
        if (templateId == RegisterNodeReplyDecoder.TEMPLATE_ID)
        {
            replyDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
            if (replyDecoder.correlationId() != registerCorrelationId)
            {
                return true;
            }
            nodeId = replyDecoder.nodeId();
            requestedNodeId = nodeId;
            heartbeatIntervalNs = replyDecoder.heartbeatIntervalNs();
            watch.heartbeatInterval(heartbeatIntervalNs);
            vRegionShift = replyDecoder.vRegionShift();
            final long previous = incarnation;
            incarnation = replyDecoder.incarnation();
            if (previous != 0 && previous != incarnation)
            {
                errorHandler.onError(new io.splitheap.protocol.exceptions.SplitheapException(kind + " node=" +
                    nodeId + " registered with a coordinator that lost the cluster's state (restarted without " +
                    "--data-dir): it drops what it held for the processes of the old cluster",
                    io.splitheap.protocol.exceptions.SplitheapException.Category.WARN, null));
                newCluster.run();
            }
            // the capability key is derived here from the secret; it never travels
            capabilities = Capabilities.of(client.security().secret(), incarnation);
            watch.acked(System.nanoTime());
            registered = true;
            return true;
        }
        if (templateId == HeartbeatAckDecoder.TEMPLATE_ID)
        {
            ackDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
            watch.acked(System.nanoTime());
            if (registered && ackDecoder.known() != BooleanType.TRUE)
            {
                errorHandler.onError(new io.splitheap.protocol.exceptions.SplitheapException("the coordinator at " +
                    link.endpoint() + " does not know " + kind + " node=" + nodeId + " (it restarted without its " +
                    "state): registering again", io.splitheap.protocol.exceptions.SplitheapException.Category.INFO,
                    null));
                reRegister();
            }
            return true;
        }
        if (templateId == ErrorResponseDecoder.TEMPLATE_ID)
        {
            errorDecoder.wrapAndApplyHeader(buffer, offset, headerDecoder);
            if (errorDecoder.correlationId() == registerCorrelationId)
            {
                errorHandler.onError(new io.splitheap.protocol.exceptions.RemoteException(
                    errorDecoder.code(), errorDecoder.nodeId(), errorDecoder.address(), errorDecoder.message()));
                return true;
            }
        }
        return false;
    }

    /**
     * Makes the node register again, for example after the coordinator said it does not know it.
     */
    public void reRegister()
    {
        registered = false;
        lastRegisterSentNs = 0;
        lastHeartbeatNs = 0;
    }

    /**
     * Sends a message of the node's own to the coordinator (such as the end of a copy), on the link that carries its
     * heartbeats.
     *
     * @param buffer the message.
     * @param offset where it starts.
     * @param length its length.
     * @return true if sent.
     */
    public boolean send(final DirectBuffer buffer, final int offset, final int length)
    {
        return registered && link.isReady() && link.send(buffer, offset, length);
    }

    /**
     * Whether registration completed.
     *
     * @return true once registered.
     */
    public boolean isRegistered()
    {
        return registered;
    }

    /**
     * The node id the coordinator gave.
     *
     * @return id, 0 before registration.
     */
    public int nodeId()
    {
        return nodeId;
    }

    /**
     * log2 of the vRegion size the coordinator uses.
     *
     * @return shift, 0 before registration.
     */
    public int vRegionShift()
    {
        return vRegionShift;
    }

    /**
     * Capabilities from the cluster key.
     *
     * @return capabilities, null before registration.
     */
    public Capabilities capabilities()
    {
        return capabilities;
    }

    /**
     * Closes the link to the coordinator.
     */
    public void close()
    {
        link.close();
    }

    private void sendRegister(final long nowNs)
    {
        registerCorrelationId = client.nextCorrelationId();
        lastRegisterSentNs = nowNs;
        registerEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(registerCorrelationId)
            .kind(kind)
            .requestedNodeId(requestedNodeId)
            .capacityBytes(capacityBytes)
            .usedPages(load.usedPages())
            .incarnation(nodeIncarnation)
            .endpoint(advertised.toString());
        link.send(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + registerEncoder.encodedLength());
    }

    private void sendHeartbeat(final long nowNs)
    {
        if (lastHeartbeatNs != 0 && nowNs - lastHeartbeatNs > LATE_INTERVALS * heartbeatIntervalNs)
        {
            // this node's own duty cycle ran late (a loaded host, a GC): routine, but it explains a coordinator's doubt
            final long lateMs = (nowNs - lastHeartbeatNs) / 1_000_000;
            lateLog.info(nowNs, () -> kind + " node=" + nodeId + " sent a heartbeat " + lateMs + "ms after the " +
                "previous one (interval " + heartbeatIntervalNs / 1_000_000 + "ms): the host is loaded");
        }
        lastHeartbeatNs = nowNs;
        heartbeatEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .kind(kind)
            .senderId(nodeId)
            .secret(0)
            .capacityBytes(capacityBytes)
            .usedPages(load.usedPages())
            .peakPages(load.peakPages())
            .authFailures(load.authFailures())
            .malformedMessages(load.malformedMessages())
            .requests(load.requests());
        link.send(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + heartbeatEncoder.encodedLength());
    }

    /**
     * A load read from two suppliers.
     *
     * @param used pages used.
     * @param peak peak pages.
     * @return a load.
     */
    public static Load load(final LongSupplier used, final LongSupplier peak)
    {
        return load(used, peak, () -> 0, () -> 0);
    }

    /**
     * A load read from suppliers, with the node's security counters.
     *
     * @param used         pages used.
     * @param peak         peak pages.
     * @param authFailures refused handshakes, forged or replayed messages and wrong secrets.
     * @param malformed    malformed messages.
     * @return a load.
     */
    public static Load load(
        final LongSupplier used, final LongSupplier peak, final LongSupplier authFailures, final LongSupplier malformed)
    {
        return load(used, peak, authFailures, malformed, () -> 0);
    }

    /**
     * A load read from suppliers, with the node's security counters and requests served.
     *
     * @param used         pages used.
     * @param peak         peak pages.
     * @param authFailures refused handshakes, forged or replayed messages and wrong secrets.
     * @param malformed    malformed messages.
     * @param requests     data requests served.
     * @return a load.
     */
    public static Load load(
        final LongSupplier used,
        final LongSupplier peak,
        final LongSupplier authFailures,
        final LongSupplier malformed,
        final LongSupplier requests)
    {
        return new Load()
        {
            public long usedPages()
            {
                return used.getAsLong();
            }

            public long peakPages()
            {
                return peak.getAsLong();
            }

            public long authFailures()
            {
                return authFailures.getAsLong();
            }

            public long malformedMessages()
            {
                return malformed.getAsLong();
            }

            public long requests()
            {
                return requests.getAsLong();
            }
        };
    }

    private static long newNodeIncarnation()
    {
        long value;
        do
        {
            value = new SecureRandom().nextLong();
        }
        while (value == 0);
        return value;
    }
}
