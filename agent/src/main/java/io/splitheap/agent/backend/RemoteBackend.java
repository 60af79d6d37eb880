package io.splitheap.agent.backend;

import io.aeron.logbuffer.Header;
import io.splitheap.agent.AgentConfiguration;
import io.splitheap.protocol.CommonConfiguration;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.FarAddress;
import io.splitheap.protocol.codecs.AllocateEncoder;
import io.splitheap.protocol.codecs.AllocateReplyDecoder;
import io.splitheap.protocol.codecs.FreePagesEncoder;
import io.splitheap.protocol.codecs.HeartbeatEncoder;
import io.splitheap.protocol.codecs.LineDataDecoder;
import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.codecs.MessageHeaderEncoder;
import io.splitheap.protocol.codecs.NodeKind;
import io.splitheap.protocol.codecs.NodeStatsDecoder;
import io.splitheap.protocol.codecs.NodeStatsRequestEncoder;
import io.splitheap.protocol.codecs.ReadLineEncoder;
import io.splitheap.protocol.codecs.RegisterProcessEncoder;
import io.splitheap.protocol.codecs.RegisterProcessReplyDecoder;
import io.splitheap.protocol.codecs.RoutingUpdateDecoder;
import io.splitheap.protocol.codecs.UnmapEncoder;
import io.splitheap.protocol.codecs.UnregisterProcessEncoder;
import io.splitheap.protocol.codecs.WriteLinesEncoder;
import io.splitheap.protocol.exceptions.SplitheapException;
import io.splitheap.protocol.exceptions.TimeoutException;
import io.splitheap.protocol.transport.AeronResources;
import io.splitheap.protocol.transport.Channels;
import io.splitheap.protocol.transport.ClientEndpoint;
import io.splitheap.protocol.transport.IdleStrategies;
import io.splitheap.protocol.transport.ServerLink;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Far memory on the cluster, over Aeron: registers this JVM with the coordinator (getting its pid and secret),
 * allocates ranges there, and reads and writes lines on the memory node that owns each vRegion, every request
 * carrying pid, secret and routing epoch. Application threads that wait for replies take turns polling the reply
 * subscription (whoever holds the poll lock dispatches every reply), so a miss needs no extra thread hop.
 */
public final class RemoteBackend implements PageBackend
{
    private static final int FRAGMENT_LIMIT = 32;
    private static final long STATS_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(2);

    private final AeronResources aeronResources;
    private final ClientEndpoint client;
    private final ServerLink coordinator;
    private final Endpoint coordinatorEndpoint;
    private final long requestTimeoutNs;
    private final ReentrantLock pollLock = new ReentrantLock();
    private final Long2ObjectHashMap<PendingRequest> pending = new Long2ObjectHashMap<>();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final LineDataDecoder lineDecoder = new LineDataDecoder();
    private final RoutingUpdateDecoder routingDecoder = new RoutingUpdateDecoder();
    private final UnsafeBuffer target = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer data = new UnsafeBuffer(0, 0);
    private final int maxRequestBytes;
    private final int termLength;
    private final UnsafeBuffer writeBuffer;
    private final ErrorHandler errorHandler;
    private volatile ServerLink[] links = new ServerLink[16];
    private volatile Endpoint[] endpoints = new Endpoint[16];
    private Routing routing;
    private int pid;
    private long secret;
    private long heartbeatIntervalNs;
    private long lastHeartbeatNs;
    private long lastSweepNs;
    private long droppedReplies;
    private long routingEpoch;
    private volatile long routingUpdates;

    private RemoteBackend(final AgentConfiguration configuration, final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        final java.util.Map<String, String> values = configuration.values();
        this.requestTimeoutNs = CommonConfiguration.requestTimeoutNs(values);
        this.maxRequestBytes = CommonConfiguration.maxLineBytes(values);
        this.termLength = CommonConfiguration.termLength(values);
        this.writeBuffer = new UnsafeBuffer(new byte[termLength / 8]);
        this.coordinatorEndpoint = configuration.coordinator();
        this.aeronResources = configuration.aeronDir().isEmpty() ?
            AeronResources.launchEmbedded("agent", CommonConfiguration.aeronDirBase(values), termLength,
                CommonConfiguration.idleMaxParkNs(values), errorHandler) :
            AeronResources.connect("agent", configuration.aeronDir(), CommonConfiguration.idleMaxParkNs(values),
                errorHandler);
        try
        {
            final String bind = configuration.bind().isEmpty() ? localAddressTowards(coordinatorEndpoint) :
                configuration.bind();
            this.client = new ClientEndpoint(aeronResources.aeron(), bind, CommonConfiguration.mtu(values),
                termLength, this::onReply, requestTimeoutNs, !aeronResources.ownsDriver());
            this.coordinator = connect(coordinatorEndpoint, "coordinator");
            register();
        }
        catch (final RuntimeException ex)
        {
            aeronResources.close();
            throw ex;
        }
    }

    /**
     * Joins the cluster.
     *
     * @param configuration agent settings (coordinator, transport).
     * @param errorHandler  receives background errors.
     * @return the backend.
     */
    public static RemoteBackend connect(final AgentConfiguration configuration, final ErrorHandler errorHandler)
    {
        return new RemoteBackend(configuration, errorHandler);
    }

    /**
     * The cluster-wide id of this process.
     *
     * @return pid.
     */
    public int pid()
    {
        return pid;
    }

    /**
     * log2 of the vRegion size.
     *
     * @return shift.
     */
    public int vRegionShift()
    {
        return routing.vRegionShift();
    }

    /**
     * {@inheritDoc}
     */
    public long allocate(final long length)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final AllocateEncoder encoder = new AllocateEncoder();
        final AllocateRequest request = new AllocateRequest(client.nextCorrelationId());
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(request.correlationId).pid(pid).secret(secret).length(length);
        call(coordinator, request, buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(),
            "coordinator at " + coordinatorEndpoint);
        for (int i = 0; i < request.regions.size(); i++)
        {
            final long[] region = request.regions.get(i);
            final Endpoint endpoint = request.endpoints.get(i);
            final int nodeId = (int)region[2];
            link(nodeId, endpoint);
            routing.put(region[0], new Routing.Route(nodeId, region[1], endpoint));
        }
        return request.address;
    }

    /**
     * {@inheritDoc}
     */
    public void unmap(final long address, final long length)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final UnmapEncoder encoder = new UnmapEncoder();
        final AckRequest request = new AckRequest(client.nextCorrelationId(), "unmap", null);
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(request.correlationId).pid(pid).secret(secret).address(address).length(length);
        call(coordinator, request, buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(),
            "coordinator at " + coordinatorEndpoint);
    }

    /**
     * {@inheritDoc}
     */
    public void readLine(final long address, final long dstAddress, final int length)
    {
        final Routing.Route route = routeOf(address);
        final ReadRequest request = new ReadRequest(client.nextCorrelationId(), dstAddress, length, null);
        final UnsafeBuffer buffer = encodeRead(request.correlationId, route, address, length);
        call(link(route.nodeId(), route.endpoint()), request, buffer, buffer.capacity(), describe(address));
    }

    /**
     * {@inheritDoc}
     */
    public boolean readLineAsync(
        final long address, final long dstAddress, final int length, final Completion completion)
    {
        final Routing.Route route = routing.route(address);
        if (route == null)
        {
            return false;
        }
        final ReadRequest request = new ReadRequest(client.nextCorrelationId(), dstAddress, length, completion);
        final UnsafeBuffer buffer = encodeRead(request.correlationId, route, address, length);
        register(request);
        if (!link(route.nodeId(), route.endpoint()).send(buffer, 0, buffer.capacity(), requestTimeoutNs))
        {
            return !unregister(request);
        }
        return true;
    }

    /**
     * {@inheritDoc} A quarter of the reply stream's term (shared memory, or UDP when this JVM runs its own driver).
     */
    public long readaheadBudgetBytes()
    {
        return (aeronResources.ownsDriver() ? termLength : Channels.IPC_TERM_LENGTH) / 4;
    }

    /**
     * {@inheritDoc} One request per vRegion and per {@code splitheap.line.max} bytes.
     */
    public boolean readLinesAsync(
        final long address, final long[] dstAddresses, final int count, final int lineSize, final Completion completion)
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
                final ReadRequest request = new ReadRequest(client.nextCorrelationId(), dstAddresses, i, lines,
                    lineSize, batch::complete);
                final UnsafeBuffer buffer = encodeRead(request.correlationId, route, lineAddress, lines * lineSize);
                register(request);
                if (!link(route.nodeId(), route.endpoint()).send(buffer, 0, buffer.capacity(), requestTimeoutNs) &&
                    unregister(request))
                {
                    batch.complete(new SplitheapException("cannot send a readahead to " + describe(lineAddress)));
                }
            }
            i += lines;
        }
        return true;
    }

    private static int linesInRequest(
        final long address, final int from, final int count, final int lineSize, final int perRequest, final int shift)
    {
        final long start = address + (long)from * lineSize;
        final long regionEnd = ((start >>> shift) + 1) << shift;
        final int toRegionEnd = (int)Math.min(Integer.MAX_VALUE, (regionEnd - start) / lineSize);
        return Math.max(1, Math.min(Math.min(count - from, perRequest), toRegionEnd));
    }

    /**
     * {@inheritDoc}
     */
    public void writeLinesAsync(
        final long[] addresses,
        final long[] sourceAddresses,
        final int count,
        final int length,
        final Completion completion)
    {
        final int[] nodes = new int[count];
        for (int i = 0; i < count; i++)
        {
            final Routing.Route route = routing.route(addresses[i]);
            nodes[i] = route == null ? -1 : route.nodeId();
        }
        final int[] distinct = Arrays.stream(nodes).distinct().toArray();
        final BatchCompletion batch = new BatchCompletion(distinct.length, completion);
        for (final int nodeId : distinct)
        {
            if (nodeId < 0)
            {
                batch.complete(new SplitheapException("write-back to an unmapped address"));
                continue;
            }
            sendWrites(nodeId, nodes, addresses, sourceAddresses, count, length, batch);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void freePagesAsync(final long address, final long length, final Completion completion)
    {
        final Routing.Route route = routing.route(address);
        if (route == null)
        {
            completion.complete(new SplitheapException("free of unmapped address " + FarAddress.format(address)));
            return;
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[80]);
        final FreePagesEncoder encoder = new FreePagesEncoder();
        final AckRequest request = new AckRequest(client.nextCorrelationId(), "free pages", completion);
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(request.correlationId).pid(pid).secret(secret).epoch(route.epoch()).address(address)
            .length(length);
        register(request);
        if (!link(route.nodeId(), route.endpoint()).send(
            buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(), requestTimeoutNs) &&
            unregister(request))
        {
            completion.complete(new SplitheapException("cannot reach " + describe(address)));
        }
    }

    /**
     * {@inheritDoc}
     */
    public boolean await(final BooleanSupplier condition, final long timeoutNs, final String what)
    {
        final long deadline = System.nanoTime() + Math.min(timeoutNs, Long.MAX_VALUE / 4);
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
     * {@inheritDoc}
     */
    public int poll()
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
     * Heartbeats to the coordinator and times out asynchronous requests.
     *
     * @param nowNs current nano time.
     * @return work done.
     */
    public int doWork(final long nowNs)
    {
        int work = 0;
        if (nowNs - lastHeartbeatNs >= heartbeatIntervalNs)
        {
            lastHeartbeatNs = nowNs;
            sendHeartbeat();
            work++;
        }
        if (nowNs - lastSweepNs >= TimeUnit.MILLISECONDS.toNanos(100))
        {
            lastSweepNs = nowNs;
            work += sweepTimeouts(nowNs);
        }
        return work;
    }

    /**
     * {@inheritDoc}
     */
    public String describe(final long address)
    {
        final Routing.Route route = routing == null ? null : routing.route(address);
        return route == null ? "node=unknown (address not routed)" :
            "node=" + route.nodeId() + " (" + route.endpoint() + ")";
    }

    /**
     * {@inheritDoc}
     */
    public List<NodeUsage> nodeUsage()
    {
        final List<NodeStatsRequest> requests = new ArrayList<>();
        final ServerLink[] links = this.links;
        for (int nodeId = 0; nodeId < links.length; nodeId++)
        {
            if (links[nodeId] != null)
            {
                final NodeStatsRequest request = new NodeStatsRequest(client.nextCorrelationId());
                final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
                final NodeStatsRequestEncoder encoder = new NodeStatsRequestEncoder();
                encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
                    .correlationId(request.correlationId).pid(pid).secret(secret);
                register(request);
                links[nodeId].send(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
                requests.add(request);
            }
        }
        await(() -> requests.stream().allMatch(PendingRequest::isDone), STATS_TIMEOUT_NS, "node statistics");
        final List<NodeUsage> usage = new ArrayList<>();
        for (final NodeStatsRequest request : requests)
        {
            unregister(request);
            if (request.isDone() && request.error() == null)
            {
                final ServerLink link = request.nodeId < links.length ? links[request.nodeId] : null;
                usage.add(new NodeUsage(request.nodeId, request.processPages, request.usedPages,
                    link != null && link.isIpc() ? "ipc" : "udp"));
            }
        }
        usage.sort((a, b) -> Integer.compare(a.nodeId(), b.nodeId()));
        return usage;
    }

    /**
     * Leaves the cluster (the coordinator releases this process's memory on every node) and stops the transport.
     */
    public void close()
    {
        try
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
            final UnregisterProcessEncoder encoder = new UnregisterProcessEncoder();
            final AckRequest request = new AckRequest(client.nextCorrelationId(), "unregister", null);
            encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
                .correlationId(request.correlationId).pid(pid).secret(secret);
            register(request);
            coordinator.send(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
            await(request::isDone, STATS_TIMEOUT_NS, "unregister");
        }
        finally
        {
            CloseHelper.quietCloseAll(client, aeronResources);
        }
    }

    /**
     * Replies that arrived for no pending request (late replies to timed-out requests).
     *
     * @return count.
     */
    public long droppedReplies()
    {
        return droppedReplies;
    }

    private void register()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final RegisterProcessEncoder encoder = new RegisterProcessEncoder();
        final RegisterRequest request = new RegisterRequest(client.nextCorrelationId());
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(request.correlationId).hostPid(ProcessHandle.current().pid()).hostName(hostName());
        call(coordinator, request, buffer, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(),
            "coordinator at " + coordinatorEndpoint);
        pid = request.pid;
        secret = request.secret;
        heartbeatIntervalNs = request.heartbeatIntervalNs;
        routing = new Routing(request.vRegionShift);
    }

    private void sendHeartbeat()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final HeartbeatEncoder encoder = new HeartbeatEncoder();
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .kind(NodeKind.PROCESS).senderId(pid).secret(secret).capacityBytes(0).usedPages(0).peakPages(0);
        coordinator.send(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private void sendWrites(
        final int nodeId,
        final int[] nodes,
        final long[] addresses,
        final long[] sources,
        final int count,
        final int length,
        final BatchCompletion batch)
    {
        final Routing.Route route = routing.route(addresses[indexOf(nodes, nodeId)]);
        final ServerLink link = link(nodeId, route.endpoint());
        synchronized (writeBuffer)
        {
            int lines = 0;
            for (int i = 0; i < count; i++)
            {
                lines += nodes[i] == nodeId ? 1 : 0;
            }
            final AckRequest request = new AckRequest(client.nextCorrelationId(), "write-back", batch::complete);
            final WriteLinesEncoder encoder = new WriteLinesEncoder();
            encoder.wrapAndApplyHeader(writeBuffer, 0, new MessageHeaderEncoder())
                .correlationId(request.correlationId).pid(pid).secret(secret);
            final WriteLinesEncoder.LinesEncoder group = encoder.linesCount(lines);
            final UnsafeBuffer source = new UnsafeBuffer(0, 0);
            for (int i = 0; i < count; i++)
            {
                if (nodes[i] == nodeId)
                {
                    source.wrap(sources[i], length);
                    group.next().address(addresses[i]).epoch(routing.route(addresses[i]).epoch())
                        .putData(source, 0, length);
                }
            }
            register(request);
            if (!link.send(writeBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(),
                requestTimeoutNs) && unregister(request))
            {
                batch.complete(new SplitheapException("cannot send write-back to node=" + nodeId));
            }
        }
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

    private void call(
        final ServerLink link,
        final PendingRequest request,
        final UnsafeBuffer buffer,
        final int length,
        final String peer)
    {
        register(request);
        if (!link.send(buffer, 0, length, requestTimeoutNs))
        {
            unregister(request);
            throw new SplitheapException("cannot send " + request.description + " to " + peer +
                ": not connected or back-pressured for " + TimeUnit.NANOSECONDS.toMillis(requestTimeoutNs) + "ms");
        }
        if (!await(request::isDone, requestTimeoutNs, request.description) && unregister(request))
        {
            throw new TimeoutException(request.description + " got no answer from " + peer + " within " +
                TimeUnit.NANOSECONDS.toMillis(requestTimeoutNs) + "ms");
        }
        await(request::isDone, Long.MAX_VALUE, request.description);
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

    private void register(final PendingRequest request)
    {
        synchronized (pending)
        {
            pending.put(request.correlationId, request);
        }
    }

    private boolean unregister(final PendingRequest request)
    {
        synchronized (pending)
        {
            return pending.remove(request.correlationId) != null;
        }
    }

    private int sweepTimeouts(final long nowNs)
    {
        final List<PendingRequest> expired = new ArrayList<>();
        synchronized (pending)
        {
            for (final PendingRequest request : pending.values())
            {
                if (request.completionIsAsync() && nowNs - request.startedNs > requestTimeoutNs)
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
                TimeUnit.NANOSECONDS.toMillis(requestTimeoutNs) + "ms"));
        }
        return expired.size();
    }

    private void onReply(final DirectBuffer buffer, final int offset, final int length, final Header ignored)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH + Long.BYTES)
        {
            droppedReplies++;
            return;
        }
        header.wrap(buffer, offset);
        if (header.templateId() == RoutingUpdateDecoder.TEMPLATE_ID)
        {
            onRoutingUpdate(buffer, offset);
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

    private void onRoutingUpdate(final DirectBuffer buffer, final int offset)
    {
        routingDecoder.wrapAndApplyHeader(buffer, offset, header);
        if (routingDecoder.pid() != pid || routingDecoder.epoch() <= routingEpoch)
        {
            return;
        }
        routingEpoch = routingDecoder.epoch();
        for (final RoutingUpdateDecoder.RegionsDecoder region : routingDecoder.regions())
        {
            final long vRegion = region.vRegion();
            final long epoch = region.epoch();
            final int nodeId = region.primaryNodeId();
            final String endpoint = region.primaryEndpoint();
            if (!endpoint.isEmpty())
            {
                // links are (re)connected on next use, never from inside a poll
                routing.put(vRegion, new Routing.Route(nodeId, epoch, Endpoint.parse(endpoint)));
            }
        }
        routingUpdates++;
    }

    /**
     * Routing updates the coordinator pushed.
     *
     * @return count.
     */
    public long routingUpdates()
    {
        return routingUpdates;
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

    private ServerLink link(final int nodeId, final Endpoint endpoint)
    {
        final ServerLink[] links = this.links;
        if (nodeId < links.length && links[nodeId] != null && endpoint.equals(endpoints[nodeId]))
        {
            return links[nodeId];
        }
        synchronized (this)
        {
            ServerLink[] current = this.links;
            if (nodeId < current.length && current[nodeId] != null && endpoint.equals(endpoints[nodeId]))
            {
                return current[nodeId];
            }
            final ServerLink link = connect(endpoint, "memory node " + nodeId);
            final int size = Math.max(current.length, nodeId + 1);
            current = Arrays.copyOf(current, size);
            final Endpoint[] currentEndpoints = Arrays.copyOf(endpoints, size);
            current[nodeId] = link;
            currentEndpoints[nodeId] = endpoint;
            this.endpoints = currentEndpoints;
            this.links = current;
            return link;
        }
    }

    private ServerLink connect(final Endpoint endpoint, final String what)
    {
        final ServerLink link = client.link(endpoint);
        final boolean ready = await(() ->
        {
            link.doWork(System.nanoTime());
            return link.isReady() || link.isFailed();
        }, requestTimeoutNs, "connect");
        if (!ready || link.isFailed())
        {
            link.close();
            throw new TimeoutException("cannot reach " + what + " at " + endpoint + " within " +
                TimeUnit.NANOSECONDS.toMillis(requestTimeoutNs) + "ms: is it running and reachable from this host?");
        }
        return link;
    }

    private static int indexOf(final int[] values, final int value)
    {
        for (int i = 0; i < values.length; i++)
        {
            if (values[i] == value)
            {
                return i;
            }
        }
        return -1;
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

    private static String localAddressTowards(final Endpoint endpoint)
    {
        try (DatagramSocket socket = new DatagramSocket())
        {
            socket.connect(InetAddress.getByName(endpoint.host()), endpoint.port());
            final InetAddress local = socket.getLocalAddress();
            if (local != null && !local.isAnyLocalAddress())
            {
                return local.getHostAddress();
            }
            return InetAddress.getLocalHost().getHostAddress();
        }
        catch (final Exception ex)
        {
            return "127.0.0.1";
        }
    }

    private final class ReadRequest extends PendingRequest
    {
        final long[] dstAddresses;
        final int first;
        final int lines;
        final int lineSize;

        ReadRequest(final long correlationId, final long dstAddress, final int length, final Completion completion)
        {
            this(correlationId, new long[]{dstAddress}, 0, 1, length, completion);
        }

        ReadRequest(
            final long correlationId,
            final long[] dstAddresses,
            final int first,
            final int lines,
            final int lineSize,
            final Completion completion)
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

    private static final class AckRequest extends PendingRequest
    {
        AckRequest(final long correlationId, final String description, final Completion completion)
        {
            super(correlationId, description, completion);
        }

        void handle(final int templateId, final DirectBuffer buffer, final int offset, final MessageHeaderDecoder hdr)
        {
        }
    }

    private static final class AllocateRequest extends PendingRequest
    {
        final List<long[]> regions = new ArrayList<>();
        final List<Endpoint> endpoints = new ArrayList<>();
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
                endpoints.add(Endpoint.parse(region.primaryEndpoint()));
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

    private static final class BatchCompletion
    {
        private final Completion completion;
        private int remaining;
        private Throwable first;

        BatchCompletion(final int parts, final Completion completion)
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
