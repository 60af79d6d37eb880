package io.splitheap.coordinator.internal;

import io.splitheap.protocol.codecs.ErrorCode;
import io.splitheap.protocol.transport.Session;

import java.util.function.Consumer;

/**
 * A client request the coordinator answers only after memory nodes acknowledged the steps it sent them
 * (an allocation needs its vRegions assigned and vmas created first).
 */
public final class PendingOperation
{
    private final Session session;
    private final long correlationId;
    private final long startedNs;
    private final Consumer<PendingOperation> onSuccess;
    private final Consumer<PendingOperation> onFailure;
    private int awaiting;
    private ErrorCode failureCode;
    private String failureMessage;
    private long failureAddress;
    private int failedNodeId;

    /**
     * An operation.
     *
     * @param session       the client to answer (null when nobody waits, e.g. a timed-out process).
     * @param correlationId the client's request id.
     * @param startedNs     when it began.
     * @param onSuccess     sends the success reply.
     */
    public PendingOperation(
        final Session session,
        final long correlationId,
        final long startedNs,
        final Consumer<PendingOperation> onSuccess)
    {
        this(session, correlationId, startedNs, onSuccess, null);
    }

    /**
     * An operation of the coordinator's own (nobody waits for a reply) that does something when it fails.
     *
     * @param startedNs when it began.
     * @param onSuccess what follows success.
     * @param onFailure what follows the first failure (read it with {@link #failureMessage()}).
     */
    public PendingOperation(
        final long startedNs, final Consumer<PendingOperation> onSuccess, final Consumer<PendingOperation> onFailure)
    {
        this(null, 0, startedNs, onSuccess, onFailure);
    }

    /**
     * An operation that handles its own failure: for work nobody waits for (a failover), whose failure must be
     * reported and acted on rather than answered.
     *
     * @param session       the client to answer (null when nobody waits).
     * @param correlationId the client's request id.
     * @param startedNs     when it began.
     * @param onSuccess     runs when every step was acknowledged.
     * @param onFailure     runs when a step failed (refused, not sent, or no answer in time), null for none.
     */
    public PendingOperation(
        final Session session,
        final long correlationId,
        final long startedNs,
        final Consumer<PendingOperation> onSuccess,
        final Consumer<PendingOperation> onFailure)
    {
        this.session = session;
        this.correlationId = correlationId;
        this.startedNs = startedNs;
        this.onSuccess = onSuccess;
        this.onFailure = onFailure;
    }

    /**
     * The client.
     *
     * @return session or null.
     */
    public Session session()
    {
        return session;
    }

    /**
     * The client's request id.
     *
     * @return id.
     */
    public long correlationId()
    {
        return correlationId;
    }

    /**
     * When it began.
     *
     * @return nano time.
     */
    public long startedNs()
    {
        return startedNs;
    }

    /**
     * Steps still unacknowledged.
     *
     * @return count.
     */
    public int awaiting()
    {
        return awaiting;
    }

    void expectOneMore()
    {
        awaiting++;
    }

    void acknowledged()
    {
        awaiting--;
    }

    void failed(final int nodeId, final ErrorCode code, final long address, final String message)
    {
        if (failureCode == null)
        {
            failedNodeId = nodeId;
            failureCode = code;
            failureAddress = address;
            failureMessage = message;
        }
    }

    /**
     * Whether a step failed.
     *
     * @return true if failed.
     */
    public boolean hasFailed()
    {
        return failureCode != null;
    }

    /**
     * The first failure's code.
     *
     * @return code or null.
     */
    public ErrorCode failureCode()
    {
        return failureCode;
    }

    /**
     * The first failure's message, naming the node.
     *
     * @return message or null.
     */
    public String failureMessage()
    {
        return failureMessage == null ? null : "node=" + failedNodeId + ": " + failureMessage;
    }

    /**
     * The first failure's address.
     *
     * @return address or 0.
     */
    public long failureAddress()
    {
        return failureAddress;
    }

    void succeed()
    {
        onSuccess.accept(this);
    }

    /**
     * Runs the failure handler, if there is one.
     *
     * @return false if there is none.
     */
    boolean fail()
    {
        if (onFailure == null)
        {
            return false;
        }
        onFailure.accept(this);
        return true;
    }
}
