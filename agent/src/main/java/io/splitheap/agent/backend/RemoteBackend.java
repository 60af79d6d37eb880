package io.splitheap.agent.backend;

import io.splitheap.agent.AgentConfiguration;
import io.splitheap.protocol.CommonConfiguration;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.transport.AeronResources;
import io.splitheap.protocol.transport.Channels;
import io.splitheap.protocol.transport.ClientEndpoint;
import io.splitheap.protocol.transport.TransportSecurity;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Far memory on the cluster, over Aeron: the transport this JVM uses (its own media driver, or the host's shared one
 * with {@code aeron.dir=}, which makes co-located memory nodes reachable over shared memory) and three parts with one
 * job each: the requests in flight and their replies ({@link Requests}), the membership with the coordinator
 * ({@link CoordinatorSession}, which owns the {@link Routing}), and the data path to the memory nodes
 * ({@link LineClient}).
 */
public final class RemoteBackend implements PageBackend
{
    private static final long LEAVE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(2);
    private static final long SWEEP_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final AeronResources aeronResources;
    private final ClientEndpoint client;
    private final Requests requests;
    private final CoordinatorSession session;
    private final LineClient lines;
    private final int termLength;
    private long lastSweepNs;

    private RemoteBackend(final AgentConfiguration configuration, final ErrorHandler errorHandler)
    {
        final Map<String, String> values = configuration.values();
        final Endpoint coordinatorEndpoint = configuration.coordinator();
        this.termLength = CommonConfiguration.termLength(values);
        this.requests = new Requests(CommonConfiguration.requestTimeoutNs(values));
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
                termLength, requests::onReply, requests.timeoutNs(), !aeronResources.ownsDriver(),
                TransportSecurity.of(configuration.secret()), errorHandler);
            requests.attach(client);
            this.session = CoordinatorSession.register(requests, coordinatorEndpoint, errorHandler);
            this.lines = new LineClient(requests, session.routing(), session.pid(), session.secret(),
                CommonConfiguration.maxLineBytes(values), termLength);
            session.routesMovedListener(lines::abandonMoved);
            session.nodeRestartedListener(lines::nodeRestarted);
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
        return session.pid();
    }

    /**
     * The Aeron client the backend uses (its counters go to that media driver's CnC file).
     *
     * @return the client.
     */
    public io.aeron.Aeron aeron()
    {
        return aeronResources.aeron();
    }

    /**
     * log2 of the vRegion size.
     *
     * @return shift.
     */
    public int vRegionShift()
    {
        return session.routing().vRegionShift();
    }

    /**
     * The routes of this process's vRegions (for tests that stage a route change).
     *
     * @return routing.
     */
    Routing routing()
    {
        return session.routing();
    }

    /**
     * {@inheritDoc} The nodes holding the range are connected before it is handed out.
     */
    public long allocate(final long length)
    {
        final CoordinatorSession.Allocation allocation = session.allocate(length);
        for (final Routing.Route route : allocation.routes())
        {
            lines.link(route.nodeId(), route.endpoint());
        }
        return allocation.address();
    }

    /**
     * {@inheritDoc}
     */
    public void unmap(final long address, final long length)
    {
        session.unmap(address, length);
    }

    /**
     * {@inheritDoc}
     */
    public void readLine(final long address, final long dstAddress, final int length)
    {
        lines.readLine(address, dstAddress, length);
    }

    /**
     * {@inheritDoc}
     */
    public boolean readLineAsync(
        final long address, final long dstAddress, final int length, final Completion completion)
    {
        return lines.readLineAsync(address, dstAddress, length, completion);
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
        return lines.readLinesAsync(address, dstAddresses, count, lineSize, completion);
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
        lines.writeLinesAsync(addresses, sourceAddresses, count, length, completion);
    }

    /**
     * {@inheritDoc}
     */
    public void freePagesAsync(final long address, final long length, final Completion completion)
    {
        lines.freePagesAsync(address, length, completion);
    }

    /**
     * {@inheritDoc}
     */
    public long routesMoved()
    {
        return session.routing().moves();
    }

    /**
     * {@inheritDoc}
     */
    public boolean await(final BooleanSupplier condition, final long timeoutNs, final String what)
    {
        return requests.await(condition, timeoutNs, what);
    }

    /**
     * {@inheritDoc}
     */
    public int poll()
    {
        return requests.poll();
    }

    /**
     * Heartbeats to the coordinator, times out asynchronous requests and advances links that handshake again.
     *
     * @param nowNs current nano time.
     * @return work done.
     */
    public int doWork(final long nowNs)
    {
        int work = session.heartbeat(nowNs);
        if (nowNs - lastSweepNs >= SWEEP_INTERVAL_NS)
        {
            lastSweepNs = nowNs;
            work += requests.sweepTimeouts(nowNs) + requests.linkWork(nowNs);
        }
        return work;
    }

    /**
     * {@inheritDoc}
     */
    public String describe(final long address)
    {
        return lines.describe(address);
    }

    /**
     * {@inheritDoc}
     */
    public List<NodeUsage> nodeUsage()
    {
        return lines.nodeUsage();
    }

    /**
     * Leaves the cluster (the coordinator releases this process's memory on every node) and stops the transport.
     */
    public void close()
    {
        try
        {
            session.unregister(LEAVE_TIMEOUT_NS);
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
        return requests.droppedReplies();
    }

    /**
     * Routing updates the coordinator pushed.
     *
     * @return count.
     */
    public long routingUpdates()
    {
        return session.routingUpdates();
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
}
