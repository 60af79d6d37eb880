package io.splitheap.agent.excache;

/**
 * Far memory failed: the application cannot be given a correct value, so it gets this error instead of a wrong
 * one. The message names the far address, the node and the cause.
 */
public final class FarMemoryError extends Error
{
    private static final long serialVersionUID = 1L;

    /**
     * An error.
     *
     * @param message what failed, with address and node.
     * @param cause   underlying cause or null.
     */
    public FarMemoryError(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
