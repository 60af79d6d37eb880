package io.splitheap.samples;

/**
 * A bad command line: the message names the offending argument. Leads to the usage text and exit status 2.
 */
public final class UsageException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * A usage error.
     *
     * @param message what is wrong, naming the argument.
     */
    public UsageException(final String message)
    {
        super(message);
    }
}
