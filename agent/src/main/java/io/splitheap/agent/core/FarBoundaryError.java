package io.splitheap.agent.core;

/**
 * A far array reached code that cannot handle it correctly and Splitheap cannot make it correct: the application
 * gets this error, naming the call site, the allocation site and the option that avoids it, instead of a silently
 * wrong result.
 */
public final class FarBoundaryError extends Error
{
    private static final long serialVersionUID = 1L;

    /**
     * An error.
     *
     * @param message what, where, and what to do.
     */
    public FarBoundaryError(final String message)
    {
        super(message);
    }
}
