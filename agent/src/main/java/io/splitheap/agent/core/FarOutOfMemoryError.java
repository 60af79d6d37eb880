package io.splitheap.agent.core;

/**
 * Far memory ran out: an allocation would exceed the process's budget ({@code far.max}) or the cluster's capacity,
 * and collecting dead far arrays (a GC, then waiting for their release with a bounded backoff) did not make room.
 * An {@link OutOfMemoryError}, as a Java program expects when memory runs out; the message names the live and
 * reserved far bytes, the limit that was hit and the options that help.
 */
public final class FarOutOfMemoryError extends OutOfMemoryError
{
    private static final long serialVersionUID = 1L;

    /**
     * An error.
     *
     * @param message what could not be allocated, the figures, and what to do.
     */
    public FarOutOfMemoryError(final String message)
    {
        super(message);
    }
}
