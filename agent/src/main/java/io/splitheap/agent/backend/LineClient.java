package io.splitheap.agent.backend;

import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.FarAddress;
import io.splitheap.protocol.codecs.ErrorCode;
import io.splitheap.protocol.codecs.FreePagesEncoder;
import io.splitheap.protocol.codecs.LineDataDecoder;
import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.codecs.MessageHeaderEncoder;
import io.splitheap.protocol.codecs.NodeStatsDecoder;
import io.splitheap.protocol.codecs.NodeStatsRequestEncoder;
import io.splitheap.protocol.codecs.ReadLineEncoder;
import io.splitheap.protocol.codecs.WriteLinesEncoder;
import io.splitheap.protocol.exceptions.RemoteException;
import io.splitheap.protocol.exceptions.SplitheapException;
import io.splitheap.protocol.exceptions.TimeoutException;
import io.splitheap.protocol.transport.ServerLink;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The data path to memory nodes: line reads (one, or a run of consecutive lines split per vRegion and per
 * {@code splitheap.line.max}), batched write-backs, page frees and per-node statistics, each request carrying pid,
 * secret and the vRegion's routing epoch; and the links to the nodes, opened on first use.
 */
final class LineClient
{
    private static final long STATS_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(2);
    // the coordinator's default longest silence before it declares a node dead (splitheap.node.timeout.max) plus slack
    private static final long FAILOVER_WAIT_NS = TimeUnit.SECONDS.toNanos(40);
    // how long reads of a vRegion with no other copy keep trying its node after the first failure, in request
    // timeouts, so that a node restarted with its data directory (kill -9 and restart, an upgrade) serves them again
    // instead of failing them
    static final int NODE_RETURN_WAIT_TIMEOUTS = 2;
    // the pause between two tries of a failed read, cut short by a routing push that moves the vRegion
    private static final long RETRY_PAUSE_NS = TimeUnit.SECONDS.toNanos(1);
    // how long a write-back, a free or a readahead may wait for a link's back pressure (or a moment without a
    // subscriber) before it is handed back as unavailable: long enough for a busy node on a loaded host, short enough
    // that a dead one (whose publication still looks connected for Aeron's connection timeout) cannot hold the
    // housekeeper, nor a readahead the thread that missed
    static final long SEND_WAIT_NS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Requests requests;
    private final Routing routing;
    private final int pid;
    private final long secret;
    private final int maxRequestBytes;
    private final UnsafeBuffer writeBuffer;
    private final LineDataDecoder lineDecoder = new LineDataDecoder();
    private final UnsafeBuffer target = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer data = new UnsafeBuffer(0, 0);
    private final ThreadLocal<DemandRead> demandReads = ThreadLocal.withInitial(DemandRead::new);
    private volatile ServerLink[] links = new ServerLink[16];
    private volatile Endpoint[] endpoints = new Endpoint[16];
    // write-backs and frees sent and not yet answered, with the routes they were sent with
    private final Set<NodeRequest> awaiting = ConcurrentHashMap.newKeySet();
    // links whose handshake is under way, by node
    private final Map<Integer, Connecting> connecting = new HashMap<>();

    /**
     * A client for one registered process.
     *
     * @param requests        the requests in flight.
     * @param routing         the routes of this process's vRegions.
     * @param pid             the process.
     * @param secret          its secret.
     * @param maxRequestBytes the largest read a node serves ({@code splitheap.line.max}).
     * @param termLength      the term length of the request stream (the largest message is an eighth of it).
     */
    LineClient(
        final Requests requests,
        final Routing routing,
        final int pid,
        final long secret,
        final int maxRequestBytes,
        final int termLength)
    {
        this.requests = requests;
        this.routing = routing;
        this.pid = pid;
        this.secret = secret;
        this.maxRequestBytes = maxRequestBytes;
        this.writeBuffer = new UnsafeBuffer(new byte[termLength / 8]);
    }

    /**
     * Reads one line and waits for it: the miss path. It allocates nothing; each thread has one {@link DemandRead}
     * (request, encoding and description) that it reuses, since a thread waits for one demand read at a time. A read
     * whose node stops answering, or whose link is not connected, is tried again at least once a second, and at once
     * when a routing push moves its vRegion (not after the request timeout): for a replicated vRegion until the
     * coordinator's failover gives it a new primary (or the node, back on its endpoint, answers), at most
     * {@link #FAILOVER_WAIT_NS} after the first failure; for a vRegion with no other copy for
     * {@link #NODE_RETURN_WAIT_TIMEOUTS} request timeouts (20 s by default), so that a node restarted with its data
     * directory, on its endpoint or a new one, serves it; one that does not come back fails it with the reason.
     *
     * @param address    far address of the line.
     * @param dstAddress where to copy it.
     * @param length     line length.
     */
    void readLine(final long address, final long dstAddress, final int length)
    {
        long firstFailureNs = 0;
        while (true)
        {
            final Routing.Route route = routeOf(address);
            try
            {
                readLine(route, address, dstAddress, length);
                return;
            }
            catch (final SplitheapException ex)
            {
                final long nowNs = System.nanoTime();
                firstFailureNs = firstFailureNs == 0 ? nowNs : firstFailureNs;
                final boolean replicated = route.replicated();
                if (replicated ? !mayFailOver(route, ex) : !mayComeBack(ex))
                {
                    throw ex;
                }
                final long waitNs = replicated ? FAILOVER_WAIT_NS : NODE_RETURN_WAIT_TIMEOUTS * requests.timeoutNs();
                if (nowNs - firstFailureNs > waitNs)
                {
                    throw replicated ? ex : new TimeoutException(ex.getMessage() + "; node=" + route.nodeId() +
                        " holds the only copy of this vRegion and did not come back within " +
                        TimeUnit.NANOSECONDS.toMillis(waitNs) + "ms");
                }
                // a failover or a new endpoint moves the route; a node back on its endpoint answers the next try
                requests.await(() -> routeMoved(address, route), RETRY_PAUSE_NS, "failover of " +
                    describe(address));
            }
        }
    }

    /**
     * Whether a failed read of a vRegion with no other copy may succeed later on the same node: when the node stopped
     * answering or is not registered yet (it may be restarting with its data directory, on its old endpoint or, once
     * the coordinator pushes it, a new one), not when the node answered that it does not hold the range (a node that
     * came back without its data) or refused the request.
     */
    private static boolean mayComeBack(final RuntimeException failure)
    {
        if (failure instanceof RemoteException)
        {
            return ((RemoteException)failure).code() == ErrorCode.NOT_CONNECTED;
        }
        return true;
    }

    /**
     * Whether a failed request may succeed on another node once the coordinator has failed the vRegion over: only
     * for a replicated vRegion, and only for failures a dead or replaced node causes (no answer, a link that cannot
     * send, or a node that no longer owns the range or the epoch).
     */
    private static boolean mayFailOver(final Routing.Route route, final RuntimeException failure)
    {
        if (!route.replicated())
        {
            return false;
        }
        if (failure instanceof RemoteException)
        {
            final ErrorCode code = ((RemoteException)failure).code();
            return code == ErrorCode.NOT_OWNER || code == ErrorCode.STALE_EPOCH || code == ErrorCode.NOT_CONNECTED;
        }
        return true;
    }

    /**
     * Whether the route of an address now names another node, epoch, endpoint or node process (incarnation) than the
     * one a request was sent with.
     */
    private boolean routeMoved(final long address, final Routing.Route sent)
    {
        final Routing.Route now = routing.route(address);
        return now != null && (now.nodeId() != sent.nodeId() || now.epoch() != sent.epoch() ||
            !now.endpoint().equals(sent.endpoint()) || now.incarnation() != sent.incarnation());
    }

    private void readLine(final Routing.Route route, final long address, final long dstAddress, final int length)
    {
        final DemandRead demand = demandReads.get();
        final ReadRequest request = demand.request;
        request.reset(requests.nextCorrelationId());
        request.dstAddresses[0] = dstAddress;
        request.lineSize = length;
        demand.address = address;
        demand.route = route;
        demand.encoder.wrapAndApplyHeader(demand.buffer, 0, demand.header)
            .correlationId(request.correlationId).pid(pid).secret(secret).epoch(route.epoch()).address(address)
            .length(length);
        requests.call(link(route.nodeId(), route.endpoint()), request, demand.buffer, demand.buffer.capacity(),
            demand, demand);
    }

    boolean readLineAsync(
        final long address, final long dstAddress, final int length, final PageBackend.Completion completion)
    {
        final Routing.Route route = routing.route(address);
        if (route == null)
        {
            return false;
        }
        final ReadRequest request = new ReadRequest(requests.nextCorrelationId(), dstAddress, length, completion);
        final UnsafeBuffer buffer = encodeRead(request.correlationId, route, address, length);
        return requests.send(link(route.nodeId(), route.endpoint()), request, buffer, buffer.capacity(),
            SEND_WAIT_NS);
    }

    boolean readLinesAsync(
        final long address,
        final long[] dstAddresses,
        final int count,
        final int lineSize,
        final PageBackend.Completion completion)
    {
        final int shift = routing.vRegionShift();
        final int perRequest = Math.max(1, maxRequestBytes / lineSize);
        int parts = 0;
        for (int i = 0; i < count; i += linesInRequest(address, i, count, lineSize, perRequest, shift))
        {
            parts++;
        }
        final BatchCompletion batch = new BatchCompletion(parts, completion);
        for (int i = 0; i < count; )
        {
            final int lines = linesInRequest(address, i, count, lineSize, perRequest, shift);
            final long lineAddress = address + (long)i * lineSize;
            final Routing.Route route = routing.route(lineAddress);
            if (route == null)
            {
                batch.complete(new SplitheapException("readahead of an unmapped address " +
                    FarAddress.format(lineAddress)));
            }
            else
            {
                final ReadRequest request = new ReadRequest(requests.nextCorrelationId(), dstAddresses, i, lines,
                    lineSize, batch::complete);
                final UnsafeBuffer buffer = encodeRead(request.correlationId, route, lineAddress, lines * lineSize);
                if (!requests.send(link(route.nodeId(), route.endpoint()), request, buffer, buffer.capacity(),
                    SEND_WAIT_NS))
                {
                    batch.complete(new SplitheapException("cannot send a readahead to " + describe(lineAddress)));
                }
            }
            i += lines;
        }
        return true;
    }

    /**
     * Writes lines back: each goes to its vRegion's primary and, when the vRegion has one, to its secondary too, one
     * {@code WriteLines} per node; {@code completion} runs once every node has acknowledged (or the first failure,
     * after which the write-back queue sends the lines again with the routes of then). It never waits for a node that
     * cannot take the batch: a link that is not connected fails it at once, back pressure after {@link #SEND_WAIT_NS},
     * and a batch still unanswered when its vRegion's route moves is abandoned, all with a
     * {@link NodeUnavailableException}.
     */
    void writeLinesAsync(
        final long[] addresses,
        final long[] sourceAddresses,
        final int count,
        final int length,
        final PageBackend.Completion completion)
    {
        final Routing.Route[] routes = new Routing.Route[count];
        final Map<Integer, Endpoint> targets = new LinkedHashMap<>();
        boolean unrouted = false;
        for (int i = 0; i < count; i++)
        {
            final Routing.Route route = routing.route(addresses[i]);
            routes[i] = route;
            if (route == null)
            {
                unrouted = true;
                continue;
            }
            targets.putIfAbsent(route.nodeId(), route.endpoint());
            if (route.replicated())
            {
                targets.putIfAbsent(route.secondaryNodeId(), route.secondaryEndpoint());
            }
        }
        if (targets.isEmpty() && !unrouted)
        {
            completion.complete(null);
            return;
        }
        final ServerLink[] targetLinks = connectedLinks(targets, "write-back of " + count + " lines", completion);
        if (targetLinks == null)
        {
            return;
        }
        final BatchCompletion batch = new BatchCompletion(targets.size() + (unrouted ? 1 : 0), completion);
        if (unrouted)
        {
            batch.complete(new SplitheapException("write-back to an unmapped address"));
        }
        int target = 0;
        for (final Integer nodeId : targets.keySet())
        {
            sendWrites(nodeId, targetLinks[target++], routes, addresses, sourceAddresses, count, length, batch);
        }
    }

    /**
     * Discards the pages of dead data on the vRegion's primary and, when it has one, on its secondary. Like a
     * write-back, it fails with a {@link NodeUnavailableException} rather than wait for a node that cannot take it.
     */
    void freePagesAsync(final long address, final long length, final PageBackend.Completion completion)
    {
        final Routing.Route route = routing.route(address);
        if (route == null)
        {
            completion.complete(new SplitheapException("free of unmapped address " + FarAddress.format(address)));
            return;
        }
        final Map<Integer, Endpoint> targets = new LinkedHashMap<>();
        targets.put(route.nodeId(), route.endpoint());
        if (route.replicated())
        {
            targets.put(route.secondaryNodeId(), route.secondaryEndpoint());
        }
        final ServerLink[] targetLinks = connectedLinks(targets, "free of " + FarAddress.format(address), completion);
        if (targetLinks == null)
        {
            return;
        }
        final BatchCompletion batch = new BatchCompletion(targets.size(), completion);
        int target = 0;
        for (final Integer nodeId : targets.keySet())
        {
            sendFree(nodeId, targetLinks[target++], route, address, length, batch);
        }
    }

    /**
     * Abandons the write-backs and frees still waiting for an answer whose vRegion's route moved since they were
     * sent: their node died or was replaced, and waiting out the request timeout for it would hold their lines (and
     * the write-back buffer) for nothing. Their senders get a {@link NodeUnavailableException} and send them again
     * with the new routes. Called when a routing update moved a route.
     */
    void abandonMoved()
    {
        for (final NodeRequest request : awaiting)
        {
            if (request.moved() && requests.unregister(request))
            {
                request.complete(new NodeUnavailableException(request.description + " to node=" + request.nodeId +
                    " abandoned unanswered: the route of its vRegion moved"));
            }
        }
    }

    /**
     * The links to every target, each ready to take a request now; null, after completing {@code completion} with a
     * {@link NodeUnavailableException}, if one is not connected, cannot be opened, or is still being opened (its
     * handshake is waited for {@link #SEND_WAIT_NS} at most, so that a node this process never reached before cannot
     * hold the housekeeper for the request timeout; the send is retried like any other).
     */
    private ServerLink[] connectedLinks(
        final Map<Integer, Endpoint> targets, final String what, final PageBackend.Completion completion)
    {
        final ServerLink[] connected = new ServerLink[targets.size()];
        int target = 0;
        for (final Map.Entry<Integer, Endpoint> entry : targets.entrySet())
        {
            String why = "is not connected";
            try
            {
                connected[target] = readyLink(entry.getKey(), entry.getValue(), SEND_WAIT_NS);
                if (connected[target] == null)
                {
                    why = "is still connecting (first use of its link)";
                }
            }
            catch (final RuntimeException ex)
            {
                why = "cannot be reached: " + ex.getMessage();
            }
            if (connected[target] == null || !connected[target].isConnected())
            {
                completion.complete(new NodeUnavailableException(what + " not sent: node=" + entry.getKey() + " (" +
                    entry.getValue() + ") " + why));
                return null;
            }
            target++;
        }
        return connected;
    }

    private void sendFree(
        final int nodeId,
        final ServerLink link,
        final Routing.Route route,
        final long address,
        final long length,
        final BatchCompletion batch)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[80]);
        final FreePagesEncoder encoder = new FreePagesEncoder();
        final NodeRequest request = nodeRequest("free pages", nodeId, new long[]{address},
            new Routing.Route[]{route}, batch);
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(request.correlationId).pid(pid).secret(secret).epoch(route.epoch()).address(address)
            .length(length);
        send(link, request, buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private NodeRequest nodeRequest(
        final String description,
        final int nodeId,
        final long[] addresses,
        final Routing.Route[] routes,
        final BatchCompletion batch)
    {
        final Untrack untrack = new Untrack(batch);
        final NodeRequest request = new NodeRequest(requests.nextCorrelationId(), description, nodeId, addresses,
            routes, untrack);
        untrack.request = request;
        return request;
    }

    /**
     * Starts the handshake of a node's link again at once: a routing push shows that the node restarted at its
     * endpoint (a new process, which knows none of this link's sessions).
     *
     * @param nodeId the node.
     */
    void nodeRestarted(final int nodeId)
    {
        handshakeAgain(nodeId);
    }

    /**
     * Starts the handshake of a node's link again after a request to it got no answer (see
     * {@link ServerLink#handshakeAgain}): the node may have restarted on the same endpoint.
     */
    private void handshakeAgain(final int nodeId)
    {
        final ServerLink[] links = this.links;
        if (nodeId < links.length && links[nodeId] != null)
        {
            links[nodeId].handshakeAgain(System.nanoTime());
        }
    }

    /**
     * Sends a write-back or a free, waiting at most {@link #SEND_WAIT_NS} for back pressure; tracked until answered
     * so that a route move can abandon it.
     */
    private void send(final ServerLink link, final NodeRequest request, final DirectBuffer buffer, final int length)
    {
        awaiting.add(request);
        if (!requests.send(link, request, buffer, length, SEND_WAIT_NS))
        {
            request.complete(new NodeUnavailableException(request.description + " not sent: node=" +
                request.nodeId + " (" + link.endpoint() + ") " + (link.isConnected() ?
                "stayed back-pressured for " + TimeUnit.NANOSECONDS.toMillis(SEND_WAIT_NS) + "ms" :
                "is not connected")));
        }
    }

    List<PageBackend.NodeUsage> nodeUsage()
    {
        final List<NodeStatsRequest> pendingStats = new ArrayList<>();
        final ServerLink[] links = this.links;
        for (int nodeId = 0; nodeId < links.length; nodeId++)
        {
            if (links[nodeId] != null)
            {
                final NodeStatsRequest request = new NodeStatsRequest(requests.nextCorrelationId());
                final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
                final NodeStatsRequestEncoder encoder = new NodeStatsRequestEncoder();
                encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
                    .correlationId(request.correlationId).pid(pid).secret(secret);
                requests.register(request);
                links[nodeId].send(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
                pendingStats.add(request);
            }
        }
        requests.await(() -> pendingStats.stream().allMatch(PendingRequest::isDone), STATS_TIMEOUT_NS,
            "node statistics");
        final List<PageBackend.NodeUsage> usage = new ArrayList<>();
        for (final NodeStatsRequest request : pendingStats)
        {
            requests.unregister(request);
            if (request.isDone() && request.error() == null)
            {
                final ServerLink link = request.nodeId < links.length ? links[request.nodeId] : null;
                usage.add(new PageBackend.NodeUsage(request.nodeId, request.processPages, request.usedPages,
                    link != null && link.isIpc() ? "ipc" : "udp"));
            }
        }
        usage.sort((a, b) -> Integer.compare(a.nodeId(), b.nodeId()));
        return usage;
    }

    String describe(final long address)
    {
        final Routing.Route route = routing.route(address);
        return route == null ? "node=unknown (address not routed)" :
            "node=" + route.nodeId() + " (" + route.endpoint() + ")";
    }

    /**
     * The link to a node at an endpoint, opened (and waited for) on first use or when the node moved.
     *
     * @param nodeId   the node.
     * @param endpoint where it is now.
     * @return the link.
     */
    ServerLink link(final int nodeId, final Endpoint endpoint)
    {
        final ServerLink link = readyLink(nodeId, endpoint, requests.timeoutNs());
        if (link == null)
        {
            throw requests.unreachable("memory node " + nodeId, endpoint);
        }
        return link;
    }

    /**
     * The ready link to a node, opened on first use: waits at most {@code waitNs} for the handshake of a new link, and
     * returns null if it is still under way then. The handshake goes on (each call advances it, and the replies that
     * complete it are polled by whoever polls), so a later call picks the link up; one that failed, or did not finish
     * within the request timeout, is dropped with a {@code TimeoutException} and the next call starts again. No lock
     * is held while waiting, so a thread waiting for one node never holds up another's link.
     */
    private ServerLink readyLink(final int nodeId, final Endpoint endpoint, final long waitNs)
    {
        final ServerLink[] links = this.links;
        if (nodeId < links.length && links[nodeId] != null && endpoint.equals(endpoints[nodeId]))
        {
            return links[nodeId];
        }
        final Connecting pending = connecting(nodeId, endpoint);
        if (requests.awaitReady(pending.link, waitNs))
        {
            return install(nodeId, pending);
        }
        if (pending.link.isFailed() || System.nanoTime() - pending.startedNs > requests.timeoutNs())
        {
            synchronized (connecting)
            {
                connecting.remove(nodeId, pending);
            }
            pending.link.close();
            throw requests.unreachable("memory node " + nodeId, endpoint);
        }
        return null;
    }

    private Connecting connecting(final int nodeId, final Endpoint endpoint)
    {
        synchronized (connecting)
        {
            final Connecting pending = connecting.get(nodeId);
            if (pending != null && pending.endpoint.equals(endpoint))
            {
                return pending;
            }
            final Connecting started = new Connecting(requests.startLink(endpoint), endpoint, System.nanoTime());
            connecting.put(nodeId, started);
            if (pending != null)
            {
                pending.link.close();
            }
            return started;
        }
    }

    private synchronized ServerLink install(final int nodeId, final Connecting pending)
    {
        ServerLink[] current = this.links;
        if (nodeId < current.length && current[nodeId] == pending.link)
        {
            return pending.link;
        }
        final int size = Math.max(current.length, nodeId + 1);
        current = Arrays.copyOf(current, size);
        final Endpoint[] currentEndpoints = Arrays.copyOf(endpoints, size);
        current[nodeId] = pending.link;
        currentEndpoints[nodeId] = pending.endpoint;
        this.endpoints = currentEndpoints;
        this.links = current;
        synchronized (connecting)
        {
            connecting.remove(nodeId, pending);
        }
        return pending.link;
    }

    private static int linesInRequest(
        final long address, final int from, final int count, final int lineSize, final int perRequest, final int shift)
    {
        final long start = address + (long)from * lineSize;
        final long regionEnd = ((start >>> shift) + 1) << shift;
        final int toRegionEnd = (int)Math.min(Integer.MAX_VALUE, (regionEnd - start) / lineSize);
        return Math.max(1, Math.min(Math.min(count - from, perRequest), toRegionEnd));
    }

    private void sendWrites(
        final int nodeId,
        final ServerLink link,
        final Routing.Route[] routes,
        final long[] addresses,
        final long[] sources,
        final int count,
        final int length,
        final BatchCompletion batch)
    {
        synchronized (writeBuffer)
        {
            int lines = 0;
            for (int i = 0; i < count; i++)
            {
                lines += goesTo(routes[i], nodeId) ? 1 : 0;
            }
            final NodeRequest request = nodeRequest("write-back", nodeId, addresses, routes, batch);
            final WriteLinesEncoder encoder = new WriteLinesEncoder();
            encoder.wrapAndApplyHeader(writeBuffer, 0, new MessageHeaderEncoder())
                .correlationId(request.correlationId).pid(pid).secret(secret);
            final WriteLinesEncoder.LinesEncoder group = encoder.linesCount(lines);
            final UnsafeBuffer source = new UnsafeBuffer(0, 0);
            for (int i = 0; i < count; i++)
            {
                if (goesTo(routes[i], nodeId))
                {
                    source.wrap(sources[i], length);
                    group.next().address(addresses[i]).epoch(routes[i].epoch()).putData(source, 0, length);
                }
            }
            send(link, request, writeBuffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
        }
    }

    private static boolean goesTo(final Routing.Route route, final int nodeId)
    {
        return route != null && (route.nodeId() == nodeId || route.secondaryNodeId() == nodeId);
    }

    private UnsafeBuffer encodeRead(
        final long correlationId, final Routing.Route route, final long address, final int length)
    {
        final ReadLineEncoder encoder = new ReadLineEncoder();
        final UnsafeBuffer buffer = new UnsafeBuffer(
            new byte[MessageHeaderEncoder.ENCODED_LENGTH + ReadLineEncoder.BLOCK_LENGTH]);
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(correlationId).pid(pid).secret(secret).epoch(route.epoch()).address(address)
            .length(length);
        return buffer;
    }

    private Routing.Route routeOf(final long address)
    {
        final Routing.Route route = routing.route(address);
        if (route == null)
        {
            throw new SplitheapException("address " + FarAddress.format(address) + " is not in any vRegion this " +
                "process was given");
        }
        return route;
    }

    /**
     * A read of one line or of a run of consecutive lines, each copied into its own place from the one reply.
     */
    private final class ReadRequest extends PendingRequest
    {
        final long[] dstAddresses;
        final int first;
        final int lines;
        int lineSize;

        ReadRequest(
            final long correlationId,
            final long dstAddress,
            final int length,
            final PageBackend.Completion completion)
        {
            this(correlationId, new long[]{dstAddress}, 0, 1, length, completion);
        }

        ReadRequest(
            final long correlationId,
            final long[] dstAddresses,
            final int first,
            final int lines,
            final int lineSize,
            final PageBackend.Completion completion)
        {
            super(correlationId, lines == 1 ? "line read" : "readahead", completion);
            this.dstAddresses = dstAddresses;
            this.first = first;
            this.lines = lines;
            this.lineSize = lineSize;
        }

        void handle(final int templateId, final DirectBuffer buffer, final int offset, final MessageHeaderDecoder hdr)
        {
            if (templateId != LineDataDecoder.TEMPLATE_ID)
            {
                throw new SplitheapException("unexpected reply templateId=" + templateId + " to a line read");
            }
            lineDecoder.wrapAndApplyHeader(buffer, offset, hdr);
            final int dataLength = lineDecoder.dataLength();
            final int length = lines * lineSize;
            if (dataLength == 0)
            {
                for (int i = 0; i < lines; i++)
                {
                    target.wrap(dstAddresses[first + i], lineSize);
                    target.setMemory(0, lineSize, (byte)0);
                }
                lineDecoder.skipData();
            }
            else if (dataLength != length)
            {
                throw new SplitheapException("line read returned " + dataLength + " bytes, expected " + length);
            }
            else
            {
                lineDecoder.wrapData(data);
                for (int i = 0; i < lines; i++)
                {
                    target.wrap(dstAddresses[first + i], lineSize);
                    target.putBytes(0, data, i * lineSize, lineSize);
                }
            }
        }
    }

    /**
     * A link whose handshake is under way.
     */
    private record Connecting(ServerLink link, Endpoint endpoint, long startedNs)
    {
    }

    /**
     * A thread's demand read, reused; its {@code toString()} names the node, for the messages of a failed read. As the
     * condition its wait polls for, it also holds when the read's vRegion was failed over to another node meanwhile:
     * the read is then abandoned and sent again to the new primary at once, instead of after the request timeout.
     */
    private final class DemandRead implements BooleanSupplier
    {
        final ReadRequest request = new ReadRequest(0, 0, 0, null);
        final UnsafeBuffer buffer = new UnsafeBuffer(
            new byte[MessageHeaderEncoder.ENCODED_LENGTH + ReadLineEncoder.BLOCK_LENGTH]);
        final ReadLineEncoder encoder = new ReadLineEncoder();
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        long address;
        Routing.Route route;

        public boolean getAsBoolean()
        {
            if (request.isDone())
            {
                return true;
            }
            final Routing.Route sent = route;
            return sent != null && routeMoved(address, sent);
        }

        public String toString()
        {
            return describe(address);
        }
    }

    private static final class NodeStatsRequest extends PendingRequest
    {
        int nodeId;
        long processPages;
        long usedPages;

        NodeStatsRequest(final long correlationId)
        {
            super(correlationId, "node statistics", null);
        }

        void handle(final int templateId, final DirectBuffer buffer, final int offset, final MessageHeaderDecoder hdr)
        {
            final NodeStatsDecoder decoder = new NodeStatsDecoder();
            decoder.wrapAndApplyHeader(buffer, offset, hdr);
            nodeId = decoder.nodeId();
            processPages = decoder.processPages();
            usedPages = decoder.usedPages();
        }
    }

    /**
     * A write-back or a free to one node, answered by an acknowledgement, with the lines it carries and the routes it
     * was sent with (the arrays are the caller's; they are read only while the request is unanswered).
     */
    private final class NodeRequest extends PendingRequest
    {
        final int nodeId;
        private final long[] addresses;
        private final Routing.Route[] routes;

        NodeRequest(
            final long correlationId,
            final String description,
            final int nodeId,
            final long[] addresses,
            final Routing.Route[] routes,
            final Untrack untrack)
        {
            super(correlationId, description, untrack);
            this.nodeId = nodeId;
            this.addresses = addresses;
            this.routes = routes;
        }

        void handle(final int templateId, final DirectBuffer buffer, final int offset, final MessageHeaderDecoder hdr)
        {
        }

        /**
         * Whether the route of a line this request carries to its node has changed since it was sent.
         */
        boolean moved()
        {
            for (int i = 0; i < routes.length; i++)
            {
                final Routing.Route sent = routes[i];
                if (goesTo(sent, nodeId) && !sent.equals(routing.route(addresses[i])))
                {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Forgets an answered (or failed) request before its part of the batch completes.
     */
    private final class Untrack implements PageBackend.Completion
    {
        private final BatchCompletion batch;
        private NodeRequest request;

        Untrack(final BatchCompletion batch)
        {
            this.batch = batch;
        }

        public void complete(final Throwable error)
        {
            awaiting.remove(request);
            if (error instanceof TimeoutException)
            {
                handshakeAgain(request.nodeId);
            }
            batch.complete(error);
        }
    }

    /**
     * Completes once every part of a request sent in parts completed, with the first error.
     */
    private static final class BatchCompletion
    {
        private final PageBackend.Completion completion;
        private int remaining;
        private Throwable first;

        BatchCompletion(final int parts, final PageBackend.Completion completion)
        {
            this.remaining = parts;
            this.completion = completion;
        }

        synchronized void complete(final Throwable error)
        {
            if (error != null && first == null)
            {
                first = error;
            }
            if (--remaining == 0)
            {
                completion.complete(first);
            }
        }
    }
}
