package io.splitheap.agent.backend;

import io.splitheap.protocol.codecs.ErrorCode;
import io.splitheap.protocol.exceptions.RemoteException;
import io.splitheap.protocol.exceptions.SplitheapException;
import io.splitheap.protocol.exceptions.TimeoutException;

/**
 * A write-back or a free that a node cannot take now: its link is not connected (the node died or restarts), it
 * stayed back-pressured past a short wait, or the vRegion's route moved to another node or epoch while the answer was
 * awaited. Nothing was lost (the caller still holds what it sent): it is sent again later, at once when a new route
 * arrives. Raised without waiting for the request timeout, so a dead node does not hold the thread that sends.
 */
public final class NodeUnavailableException extends SplitheapException
{
    private static final long serialVersionUID = 1L;

    /**
     * An unavailable node.
     *
     * @param message which request, which node, and why.
     */
    public NodeUnavailableException(final String message)
    {
        super(message, Category.WARN, null);
    }

    /**
     * Whether a failed write-back or free may succeed if sent again, to the same node later or to the node a new
     * route names: the node was unavailable, did not answer in time, or refused the request's epoch (the process has
     * not received the failover's route yet).
     *
     * @param failure why it failed.
     * @return true if sending again can help.
     */
    public static boolean isTransient(final Throwable failure)
    {
        if (failure instanceof NodeUnavailableException || failure instanceof TimeoutException)
        {
            return true;
        }
        return failure instanceof RemoteException && ((RemoteException)failure).code() == ErrorCode.STALE_EPOCH;
    }
}
