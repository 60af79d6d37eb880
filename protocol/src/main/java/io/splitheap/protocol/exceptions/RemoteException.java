package io.splitheap.protocol.exceptions;

import io.splitheap.protocol.FarAddress;
import io.splitheap.protocol.codecs.ErrorCode;

/**
 * A peer answered a request with an {@code ErrorResponse}.
 */
public final class RemoteException extends SplitheapException
{
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final int nodeId;
    private final long address;

    /**
     * An error reply.
     *
     * @param code    the error code.
     * @param nodeId  the node that answered (0 for the coordinator).
     * @param address the far address concerned, 0 if none.
     * @param message the peer's message.
     */
    public RemoteException(final ErrorCode code, final int nodeId, final long address, final String message)
    {
        super(code + " from node=" + nodeId + (address != 0 ? " address=" + FarAddress.format(address) : "") +
            ": " + message);
        this.code = code;
        this.nodeId = nodeId;
        this.address = address;
    }

    /**
     * The error code.
     *
     * @return code.
     */
    public ErrorCode code()
    {
        return code;
    }

    /**
     * The node that answered.
     *
     * @return node id, 0 for the coordinator.
     */
    public int nodeId()
    {
        return nodeId;
    }

    /**
     * The far address concerned.
     *
     * @return address or 0.
     */
    public long address()
    {
        return address;
    }
}
