package io.splitheap.coordinator.internal;

import io.splitheap.protocol.codecs.AssignRegionEncoder;
import io.splitheap.protocol.codecs.BooleanType;
import io.splitheap.protocol.codecs.CreateVmaEncoder;
import io.splitheap.protocol.codecs.DropRegionEncoder;
import io.splitheap.protocol.codecs.DropVmaEncoder;
import io.splitheap.protocol.codecs.MessageHeaderEncoder;
import io.splitheap.protocol.codecs.RegionRole;
import io.splitheap.protocol.codecs.ReleaseProcessEncoder;
import io.splitheap.protocol.codecs.SyncRegionEncoder;
import io.splitheap.protocol.transport.ClientEndpoint;
import io.splitheap.protocol.transport.ServerLink;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Sends the coordinator's control requests to memory nodes, each as a step of a {@link PendingOperation}.
 */
public final class NodeCommands
{
    private final ClientEndpoint client;
    private final PendingOperations pending;
    private final long token;
    private final Runnable beforeSend;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final AssignRegionEncoder assignEncoder = new AssignRegionEncoder();
    private final CreateVmaEncoder createEncoder = new CreateVmaEncoder();
    private final DropVmaEncoder dropEncoder = new DropVmaEncoder();
    private final ReleaseProcessEncoder releaseEncoder = new ReleaseProcessEncoder();
    private final SyncRegionEncoder syncEncoder = new SyncRegionEncoder();
    private final DropRegionEncoder dropRegionEncoder = new DropRegionEncoder();

    /**
     * Commands sent through a client endpoint.
     *
     * @param client     the coordinator's client endpoint.
     * @param pending    where steps are tracked.
     * @param token      the coordinator token.
     * @param beforeSend runs before each command goes out: makes the state that the command reveals durable.
     */
    public NodeCommands(
        final ClientEndpoint client, final PendingOperations pending, final long token, final Runnable beforeSend)
    {
        this.client = client;
        this.pending = pending;
        this.token = token;
        this.beforeSend = beforeSend;
    }

    /**
     * Tells a node its role for a vRegion.
     *
     * @param operation the operation this is a step of.
     * @param node      the node.
     * @param pid       the process.
     * @param region    the vRegion.
     * @param role      primary or secondary.
     */
    public void assignRegion(
        final PendingOperation operation,
        final MemberNode node,
        final int pid,
        final RegionRecord region,
        final RegionRole role)
    {
        assignRegion(operation, node, pid, region.vRegion(), region.epoch(), role, region.primaryNodeId(),
            region.routedSecondaryNodeId(), false);
    }

    /**
     * Tells a node its role for a vRegion at an epoch of its own.
     *
     * @param operation   the operation this is a step of.
     * @param node        the node.
     * @param pid         the process.
     * @param vRegion     the vRegion.
     * @param epoch       its epoch on the node.
     * @param role        primary or secondary.
     * @param primaryId   the primary.
     * @param secondaryId the secondary, 0 for none.
     * @param syncing     whether the node is a new secondary that its primary's copy fills.
     */
    public void assignRegion(
        final PendingOperation operation,
        final MemberNode node,
        final int pid,
        final long vRegion,
        final long epoch,
        final RegionRole role,
        final int primaryId,
        final int secondaryId,
        final boolean syncing)
    {
        final long stepId = client.nextCorrelationId();
        assignEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(stepId)
            .token(token)
            .pid(pid)
            .vRegion(vRegion)
            .epoch(epoch)
            .role(role)
            .primaryNodeId(primaryId)
            .secondaryNodeId(secondaryId)
            .syncing(syncing ? BooleanType.TRUE : BooleanType.FALSE);
        send(operation, node, stepId, assignEncoder.encodedLength());
    }

    /**
     * Has a vRegion's primary copy it to a new secondary at a new epoch.
     *
     * @param operation      the operation this is a step of (done once the copy began).
     * @param primary        the primary.
     * @param pid            the process.
     * @param vRegion        the vRegion.
     * @param epoch          the new epoch.
     * @param secondary      the new secondary.
     * @param bytesPerSecond most bytes of pages sent per second.
     */
    public void syncRegion(
        final PendingOperation operation,
        final MemberNode primary,
        final int pid,
        final long vRegion,
        final long epoch,
        final MemberNode secondary,
        final long bytesPerSecond)
    {
        final long stepId = client.nextCorrelationId();
        syncEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(stepId)
            .token(token)
            .pid(pid)
            .vRegion(vRegion)
            .epoch(epoch)
            .secondaryNodeId(secondary.id())
            .bytesPerSecond(bytesPerSecond)
            .secondaryEndpoint(secondary.endpoint().toString());
        send(operation, primary, stepId, syncEncoder.encodedLength());
    }

    /**
     * Has a node forget a vRegion assigned to it at an epoch or before, with its vmas and pages.
     *
     * @param operation the operation this is a step of.
     * @param node      the node.
     * @param pid       the process.
     * @param vRegion   the vRegion.
     * @param epoch     the newest epoch to forget.
     */
    public void dropRegion(
        final PendingOperation operation, final MemberNode node, final int pid, final long vRegion, final long epoch)
    {
        final long stepId = client.nextCorrelationId();
        dropRegionEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(stepId).token(token).pid(pid).vRegion(vRegion).epoch(epoch);
        send(operation, node, stepId, dropRegionEncoder.encodedLength());
    }

    /**
     * Creates a vma on a node.
     *
     * @param operation the operation this is a step of.
     * @param node      the node.
     * @param pid       the process.
     * @param address   first address.
     * @param length    bytes.
     */
    public void createVma(
        final PendingOperation operation, final MemberNode node, final int pid, final long address, final long length)
    {
        final long stepId = client.nextCorrelationId();
        createEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(stepId).token(token).pid(pid).address(address).length(length);
        send(operation, node, stepId, createEncoder.encodedLength());
    }

    /**
     * Drops a vma and its pages on a node.
     *
     * @param operation the operation this is a step of.
     * @param node      the node.
     * @param pid       the process.
     * @param address   first address.
     * @param length    bytes.
     */
    public void dropVma(
        final PendingOperation operation, final MemberNode node, final int pid, final long address, final long length)
    {
        final long stepId = client.nextCorrelationId();
        dropEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder)
            .correlationId(stepId).token(token).pid(pid).address(address).length(length);
        send(operation, node, stepId, dropEncoder.encodedLength());
    }

    /**
     * Drops everything a process holds on a node.
     *
     * @param operation the operation this is a step of.
     * @param node      the node.
     * @param pid       the process.
     */
    public void releaseProcess(final PendingOperation operation, final MemberNode node, final int pid)
    {
        final long stepId = client.nextCorrelationId();
        releaseEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder).correlationId(stepId).token(token).pid(pid);
        send(operation, node, stepId, releaseEncoder.encodedLength());
    }

    private void send(final PendingOperation operation, final MemberNode node, final long stepId, final int length)
    {
        final ServerLink link = node.link();
        beforeSend.run();
        if (link != null && link.isReady() &&
            link.send(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + length))
        {
            pending.step(operation, stepId, node.id());
        }
        else
        {
            pending.stepNotSent(operation, node.id(), "memory node " + node.id() + " at " + node.endpoint() +
                " is not connected");
        }
    }
}
