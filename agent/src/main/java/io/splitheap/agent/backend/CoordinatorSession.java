package io.splitheap.agent.backend;

import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.codecs.AllocateEncoder;
import io.splitheap.protocol.codecs.AllocateReplyDecoder;
import io.splitheap.protocol.codecs.BooleanType;
import io.splitheap.protocol.codecs.HeartbeatAckDecoder;
import io.splitheap.protocol.codecs.HeartbeatEncoder;
import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.codecs.MessageHeaderEncoder;
import io.splitheap.protocol.codecs.NodeKind;
import io.splitheap.protocol.codecs.RegisterProcessEncoder;
import io.splitheap.protocol.codecs.RegisterProcessReplyDecoder;
import io.splitheap.protocol.codecs.RoutingUpdateDecoder;
import io.splitheap.protocol.codecs.UnmapEncoder;
import io.splitheap.protocol.codecs.UnregisterProcessEncoder;
import io.splitheap.protocol.exceptions.RemoteException;
import io.splitheap.protocol.exceptions.SplitheapException;
import io.splitheap.protocol.membership.CoordinatorWatch;
import io.splitheap.protocol.runtime.RateLimitedLog;
import io.splitheap.protocol.transport.ServerLink;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * This process's membership with the coordinator: registration (which gives the pid, the secret and the vRegion
 * size), allocation and unmapping of far ranges, heartbeats, leaving, and the routing the coordinator grants and
 * pushes ({@link Routing}).
 */
final class CoordinatorSession implements Requests.CoordinatorListener
{
    /**
     * Request timeouts a far allocation waits for a coordinator that does not answer (down, or restarting).
     */
    static final int COORDINATOR_WAIT_TIMEOUTS = 3;

    private static final long ALLOCATION_RETRY_NS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long LOG_INTERVAL_NS = TimeUnit.SECONDS.toNanos(10);

    private final Requests requests;
    private final ServerLink coordinator;
    private final String peer;
    private final RoutingUpdateDecoder routingDecoder = new RoutingUpdateDecoder();
    private final HeartbeatAckDecoder ackDecoder = new HeartbeatAckDecoder();
    private final CoordinatorWatch watch;
    private final RateLimitedLog unknownLog;
    private final RateLimitedLog waitLog;
    private final int pid;
    private final long secret;
    private final long heartbeatIntervalNs;
    private final Routing routing;
    private long lastHeartbeatNs;
    private long routingEpoch;
    private volatile long routingUpdates;
    private volatile Runnable routesMoved = () -> {};
    private volatile IntConsumer nodeRestarted = nodeId -> {};

    private CoordinatorSession(
        final Requests requests, final ServerLink coordinator, final Endpoint endpoint, final ErrorHandler errorHandler)
    {
        this.requests = requests;
        this.coordinator = coordinator;
        this.peer = "coordinator at " + endpoint;
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final RegisterProcessEncoder encoder = new RegisterProcessEncoder();
        final RegisterRequest request = new RegisterRequest(requests.nextCorrelationId());
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(request.correlationId).hostPid(ProcessHandle.current().pid()).hostName(hostName());
        requests.call(coordinator, request, buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(),
            peer);
        this.pid = request.pid;
        this.secret = request.secret;
        this.heartbeatIntervalNs = request.heartbeatIntervalNs;
        this.routing = new Routing(request.vRegionShift);
        this.watch = new CoordinatorWatch(coordinator, heartbeatIntervalNs, () -> "process pid=" + pid, errorHandler,
            System.nanoTime());
        this.unknownLog = new RateLimitedLog(errorHandler, LOG_INTERVAL_NS);
        this.waitLog = new RateLimitedLog(errorHandler, LOG_INTERVAL_NS);
        requests.coordinatorListener(this);
    }

    /**
     * Connects to the coordinator and registers this process.
     *
     * @param requests     the requests in flight.
     * @param endpoint     the coordinator.
     * @param errorHandler receives the session's log lines.
     * @return the session.
     */
    static CoordinatorSession register(
        final Requests requests, final Endpoint endpoint, final ErrorHandler errorHandler)
    {
        return new CoordinatorSession(requests, requests.connect(endpoint, "coordinator"), endpoint, errorHandler);
    }

    int pid()
    {
        return pid;
    }

    long secret()
    {
        return secret;
    }

    Routing routing()
    {
        return routing;
    }

    long routingUpdates()
    {
        return routingUpdates;
    }

    /**
     * What to run (under the poll lock) after a routing update moved the route of a vRegion.
     *
     * @param listener the action.
     */
    void routesMovedListener(final Runnable listener)
    {
        this.routesMoved = listener;
    }

    /**
     * Called with the id of a memory node that a routing push shows restarted at its endpoint (a new incarnation),
     * before the routes naming it change.
     *
     * @param listener the listener.
     */
    void nodeRestartedListener(final IntConsumer listener)
    {
        this.nodeRestarted = listener;
    }

    private void nodeRestarted(final int nodeId)
    {
        if (nodeId != 0)
        {
            nodeRestarted.accept(nodeId);
        }
    }

    /**
     * Allocates a far range and records the routes of its vRegions.
     *
     * @param length bytes.
     * @return the range's address and the nodes that hold it.
     */
    Allocation allocate(final long length)
    {
        final long startNs = System.nanoTime();
        AllocateRequest request;
        while (true)
        {
            request = new AllocateRequest(requests.nextCorrelationId());
            try
            {
                call(request, length);
                break;
            }
            catch (final RemoteException ex)
            {
                throw ex;
            }
            catch (final SplitheapException ex)
            {
                // not sent, or no answer: the coordinator is down or restarting; new allocations wait for it
                final long waitedNs = System.nanoTime() - startNs;
                if (waitedNs + requests.timeoutNs() > COORDINATOR_WAIT_TIMEOUTS * requests.timeoutNs())
                {
                    throw new SplitheapException("far allocation of " + length + " bytes: the " + peer +
                        " did not answer for " + waitedNs / 1_000_000 + "ms (it is down or restarting)",
                        SplitheapException.Category.ERROR, ex);
                }
                waitLog.info(System.nanoTime(), () -> "far allocation waits for the " + peer + " (" +
                    ex.getMessage() + ")");
                LockSupport.parkNanos(ALLOCATION_RETRY_NS);
            }
        }
        final List<Routing.Route> routes = new ArrayList<>();
        for (int i = 0; i < request.regions.size(); i++)
        {
            final long[] region = request.regions.get(i);
            final Routing.Route route = request.routes.get(i);
            routing.put(region[0], route);
            routes.add(route);
        }
        return new Allocation(request.address, routes);
    }

    /**
     * Returns a far range to the coordinator.
     *
     * @param address its address.
     * @param length  its length.
     */
    private void call(final AllocateRequest request, final long length)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final AllocateEncoder encoder = new AllocateEncoder();
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(request.correlationId).pid(pid).secret(secret).length(length);
        requests.call(coordinator, request, buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(),
            peer);
    }

    void unmap(final long address, final long length)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final UnmapEncoder encoder = new UnmapEncoder();
        final AckRequest request = new AckRequest(requests.nextCorrelationId(), "unmap", null);
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(request.correlationId).pid(pid).secret(secret).address(address).length(length);
        requests.call(coordinator, request, buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(),
            peer);
    }

    /**
     * Sends a heartbeat when one is due.
     *
     * @param nowNs current nano time.
     * @return work done.
     */
    int heartbeat(final long nowNs)
    {
        if (nowNs - lastHeartbeatNs < heartbeatIntervalNs)
        {
            return 0;
        }
        lastHeartbeatNs = nowNs;
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final HeartbeatEncoder encoder = new HeartbeatEncoder();
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .kind(NodeKind.PROCESS).senderId(pid).secret(secret).capacityBytes(0).usedPages(0).peakPages(0);
        coordinator.send(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
        watch.check(nowNs);
        return 1;
    }

    /**
     * Leaves the cluster: the coordinator releases this process's memory on every node.
     *
     * @param waitNs how long to wait for the acknowledgement.
     */
    void unregister(final long waitNs)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final UnregisterProcessEncoder encoder = new UnregisterProcessEncoder();
        final AckRequest request = new AckRequest(requests.nextCorrelationId(), "unregister", null);
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(request.correlationId).pid(pid).secret(secret);
        requests.register(request);
        coordinator.send(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
        requests.await(request::isDone, waitNs, "unregister");
    }

    /**
     * {@inheritDoc} Newer routing replaces older; links are (re)connected on next use, never from inside a poll.
     * Requests still waiting on a route that moved are then abandoned (see {@link #routesMovedListener}).
     */
    public void onRoutingUpdate(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
    {
        routingDecoder.wrapAndApplyHeader(buffer, offset, header);
        if (routingDecoder.pid() != pid || routingDecoder.epoch() <= routingEpoch)
        {
            return;
        }
        routingEpoch = routingDecoder.epoch();
        final long moves = routing.moves();
        final LongArrayList vRegions = new LongArrayList();
        final List<Routing.Route> routes = new ArrayList<>();
        for (final RoutingUpdateDecoder.RegionsDecoder region : routingDecoder.regions())
        {
            final long vRegion = region.vRegion();
            final long epoch = region.epoch();
            final int nodeId = region.primaryNodeId();
            final int secondaryNodeId = region.secondaryNodeId();
            final long incarnation = region.primaryIncarnation();
            final long secondaryIncarnation = region.secondaryIncarnation();
            final String endpoint = region.primaryEndpoint();
            final String secondaryEndpoint = region.secondaryEndpoint();
            if (!endpoint.isEmpty())
            {
                vRegions.addLong(vRegion);
                routes.add(Routing.Route.of(nodeId, epoch, endpoint, secondaryNodeId, secondaryEndpoint, incarnation,
                    secondaryIncarnation));
            }
        }
        // links to a node restarted at its endpoint handshake again before any route says so, so that a request
        // sent again on the new route waits for the new session instead of going to the old one
        for (int i = 0; i < routes.size(); i++)
        {
            final Routing.Route previous = routing.routeOf(vRegions.getLong(i));
            nodeRestarted(routes.get(i).restartedSince(previous, true));
            nodeRestarted(routes.get(i).restartedSince(previous, false));
        }
        for (int i = 0; i < routes.size(); i++)
        {
            routing.put(vRegions.getLong(i), routes.get(i));
        }
        routingUpdates++;
        if (routing.moves() != moves)
        {
            routesMoved.run();
        }
    }

    public void onHeartbeatAck(final DirectBuffer buffer, final int offset, final MessageHeaderDecoder header)
    {
        ackDecoder.wrapAndApplyHeader(buffer, offset, header);
        if (ackDecoder.senderId() != pid)
        {
            return;
        }
        final long nowNs = System.nanoTime();
        watch.acked(nowNs);
        if (ackDecoder.known() != BooleanType.TRUE)
        {
            unknownLog.warn(nowNs, () -> "the " + peer + " does not know process pid=" + pid + " (it restarted " +
                "without its state, --data-dir): far data this process holds may be gone, and new far allocations " +
                "fail; restart the program");
        }
    }

    /**
     * Times the link to the coordinator handshook again because heartbeats went unanswered.
     *
     * @return count.
     */
    long coordinatorHandshakes()
    {
        return watch.handshakes();
    }

    private static String hostName()
    {
        try
        {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (final Exception ex)
        {
            return "unknown";
        }
    }

    /**
     * An allocated range and the routes of its vRegions.
     *
     * @param address the range's address.
     * @param routes  one per vRegion.
     */
    record Allocation(long address, List<Routing.Route> routes)
    {
    }

    private static final class AllocateRequest extends PendingRequest
    {
        final List<long[]> regions = new ArrayList<>();
        final List<Routing.Route> routes = new ArrayList<>();
        long address;

        AllocateRequest(final long correlationId)
        {
            super(correlationId, "allocation", null);
        }

        void handle(final int templateId, final DirectBuffer buffer, final int offset, final MessageHeaderDecoder hdr)
        {
            final AllocateReplyDecoder decoder = new AllocateReplyDecoder();
            decoder.wrapAndApplyHeader(buffer, offset, hdr);
            address = decoder.address();
            for (final AllocateReplyDecoder.RegionsDecoder region : decoder.regions())
            {
                regions.add(new long[]{region.vRegion(), region.epoch(), region.primaryNodeId()});
                final int secondaryNodeId = region.secondaryNodeId();
                final String primaryEndpoint = region.primaryEndpoint();
                final long incarnation = region.primaryIncarnation();
                final long secondaryIncarnation = region.secondaryIncarnation();
                routes.add(Routing.Route.of(region.primaryNodeId(), region.epoch(), primaryEndpoint, secondaryNodeId,
                    region.secondaryEndpoint(), incarnation, secondaryIncarnation));
            }
        }
    }

    private static final class RegisterRequest extends PendingRequest
    {
        int pid;
        long secret;
        int vRegionShift;
        long heartbeatIntervalNs;

        RegisterRequest(final long correlationId)
        {
            super(correlationId, "registration", null);
        }

        void handle(final int templateId, final DirectBuffer buffer, final int offset, final MessageHeaderDecoder hdr)
        {
            final RegisterProcessReplyDecoder decoder = new RegisterProcessReplyDecoder();
            decoder.wrapAndApplyHeader(buffer, offset, hdr);
            pid = decoder.pid();
            secret = decoder.secret();
            vRegionShift = decoder.vRegionShift();
            heartbeatIntervalNs = decoder.heartbeatIntervalNs();
        }
    }
}
