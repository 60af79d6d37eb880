package io.splitheap.coordinator.internal;

import io.splitheap.protocol.codecs.ErrorCode;
import io.splitheap.protocol.transport.Replier;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.Map;

/**
 * Tracks the steps that {@link PendingOperation}s wait for, by the correlation id of each step sent to a node,
 * and completes (or fails, or times out) the operations.
 */
public final class PendingOperations
{
    private final Long2ObjectHashMap<PendingOperation> bySteps = new Long2ObjectHashMap<>();
    private final Long2LongHashMap stepNodes = new Long2LongHashMap(0);
    private final ArrayList<PendingOperation> started = new ArrayList<>();
    private final Replier replier;
    private final long timeoutNs;

    /**
     * Operations answered with a replier.
     *
     * @param replier   sends error replies.
     * @param timeoutNs how long a step may take.
     */
    public PendingOperations(final Replier replier, final long timeoutNs)
    {
        this.replier = replier;
        this.timeoutNs = timeoutNs;
    }

    /**
     * Starts tracking an operation; call {@link #seal(PendingOperation)} once all its steps are sent.
     *
     * @param operation the operation.
     */
    public void begin(final PendingOperation operation)
    {
        started.add(operation);
    }

    /**
     * Records a step sent to a node.
     *
     * @param operation     the operation.
     * @param stepId        the step's correlation id.
     * @param nodeId        the node it went to.
     */
    public void step(final PendingOperation operation, final long stepId, final int nodeId)
    {
        operation.expectOneMore();
        bySteps.put(stepId, operation);
        stepNodes.put(stepId, nodeId);
    }

    /**
     * Records a step that could not even be sent.
     *
     * @param operation the operation.
     * @param nodeId    the node.
     * @param message   why.
     */
    public void stepNotSent(final PendingOperation operation, final int nodeId, final String message)
    {
        operation.failed(nodeId, ErrorCode.NOT_CONNECTED, 0, message);
    }

    /**
     * All steps are sent: completes at once if none is outstanding.
     *
     * @param operation the operation.
     */
    public void seal(final PendingOperation operation)
    {
        if (operation.awaiting() == 0)
        {
            finish(operation);
        }
    }

    /**
     * A node acknowledged a step.
     *
     * @param stepId the step's correlation id.
     * @return true if it was a known step.
     */
    public boolean onAck(final long stepId)
    {
        final PendingOperation operation = bySteps.remove(stepId);
        stepNodes.remove(stepId);
        if (operation == null)
        {
            return false;
        }
        operation.acknowledged();
        if (operation.awaiting() == 0)
        {
            finish(operation);
        }
        return true;
    }

    /**
     * A node refused a step.
     *
     * @param stepId  the step's correlation id.
     * @param code    its error code.
     * @param address address concerned.
     * @param message its message.
     * @return true if it was a known step.
     */
    public boolean onError(final long stepId, final ErrorCode code, final long address, final String message)
    {
        final PendingOperation operation = bySteps.get(stepId);
        if (operation != null)
        {
            operation.failed((int)stepNodes.get(stepId), code, address, message);
        }
        return onAck(stepId);
    }

    /**
     * Fails operations whose steps took too long.
     *
     * @param nowNs current nano time.
     * @return operations failed.
     */
    public int checkTimeouts(final long nowNs)
    {
        int work = 0;
        final Iterator<Map.Entry<Long, PendingOperation>> it = bySteps.entrySet().iterator();
        final ArrayList<PendingOperation> expired = new ArrayList<>();
        while (it.hasNext())
        {
            final Map.Entry<Long, PendingOperation> entry = it.next();
            final PendingOperation operation = entry.getValue();
            if (nowNs - operation.startedNs() > timeoutNs)
            {
                final int nodeId = (int)stepNodes.remove(entry.getKey().longValue());
                operation.failed(nodeId, ErrorCode.INTERNAL, 0,
                    "no answer within " + timeoutNs / 1_000_000 + "ms");
                operation.acknowledged();
                it.remove();
                if (operation.awaiting() == 0)
                {
                    expired.add(operation);
                }
            }
        }
        for (final PendingOperation operation : expired)
        {
            finish(operation);
            work++;
        }
        return work;
    }

    /**
     * Operations not yet answered.
     *
     * @return count.
     */
    public int size()
    {
        return started.size();
    }

    private void finish(final PendingOperation operation)
    {
        started.remove(operation);
        if (operation.hasFailed())
        {
            if (operation.session() != null)
            {
                replier.error(operation.session(), operation.correlationId(), operation.failureCode(),
                    operation.failureAddress(), operation.failureMessage());
            }
            operation.fail();
        }
        else
        {
            operation.succeed();
        }
    }
}
