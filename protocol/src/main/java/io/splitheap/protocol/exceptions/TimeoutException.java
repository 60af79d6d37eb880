package io.splitheap.protocol.exceptions;

/**
 * A peer did not answer in time.
 */
public final class TimeoutException extends SplitheapException
{
    private static final long serialVersionUID = 1L;

    /**
     * A timeout.
     *
     * @param message what was awaited, from whom, for how long.
     */
    public TimeoutException(final String message)
    {
        super(message);
    }
}
