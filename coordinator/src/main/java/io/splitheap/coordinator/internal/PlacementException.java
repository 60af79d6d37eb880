package io.splitheap.coordinator.internal;

import io.splitheap.protocol.codecs.ErrorCode;
import io.splitheap.protocol.exceptions.SplitheapException;

/**
 * A placement or range request the coordinator cannot satisfy; carries the error code for the reply.
 */
public final class PlacementException extends SplitheapException
{
    private static final long serialVersionUID = 1L;

    private final transient ErrorCode code;

    /**
     * An exception.
     *
     * @param code    reply code.
     * @param message what is wrong and what to do.
     */
    public PlacementException(final ErrorCode code, final String message)
    {
        super(message);
        this.code = code;
    }

    /**
     * Reply code.
     *
     * @return code.
     */
    public ErrorCode code()
    {
        return code;
    }
}
