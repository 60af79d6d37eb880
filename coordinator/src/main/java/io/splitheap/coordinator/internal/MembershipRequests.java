package io.splitheap.coordinator.internal;

import io.splitheap.coordinator.events.FailoverEvent;
import io.splitheap.protocol.Capabilities;
import io.splitheap.protocol.Endpoint;
import io.splitheap.protocol.codecs.BooleanType;
import io.splitheap.protocol.codecs.ErrorCode;
import io.splitheap.protocol.codecs.HeartbeatAckEncoder;
import io.splitheap.protocol.codecs.HeartbeatDecoder;
import io.splitheap.protocol.codecs.MessageHeaderDecoder;
import io.splitheap.protocol.codecs.MessageHeaderEncoder;
import io.splitheap.protocol.codecs.NodeKind;
import io.splitheap.protocol.codecs.RegionRole;
import io.splitheap.protocol.codecs.RegisterNodeDecoder;
import io.splitheap.protocol.codecs.RegisterNodeReplyEncoder;
import io.splitheap.protocol.codecs.RegisterProcessDecoder;
import io.splitheap.protocol.codecs.RegisterProcessReplyEncoder;
import io.splitheap.protocol.codecs.SecondaryState;
import io.splitheap.protocol.codecs.UnregisterProcessDecoder;
import io.splitheap.protocol.runtime.RateLimitedLog;
import io.splitheap.protocol.transport.ClientEndpoint;
import io.splitheap.protocol.transport.Replier;
import io.splitheap.protocol.transport.Session;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.UnsafeBuffer;


/**
 * Membership: registration of nodes and processes, heartbeats, failure detection, process release and cluster
 * status.
 */
public final class MembershipRequests
{
    /**
     * How long a node restored from persisted state is not judged: its heartbeats resume once it notices the restarted
     * coordinator ({@code CoordinatorWatch}, 3 s of unanswered heartbeats at the default interval) and handshakes again.
     */
    public static final long RESTART_GRACE_NS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

    private final ClusterRegistry registry;
    private final RoutingPublisher routing;
    private final Failover failover;
    private final Capabilities capabilities;
    private final long incarnation;
    private final ClientEndpoint client;
    private final NodeCommands commands;
    private final PendingOperations pending;
    private final Replier replier;
    private final ErrorHandler errorHandler;
    private final long heartbeatIntervalNs;
    private final NodeFailureDetector failureDetector;
    private final RateLimitedLog lateLog;
    private final long processTimeoutNs;
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final RegisterNodeDecoder registerNodeDecoder = new RegisterNodeDecoder();
    private final RegisterProcessDecoder registerProcessDecoder = new RegisterProcessDecoder();
    private final HeartbeatDecoder heartbeatDecoder = new HeartbeatDecoder();
    private final UnregisterProcessDecoder unregisterDecoder = new UnregisterProcessDecoder();
    private final RegisterNodeReplyEncoder registerNodeReplyEncoder = new RegisterNodeReplyEncoder();
    private final RegisterProcessReplyEncoder registerProcessReplyEncoder = new RegisterProcessReplyEncoder();
    private final HeartbeatAckEncoder heartbeatAckEncoder = new HeartbeatAckEncoder();
    private final UnsafeBuffer reply = new UnsafeBuffer(new byte[64 * 1024]);

    /**
     * Membership handlers.
     *
     * @param registry            the cluster model.
     * @param routing             routing pushes to processes.
     * @param incarnation         this coordinator's incarnation, told to nodes.
     * @param capabilities        capabilities of this incarnation.
     * @param client              the coordinator's client endpoint (links to memory nodes).
     * @param commands            control requests to nodes.
     * @param pending             operations awaiting nodes.
     * @param replier             generic replies.
     * @param errorHandler        receives warnings.
     * @param heartbeatIntervalNs interval told to nodes and processes.
     * @param failureDetector     decides when a silent node is dead.
     * @param processTimeoutNs    silence after which a process is released.
     */
    public MembershipRequests(
        final ClusterRegistry registry,
        final RoutingPublisher routing,
        final long incarnation,
        final Capabilities capabilities,
        final ClientEndpoint client,
        final NodeCommands commands,
        final PendingOperations pending,
        final Replier replier,
        final ErrorHandler errorHandler,
        final long heartbeatIntervalNs,
        final NodeFailureDetector failureDetector,
        final long processTimeoutNs)
    {
        this.registry = registry;
        this.routing = routing;
        this.incarnation = incarnation;
        this.capabilities = capabilities;
        this.client = client;
        this.commands = commands;
        this.pending = pending;
        this.replier = replier;
        this.errorHandler = errorHandler;
        this.heartbeatIntervalNs = heartbeatIntervalNs;
        this.failureDetector = failureDetector;
        this.lateLog = new RateLimitedLog(errorHandler);
        this.processTimeoutNs = processTimeoutNs;
        this.failover = new Failover(registry, commands, pending, routing, errorHandler);
    }

    /**
     * A node registers.
     *
     * @param session the node's session.
     * @param buffer  the message.
     * @param nowNs   time.
     */
    public void onRegisterNode(final Session session, final DirectBuffer buffer, final long nowNs)
    {
        registerNodeDecoder.wrapAndApplyHeader(buffer, 0, headerDecoder);
        final long correlationId = registerNodeDecoder.correlationId();
        final NodeKind kind = registerNodeDecoder.kind();
        final int requestedId = registerNodeDecoder.requestedNodeId();
        final long capacity = registerNodeDecoder.capacityBytes();
        final long usedPages = registerNodeDecoder.usedPages();
        final long nodeIncarnation = registerNodeDecoder.incarnation();
        final Endpoint endpoint;
        try
        {
            endpoint = Endpoint.parse(registerNodeDecoder.endpoint());
        }
        catch (final IllegalArgumentException ex)
        {
            replier.error(session, correlationId, ErrorCode.INVALID_ARGUMENT, 0, ex.getMessage());
            return;
        }
        if (kind != NodeKind.MEMORY && kind != NodeKind.STORAGE)
        {
            replier.error(session, correlationId, ErrorCode.INVALID_ARGUMENT, 0, "only memory and storage nodes " +
                "register as nodes, kind=" + kind);
            return;
        }
        final MemberNode previous = requestedId > 0 ? registry.node(requestedId) : null;
        final Endpoint previousEndpoint = previous == null ? null : previous.endpoint();
        if (previous != null && previous.isAlive() && !previousEndpoint.equals(endpoint))
        {
            // a live node keeps its id: a restarted node gets it back once the old one is marked dead
            replier.error(session, correlationId, ErrorCode.INVALID_ARGUMENT, 0, "node id " + requestedId +
                " is held by a live node at " + previousEndpoint + "; it can be taken once that node is marked dead");
            errorHandler.onError(new io.splitheap.protocol.exceptions.SplitheapException(
                "refused RegisterNode for id " + requestedId + " from " + endpoint + ": held by the live node at " +
                previousEndpoint, io.splitheap.protocol.exceptions.SplitheapException.Category.WARN, null));
            return;
        }
        final boolean returning = previous != null && !previous.isAlive();
        // a new process at the node's old endpoint: processes' links there still look connected, but its sessions are
        // gone; a push with the new incarnation makes them handshake again at once rather than after a request timeout
        final boolean restartedInPlace = previous != null && previousEndpoint.equals(endpoint) &&
            previous.incarnation() != 0 && previous.incarnation() != nodeIncarnation;
        final MemberNode node = registry.registerNode(kind, requestedId, endpoint, capacity, nowNs);
        node.incarnation(nodeIncarnation);
        if (returning)
        {
            errorHandler.onError(new io.splitheap.protocol.exceptions.SplitheapException("node=" + node.id() +
                " registered again at " + endpoint + " after it was declared dead: it serves the " +
                primaryRegions(node.id()) + " vRegion(s) it is still the primary of", io.splitheap.protocol
                .exceptions.SplitheapException.Category.INFO, null));
        }
        if (previousEndpoint != null && node == previous && !previousEndpoint.equals(endpoint))
        {
            routing.nodeMoved(node.id());
        }
        else if (restartedInPlace && node == previous)
        {
            final int told = routing.nodeMoved(node.id());
            errorHandler.onError(new io.splitheap.protocol.exceptions.SplitheapException("node=" + node.id() +
                " restarted at " + endpoint + " (a new process): " + told + " process(es) told to handshake with it " +
                "again", io.splitheap.protocol.exceptions.SplitheapException.Category.INFO, null));
        }
        node.heartbeat(usedPages, Math.max(usedPages, node.peakPages()), nowNs);
        failureDetector.registered(node.id(), nowNs);
        if (kind == NodeKind.MEMORY)
        {
            if (node.link() != null)
            {
                node.link().close();
            }
            node.link(client.link(endpoint));
        }
        registerNodeReplyEncoder.wrapAndApplyHeader(reply, 0, headerEncoder)
            .correlationId(correlationId)
            .nodeId(node.id())
            .heartbeatIntervalNs(heartbeatIntervalNs)
            .vRegionShift(registry.vRegionShift())
            .incarnation(incarnation);
        registry.makeDurable();
        session.send(reply, 0, MessageHeaderEncoder.ENCODED_LENGTH + registerNodeReplyEncoder.encodedLength());
    }

    /**
     * A process registers and gets its pid and secret.
     *
     * @param session the process's session.
     * @param buffer  the message.
     * @param nowNs   time.
     */
    public void onRegisterProcess(final Session session, final DirectBuffer buffer, final long nowNs)
    {
        registerProcessDecoder.wrapAndApplyHeader(buffer, 0, headerDecoder);
        final long correlationId = registerProcessDecoder.correlationId();
        final long hostPid = registerProcessDecoder.hostPid();
        final ProcessRecord process = registry.registerProcess(
            hostPid, registerProcessDecoder.hostName(), capabilities::processSecret, nowNs);
        process.session(session);
        registerProcessReplyEncoder.wrapAndApplyHeader(reply, 0, headerEncoder)
            .correlationId(correlationId)
            .pid(process.pid())
            .secret(process.secret())
            .vRegionShift(registry.vRegionShift())
            .heartbeatIntervalNs(heartbeatIntervalNs)
            .processTimeoutNs(processTimeoutNs);
        registry.makeDurable();
        session.send(reply, 0, MessageHeaderEncoder.ENCODED_LENGTH + registerProcessReplyEncoder.encodedLength());
    }

    /**
     * A heartbeat from a node or process, answered with a {@code HeartbeatAck} that says whether the sender is known.
     * A process heard from on a new session (it handshook again) gets its routing pushes there from now on.
     *
     * @param session where it came from.
     * @param buffer  the message.
     * @param nowNs   time.
     */
    public void onHeartbeat(final Session session, final DirectBuffer buffer, final long nowNs)
    {
        heartbeatDecoder.wrapAndApplyHeader(buffer, 0, headerDecoder);
        final int senderId = heartbeatDecoder.senderId();
        final NodeKind kind = heartbeatDecoder.kind();
        final boolean known;
        if (kind == NodeKind.PROCESS)
        {
            final ProcessRecord process = registry.process(senderId);
            known = process != null && process.secret() == heartbeatDecoder.secret();
            if (known)
            {
                process.heartbeat(nowNs);
                reconnected(process, session);
            }
        }
        else
        {
            final MemberNode node = registry.node(senderId);
            known = node != null && node.kind() == kind;
            if (known)
            {
                nodeHeartbeat(node, nowNs);
            }
        }
        heartbeatAckEncoder.wrapAndApplyHeader(reply, 0, headerEncoder)
            .senderId(senderId)
            .known(known ? BooleanType.TRUE : BooleanType.FALSE)
            .incarnation(incarnation);
        session.send(reply, 0, MessageHeaderEncoder.ENCODED_LENGTH + heartbeatAckEncoder.encodedLength());
    }

    /**
     * After a restart from persisted state: restored nodes are not judged for {@link #RESTART_GRACE_NS} (the failure
     * detector starts afresh at their first heartbeat), and the coordinator opens its links to the memory nodes and
     * tells each its roles again once its link is up: an assignment sent just before the crash (a promotion after a
     * failover) may never have arrived, and the state says the node has it.
     *
     * @param nowNs current nano time.
     */
    public void restored(final long nowNs)
    {
        for (final MemberNode node : registry.nodes())
        {
            failureDetector.restored(node.id(), nowNs, RESTART_GRACE_NS);
            if (node.kind() == NodeKind.MEMORY)
            {
                node.link(client.link(node.endpoint()));
                node.mustReassert(true);
            }
        }
    }

    private void reconnected(final ProcessRecord process, final Session session)
    {
        if (process.session() == session)
        {
            return;
        }
        // the process handshook again (this coordinator restarted, or its link went through a new session): routing
        // pushes go to the new session, and the process gets every route again in case it missed a push
        final boolean restarted = process.session() == null;
        process.session(session);
        routing.regionsChanged(process, process.regions());
        errorHandler.onError(new io.splitheap.protocol.exceptions.SplitheapException("process pid=" + process.pid() +
            " (host pid " + process.hostPid() + " on " + process.hostName() + ") " +
            (restarted ? "is back in touch after the coordinator restarted" : "connected again") + ": its " +
            process.regions().size() + " vRegion route(s) pushed", io.splitheap.protocol.exceptions
            .SplitheapException.Category.INFO, null));
    }

    private void nodeHeartbeat(final MemberNode node, final long nowNs)
    {
        final int senderId = node.id();
        if (node.isAlive() && failureDetector.isLate(senderId, nowNs))
        {
            // routine on a loaded host: the detector widens its margin from such gaps; worth a line, not a WARN
            lateLog.info(nowNs, () -> "node=" + senderId + " at " + node.endpoint() + " heartbeat late after " +
                (nowNs - node.lastHeartbeatNs()) / 1_000_000 + "ms (" + failureDetector.describe(senderId, nowNs) +
                "): still alive");
        }
        failureDetector.heartbeat(senderId, nowNs);
        if (!node.isAlive())
        {
            errorHandler.onError(new io.splitheap.protocol.exceptions.SplitheapException(
                "node=" + senderId + " at " + node.endpoint() + " is heartbeating again: marked alive",
                io.splitheap.protocol.exceptions.SplitheapException.Category.INFO, null));
            node.alive(true);
        }
        node.heartbeat(heartbeatDecoder.usedPages(), heartbeatDecoder.peakPages(), nowNs);
        node.securityCounters(heartbeatDecoder.authFailures(), heartbeatDecoder.malformedMessages());
        node.requestsServed(heartbeatDecoder.requests(), nowNs);
    }

    /**
     * A process leaves: its memory is released on every node before the acknowledgement.
     *
     * @param session the process's session.
     * @param buffer  the message.
     * @param nowNs   time.
     */
    public void onUnregisterProcess(final Session session, final DirectBuffer buffer, final long nowNs)
    {
        unregisterDecoder.wrapAndApplyHeader(buffer, 0, headerDecoder);
        final long correlationId = unregisterDecoder.correlationId();
        final int pid = unregisterDecoder.pid();
        final ProcessRecord process = registry.process(pid);
        if (process == null || process.secret() != unregisterDecoder.secret())
        {
            replier.error(session, correlationId, ErrorCode.UNKNOWN_PROCESS, 0,
                "no process pid=" + pid + " with that secret");
            return;
        }
        release(process, session, correlationId, nowNs);
    }

    /**
     * Marks silent nodes dead and releases silent processes.
     *
     * @param nowNs time.
     * @return work done.
     */
    public int checkLiveness(final long nowNs)
    {
        int work = 0;
        for (final MemberNode node : registry.nodes())
        {
            if (node.isAlive() && failureDetector.isDead(node.id(), nowNs))
            {
                node.alive(false);
                errorHandler.onError(new io.splitheap.protocol.exceptions.SplitheapException(
                    "node=" + node.id() + " at " + node.endpoint() + " missed heartbeats for " +
                    (nowNs - node.lastHeartbeatNs()) / 1_000_000 + "ms (" + failureDetector.describe(node.id(), nowNs) +
                    "): marked dead, no new vRegions go there",
                    io.splitheap.protocol.exceptions.SplitheapException.Category.WARN, null));
                recordFailover(node, nowNs);
                if (node.kind() == NodeKind.MEMORY)
                {
                    failover.nodeDied(node, nowNs);
                }
                work++;
            }
        }
        work += failover.retryPromotions(nowNs);
        for (final MemberNode node : registry.nodes())
        {
            if (node.isAlive() && node.pendingRevocations() > 0 && node.link() != null && node.link().isReady())
            {
                fence(node, nowNs);
                work++;
            }
            if (node.isAlive() && node.mustReassert() && node.link() != null && node.link().isReady())
            {
                reassert(node, nowNs);
                work++;
            }
        }
        for (final ProcessRecord process : registry.processes())
        {
            if (nowNs - process.lastHeartbeatNs() > processTimeoutNs)
            {
                errorHandler.onError(new io.splitheap.protocol.exceptions.SplitheapException(
                    "process pid=" + process.pid() + " (host pid " + process.hostPid() + " on " + process.hostName() +
                    ") missed heartbeats: releasing its memory",
                    io.splitheap.protocol.exceptions.SplitheapException.Category.WARN, null));
                release(process, null, 0, nowNs);
                work++;
            }
        }
        return work;
    }

    private int primaryRegions(final int nodeId)
    {
        int count = 0;
        for (final ProcessRecord process : registry.processes())
        {
            for (final RegionRecord region : process.regions())
            {
                count += region.primaryNodeId() == nodeId ? 1 : 0;
            }
        }
        return count;
    }

    /**
     * A node declared dead is back (it re-registered, or its heartbeats resumed after a partition): it still holds
     * the vRegions taken from it meanwhile, at their old epochs, and would serve a process that missed the routing
     * push. It is told to forget them, and those of processes that left meanwhile, before it takes new vRegions.
     */
    private void reassert(final MemberNode node, final long nowNs)
    {
        node.mustReassert(false);
        final int[] told = new int[1];
        final PendingOperation operation = new PendingOperation(nowNs, done -> errorHandler.onError(
            new io.splitheap.protocol.exceptions.SplitheapException("node=" + node.id() + " at " + node.endpoint() +
            " was told its roles in " + told[0] + " vRegion(s) again after the coordinator restarted",
            io.splitheap.protocol.exceptions.SplitheapException.Category.INFO, null)),
            failed -> node.mustReassert(true));
        pending.begin(operation);
        for (final ProcessRecord process : registry.processes())
        {
            for (final RegionRecord region : process.regions())
            {
                // a copy under way at the restart is abandoned by Replication, which tells the primary itself
                final SecondaryState state = region.secondaryState();
                if (state == SecondaryState.PREPARING || state == SecondaryState.SYNCING)
                {
                    continue;
                }
                if (region.primaryNodeId() == node.id())
                {
                    commands.assignRegion(operation, node, process.pid(), region, RegionRole.PRIMARY);
                    told[0]++;
                }
                else if (region.secondaryNodeId() == node.id())
                {
                    commands.assignRegion(operation, node, process.pid(), region, RegionRole.SECONDARY);
                    told[0]++;
                }
            }
        }
        pending.seal(operation);
    }

    private void fence(final MemberNode node, final long nowNs)
    {
        final java.util.List<MemberNode.Revocation> revocations = node.takeRevocations();
        errorHandler.onError(new io.splitheap.protocol.exceptions.SplitheapException("node=" + node.id() + " at " +
            node.endpoint() + " is back after it was declared dead: told to drop " + revocations.size() +
            " vRegion(s) or process(es) it no longer holds", io.splitheap.protocol.exceptions.SplitheapException
            .Category.INFO, null));
        final PendingOperation operation = new PendingOperation(nowNs, done -> node.revoked(), failed ->
        {
            // it did not answer: it is told again once it answers heartbeats (or is declared dead again)
            revocations.forEach(node::revoke);
            node.revoked();
        });
        pending.begin(operation);
        for (final MemberNode.Revocation revocation : revocations)
        {
            if (revocation.vRegion() == MemberNode.Revocation.WHOLE_PROCESS)
            {
                commands.releaseProcess(operation, node, revocation.pid());
            }
            else
            {
                commands.dropRegion(operation, node, revocation.pid(), revocation.vRegion(), revocation.epoch());
            }
        }
        pending.seal(operation);
    }

    private void recordFailover(final MemberNode node, final long nowNs)
    {
        if (!FailoverEvent.wanted())
        {
            return;
        }
        int primaries = 0;
        int secondaries = 0;
        int processes = 0;
        for (final ProcessRecord process : registry.processes())
        {
            boolean affected = false;
            for (final RegionRecord region : process.regions())
            {
                final boolean primary = region.primaryNodeId() == node.id();
                final boolean secondary = region.secondaryNodeId() == node.id();
                primaries += primary ? 1 : 0;
                secondaries += secondary ? 1 : 0;
                affected |= primary || secondary;
            }
            processes += affected ? 1 : 0;
        }
        FailoverEvent.record(node.id(), node.kind().name(), String.valueOf(node.endpoint()),
            nowNs - node.lastHeartbeatNs(), failureDetector.phi(node.id(), nowNs), primaries, secondaries, processes);
    }

    private void acknowledge(final PendingOperation operation)
    {
        if (operation.session() != null)
        {
            replier.ack(operation.session(), operation.correlationId());
        }
    }

    private void release(final ProcessRecord process, final Session session, final long correlationId, final long now)
    {
        final PendingOperation operation = new PendingOperation(session, correlationId, now, this::acknowledge);
        pending.begin(operation);
        final java.util.TreeSet<Integer> holders = new java.util.TreeSet<>();
        for (final RegionRecord region : process.regions())
        {
            holders.add(region.primaryNodeId());
            if (region.secondaryNodeId() != 0)
            {
                holders.add(region.secondaryNodeId());
            }
        }
        registry.removeProcess(process.pid());
        for (final int nodeId : holders)
        {
            final MemberNode node = registry.node(nodeId);
            if (node != null && node.isAlive())
            {
                commands.releaseProcess(operation, node, process.pid());
            }
            else if (node != null)
            {
                node.revoke(new MemberNode.Revocation(process.pid(), MemberNode.Revocation.WHOLE_PROCESS,
                    Long.MAX_VALUE));
            }
        }
        pending.seal(operation);
    }
}
